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
    { button: "Show URL", dialogButton: "Show the URL", fields: { team: a.slug, numberId: a.numberId } },
    { button: "Show URL", dialogButton: "Show the URL", fields: { numberId: a.numberId } },
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

test("a member of another team gets 404 on this team's inbox, threads, reports, delivery log, export and replay", async ({ browser }) => {
  test.setTimeout(90_000);
  const aliceContext = await browser.newContext();
  const alice = await aliceContext.newPage();
  const slug = await signUp(alice, newAccount("alice"), "Alice Messages");
  const webhook = await addNumber(alice, { provider: "Vonage", number: "+12192259404", label: "Alice hotline" });
  await alice.getByRole("button", { name: "Done" }).click();
  const inbound = new URLSearchParams({ msisdn: "447700900001", to: "12192259404", messageId: "0A0000000123ABCD", text: "SECRET plans for Friday", type: "text" });
  expect((await alice.request.get(`${webhook}?${inbound}`)).status()).toBe(200);

  // Alice's ids: a thread, a delivery, a named keyword.
  await alice.goto(`/${slug}/inbox`);
  await alice.getByRole("list", { name: "Conversations" }).getByRole("link").first().click();
  await alice.waitForURL(/\/inbox\/[^/]+$/);
  const threadPath = new URL(alice.url()).pathname;
  await alice.goto(`/${slug}/deliveries`);
  await alice.getByRole("list", { name: "Deliveries" }).getByRole("link").first().click();
  await alice.waitForURL(/\/deliveries\/[^/]+$/);
  const deliveryPath = new URL(alice.url()).pathname;
  const deliveryId = deliveryPath.split("/").at(-1)!;
  await alice.goto(`/${slug}/keywords`);
  await alice.getByLabel("Keyword", { exact: true }).fill("secret");
  await alice.getByLabel("Label").fill("Confidential");
  await alice.getByRole("button", { name: "Add" }).click();
  const keywordId = await alice.getByRole("button", { name: "Forget the label of SECRET" }).locator("xpath=ancestor::form").locator('input[name="keywordId"]').inputValue();

  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  const bobSlug = await signUp(bob, newAccount("bob"), "Bob Messages");

  const paths = [
    `/${slug}/inbox`,
    `/${slug}/inbox?q=secret`,
    threadPath,
    `/${slug}/keywords`,
    `/${slug}/stats`,
    `/${slug}/deliveries`,
    deliveryPath,
  ];
  for (const path of paths) {
    const response = await bob.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(bob.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(bob.getByText("SECRET plans")).toHaveCount(0);
  }
  const exported = await bob.request.get(`/${slug}/inbox/export`);
  expect(exported.status()).toBe(404);
  expect(await exported.text()).not.toContain("SECRET");

  // Bob's own replay and keyword forms, aimed at Alice's team or at her ids: 404, nothing done.
  await bob.goto(`/${bobSlug}/numbers`);
  const bobWebhook = await addNumber(bob, { provider: "Vonage", number: "+12192259405", label: "Bob line" });
  await bob.getByRole("button", { name: "Done" }).click();
  const bobInbound = new URLSearchParams({ msisdn: "447700900002", to: "12192259405", messageId: "0A0000000123ABCE", text: "hello", type: "text" });
  expect((await bob.request.get(`${bobWebhook}?${bobInbound}`)).status()).toBe(200);
  await bob.goto(`/${bobSlug}/keywords`);
  await bob.getByLabel("Keyword", { exact: true }).fill("hello");
  await bob.getByLabel("Label").fill("Greeting");
  await bob.getByRole("button", { name: "Add" }).click();
  await expect(bob.getByRole("button", { name: "Forget the label of HELLO" })).toBeVisible();

  const tamper = async (page: Page, path: string, form: ReturnType<Page["locator"]>, fields: Record<string, string>, submit: () => Promise<void>) => {
    for (const [name, value] of Object.entries(fields)) {
      await form.locator(`input[name="${name}"]`).evaluate((input, v) => ((input as HTMLInputElement).value = v), value);
    }
    const responded = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === path);
    await submit();
    return (await responded).status();
  };
  for (const fields of [{ team: slug, deliveryId }, { deliveryId }] as Record<string, string>[]) {
    await bob.goto(`/${bobSlug}/deliveries`);
    await bob.getByRole("list", { name: "Deliveries" }).getByRole("link").first().click();
    await bob.waitForURL(/\/deliveries\/[^/]+$/);
    const path = new URL(bob.url()).pathname;
    const replay = bob.getByRole("button", { name: "Replay" });
    const status = await tamper(bob, path, replay.locator("xpath=ancestor::form"), fields, () => replay.click());
    expect(status, JSON.stringify(fields)).toBe(404);
  }
  for (const fields of [{ team: slug, keywordId }, { keywordId }] as Record<string, string>[]) {
    await bob.goto(`/${bobSlug}/keywords`);
    const forget = bob.getByRole("button", { name: "Forget the label of HELLO" });
    const status = await tamper(bob, `/${bobSlug}/keywords`, forget.locator("xpath=ancestor::form"), fields, () => forget.click());
    expect(status, JSON.stringify(fields)).toBe(404);
  }

  // Alice's data is as she left it: one delivery (no replay), her keyword, her message unread.
  await alice.goto(`/${slug}/deliveries`);
  await expect(alice.getByRole("list", { name: "Deliveries" }).getByRole("listitem")).toHaveCount(1);
  await alice.goto(`/${slug}/keywords`);
  await expect(alice.getByRole("button", { name: "Forget the label of SECRET" })).toBeVisible();
  await Promise.all([aliceContext.close(), bobContext.close()]);
});
