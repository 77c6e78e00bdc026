import { expect, test } from "@playwright/test";
import { addNumber, newAccount, screenshot, signUp } from "./helpers";

test("statistics show deliveries, absorbed retries, rejections and silent numbers", async ({ page, request, browser }) => {
  const slug = await signUp(page, newAccount("stats"), "Stats Team");
  await page.goto(`/${slug}/stats`);
  await expect(page.getByRole("heading", { name: "No deliveries in this period" })).toBeVisible();
  await screenshot(page, "stats-empty");

  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Infobip", number: "+385 92 100 4026", label: "Zagreb" });
  await page.getByRole("button", { name: "Done" }).click();
  await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo (never used)" });
  await page.getByRole("button", { name: "Done" }).click();

  const result = (id: string, text: string) => ({ messageId: id, from: "385916242493", to: "385921004026", text, keyword: "", receivedAt: new Date(Date.now() - 3000).toISOString().replace("Z", "+0000"), smsCount: 1 });
  const batch = { results: [result("s-1", "Hello"), result("s-2", "STOP")], messageCount: 2, pendingMessageCount: 0 };
  expect((await request.post(url, { data: batch })).status()).toBe(200);
  expect((await request.post(url, { data: batch })).status()).toBe(200); // a provider retry
  expect((await request.post(url, { data: { results: [] } })).status()).toBe(400);

  await page.goto(`/${slug}/stats`);
  const stat = (label: string) => page.locator("dl > div").filter({ hasText: label });
  await expect(stat("Deliveries received")).toContainText("3");
  await expect(stat("Messages stored")).toContainText("2");
  await expect(stat("Retries absorbed")).toContainText("33% of deliveries");
  await expect(stat("Rejected")).toContainText("1");
  await expect(page.getByRole("img", { name: /Deliveries per day: 3 in total/ })).toBeVisible();
  const silent = page.getByRole("listitem").filter({ hasText: "Tokyo (never used)" });
  await expect(silent).toContainText("never");
  await expect(silent).toContainText("Silent");
  await screenshot(page, "stats");

  // Another team's member gets a 404.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, newAccount("nosy"), "Nosy Co");
  expect((await otherPage.goto(`/${slug}/stats`))?.status()).toBe(404);
  await other.close();
});
