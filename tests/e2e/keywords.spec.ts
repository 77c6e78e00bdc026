import { expect, test } from "@playwright/test";
import { addNumber, newAccount, screenshot, signUp } from "./helpers";

test("keywords rank what customers text, and the team names the ones that matter", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("keywords"), "Keyword Co");
  await page.goto(`/${slug}/keywords`);
  await expect(page.getByRole("heading", { name: "No keywords in the last 7 days" })).toBeVisible();

  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo" });
  await page.getByRole("button", { name: "Done" }).click();
  const bodies = ["JOIN the club", "join", "JOIN!", "Stop", "こんにちは 世界", "PRICE please"];
  for (const [i, body] of bodies.entries()) {
    const data = { message_id: `kw-${i}`, sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: body };
    expect((await request.post(url, { data })).status()).toBe(200);
  }

  await page.goto(`/${slug}/keywords`);
  const row = (keyword: string) => page.getByRole("row").filter({ has: page.getByText(keyword, { exact: true }) });
  await expect(row("JOIN")).toContainText("2");
  await expect(row("JOIN!")).toContainText("1");
  await expect(row("STOP")).toContainText("Opt-out");
  await expect(row("こんにちは")).toContainText("1");
  await expect(page.getByRole("img", { name: /Daily use of JOIN/ })).toBeVisible();

  await page.getByLabel("Keyword", { exact: true }).fill("price");
  await page.getByLabel("Label").fill("Sales lead");
  await page.getByLabel("Colour").selectOption({ label: "Green" });
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText("PRICE is now labelled “Sales lead”.")).toBeVisible();
  await expect(row("PRICE")).toContainText("Sales lead");

  // Invalid input is explained.
  await page.getByLabel("Keyword", { exact: true }).fill("two words");
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText("A keyword is a single word")).toBeVisible();
  await screenshot(page, "keywords");
});
