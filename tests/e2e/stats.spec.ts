import { expect, test } from "@playwright/test";
import { addNumber, formatDays, newAccount, screenshot, signUp, utcDay } from "./helpers";

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
  // Why the two counts differ, said beside them and opened from the keyboard, not a hover tooltip.
  const why = page.getByText("Why 3 deliveries but 2 messages?");
  const retries = page.getByRole("listitem").filter({ hasText: "stored once (1 retry in this period)" });
  await expect(retries).toBeHidden();
  await why.focus();
  await page.keyboard.press("Enter");
  await expect(retries).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "stores none (1 rejected delivery in this period)" })).toBeVisible();
  await expect(page.getByText(/A delivery is one request a provider sent to a webhook URL/)).toBeVisible();
  await expect(page.getByRole("img", { name: /Deliveries per day: 3 in total/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Messages stored per day, by provider: .*Infobip 2/ })).toBeVisible();
  const byNumber = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Number" }) });
  await expect(byNumber.getByRole("row")).toHaveCount(2);
  await expect(byNumber.getByRole("row", { name: /Zagreb/ })).toContainText(/3\s*2\s*33%\s*1/);
  const silent = page.getByRole("listitem").filter({ hasText: "Tokyo (never used)" });
  await expect(silent).toContainText("never");
  await expect(silent).toContainText("Silent");
  await screenshot(page, "stats");

  // A custom period of yesterday and today: charted per hour, the range written out.
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "Custom" }).click();
  await page.getByLabel("From").fill(utcDay(-1));
  await page.getByLabel("To", { exact: true }).fill(utcDay(0));
  await page.getByRole("button", { name: "Show period" }).click();
  await page.waitForURL((u) => u.searchParams.get("period") === "custom" && u.searchParams.get("from") === utcDay(-1) && u.searchParams.get("to") === utcDay(0));
  await expect(page.getByText(/^Showing/)).toContainText(formatDays(utcDay(-1), utcDay(0)));
  await expect(stat("Deliveries received")).toContainText("3");
  await expect(page.getByRole("heading", { name: "Deliveries per hour (UTC)" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Deliveries per hour: 3 in total, most at .* UTC \(3\)/ })).toBeVisible();
  await screenshot(page, "stats-custom");

  // Choosing a number keeps the custom period.
  await page.getByLabel("Number", { exact: true }).selectOption({ label: "Zagreb (Infobip)" });
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL((u) => u.searchParams.get("number") !== null);
  expect(new URL(page.url()).searchParams.get("from")).toBe(utcDay(-1));
  await expect(stat("Deliveries received")).toContainText("3");

  // Days before the first delivery hold nothing.
  await page.getByLabel("From").fill(utcDay(-9));
  await page.getByLabel("To", { exact: true }).fill(utcDay(-2));
  await page.getByRole("button", { name: "Show period" }).click();
  await expect(page.getByRole("heading", { name: "No deliveries in this period" })).toBeVisible();
  expect(new URL(page.url()).searchParams.get("number")).not.toBeNull();

  // A range in the future or longer than a year is explained, not applied.
  await page.goto(`/${slug}/stats?period=custom&from=${utcDay(0)}&to=${utcDay(3)}`);
  await expect(page.getByText(`The end date cannot be in the future: today is ${utcDay(0)} (UTC).`)).toBeVisible();
  await expect(stat("Deliveries received")).toContainText("3");
  await page.goto(`/${slug}/stats?period=custom&from=${utcDay(-400)}&to=${utcDay(0)}`);
  await expect(page.getByText("A custom period can cover at most 366 days; this one covers 401.")).toBeVisible();

  // Another team's member gets a 404.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUp(otherPage, newAccount("nosy"), "Nosy Co");
  expect((await otherPage.goto(`/${slug}/stats`))?.status()).toBe(404);
  await other.close();
});
