import { type Page, expect, test } from "@playwright/test";
import { addNumber, newAccount, signUp } from "./helpers";

/** Everything of team A that team B could learn or guess: its slug and the ids in its forms. */
async function setUpTeamA(page: Page) {
  const slug = await signUp(page, newAccount("alice"), "Alice Corp");
  await addNumber(page, { provider: "Vonage", number: "+12192259404", label: "Alice hotline" });
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  const numberId = await page.getByRole("dialog").locator('input[name="numberId"]').inputValue();
  await page.keyboard.press("Escape");
  return { slug, numberId };
}

/** Submits one of B's own forms after pointing its hidden fields at A's team and ids. */
async function submitTampered(page: Page, buttonName: string, fields: Record<string, string>) {
  const dialog = page.getByRole("dialog");
  for (const [name, value] of Object.entries(fields)) {
    await dialog.locator(`input[name="${name}"]`).evaluate((input, v) => ((input as HTMLInputElement).value = v), value);
  }
  await dialog.getByRole("button", { name: buttonName }).click();
}

test("a member of another team gets 404 on every page and action of this team", async ({ browser }) => {
  const aliceContext = await browser.newContext();
  const alice = await aliceContext.newPage();
  const a = await setUpTeamA(alice);

  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  const bobSlug = await signUp(bob, newAccount("bob"), "Bob Ltd");

  for (const path of [`/${a.slug}`, `/${a.slug}/numbers`, `/${a.slug}/members`]) {
    const response = await bob.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(bob.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }

  // Bob's own forms, aimed at Alice's team or at her number's id: nothing happens to it.
  await bob.goto(`/${bobSlug}/numbers`);
  await addNumber(bob, { provider: "Infobip", number: "+385921004026", label: "Bob line" });
  await bob.getByRole("button", { name: "Done" }).click();
  const attempts: { button: string; dialogButton: string; fields: Record<string, string> }[] = [
    { button: "Delete", dialogButton: "Delete number", fields: { team: a.slug, numberId: a.numberId } },
    { button: "Delete", dialogButton: "Delete number", fields: { numberId: a.numberId } },
    { button: "Rotate URL", dialogButton: "Rotate URL", fields: { team: a.slug, numberId: a.numberId } },
    { button: "Rotate URL", dialogButton: "Rotate URL", fields: { numberId: a.numberId } },
  ];
  for (const attempt of attempts) {
    await bob.goto(`/${bobSlug}/numbers`);
    await bob.getByRole("button", { name: attempt.button }).click();
    const responded = bob.waitForResponse((r) => r.request().method() === "POST" && r.url().includes(`/${bobSlug}/numbers`));
    await submitTampered(bob, attempt.dialogButton, attempt.fields);
    expect((await responded).status(), JSON.stringify(attempt)).toBe(404);
  }

  // Alice's number is untouched: same URL ending, no rotation.
  await alice.reload();
  await expect(alice.getByRole("heading", { name: "Alice hotline" })).toBeVisible();
  await expect(alice.getByText("previous URL accepted until")).toHaveCount(0);
  await Promise.all([aliceContext.close(), bobContext.close()]);
});
