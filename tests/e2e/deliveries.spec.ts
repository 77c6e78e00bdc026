import { type Page, expect, test } from "@playwright/test";
import { buildDeliveries } from "@/lib/sms/simulate";
import { addNumber, newAccount, postToWebhook, screenshot, signIn, signUp } from "./helpers";

const SECRET = "e2e-delivery-log-secret";

const deliveryRows = (page: Page) => page.getByRole("list", { name: "Deliveries" }).getByRole("listitem");

test("the delivery log shows every request, what Moshi made of it and how to fix the setup", async ({ page, request, browser }) => {
  const account = newAccount("log");
  const slug = await signUp(page, account, "Delivery Desk");

  // A new team: the log says what to do first.
  await page.goto(`/${slug}/deliveries`);
  await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No deliveries yet" })).toBeVisible();
  await expect(page.getByText("npm run sms:send")).toBeVisible();
  await screenshot(page, "deliveries-empty");

  await page.goto(`/${slug}/numbers`);
  const vonageUrl = await addNumber(page, {
    provider: "Vonage",
    number: "+1 219 225 9404",
    label: "US line",
    signature: { method: "HMAC-SHA256 (sha256)", secret: SECRET },
  });
  await page.getByRole("button", { name: "Done" }).click();
  const infobipUrl = await addNumber(page, { provider: "Infobip", number: "+385 92 100 4026", label: "Zagreb" });
  await page.getByRole("button", { name: "Done" }).click();

  const text = "Where is my order? 注文はどこ 🚚";
  const [signed] = buildDeliveries({ provider: "VONAGE", from: "447700900001", to: "12192259404", text, credentials: { signatureMethod: "SHA256", signatureSecret: SECRET } });
  const [unsigned] = buildDeliveries({ provider: "VONAGE", from: "447700900002", to: "12192259404", text: "Nobody signed me" });
  expect(await postToWebhook(request, vonageUrl, signed!)).toBe(200);
  expect(await postToWebhook(request, vonageUrl, signed!)).toBe(200); // the provider's retry
  expect(await postToWebhook(request, vonageUrl, unsigned!)).toBe(401);
  const receipt = new URLSearchParams({ msisdn: "447700900001", to: "12192259404", messageId: "0B0000001A2B3C4D", status: "delivered", "err-code": "0", price: "0.0057", "message-timestamp": "2026-01-01 12:00:00" });
  expect((await request.get(`${vonageUrl}?${receipt}`)).status()).toBe(200);
  expect((await request.post(infobipUrl, { data: "this is not a webhook", headers: { "content-type": "application/json" } })).status()).toBe(400);

  await page.goto(`/${slug}/deliveries`);
  const chips = page.getByRole("navigation", { name: "Filter by outcome" });
  await expect(chips.getByRole("link", { name: "All 5" })).toHaveAttribute("aria-current", "page");
  await expect(chips.getByRole("link", { name: "Rejected 2" })).toBeVisible();
  await expect(chips.getByRole("link", { name: "Retries absorbed 1" })).toBeVisible();
  await expect(deliveryRows(page)).toHaveCount(5);
  // Newest first.
  await expect(deliveryRows(page).nth(0)).toContainText("Not an inbound SMS in Infobip's format");
  await expect(deliveryRows(page).nth(0)).toContainText("Zagreb");
  await expect(deliveryRows(page).nth(1)).toContainText("Delivery receipt sent to the inbound URL");
  await expect(deliveryRows(page).nth(2)).toContainText("Signature missing");
  await expect(deliveryRows(page).nth(2)).toContainText("401");
  await expect(deliveryRows(page).nth(3)).toContainText("Retry absorbed");
  await expect(deliveryRows(page).nth(4)).toContainText("Message stored");
  await expect(deliveryRows(page).nth(4)).toContainText("US line");
  await screenshot(page, "deliveries");

  // The outcome chips filter; the number filter is a plain GET form.
  await chips.getByRole("link", { name: /Rejected/ }).click();
  await expect(page).toHaveURL(/outcome=rejected/);
  await expect(deliveryRows(page)).toHaveCount(2);
  await expect(chips.getByRole("link", { name: "Rejected 2" })).toHaveAttribute("aria-current", "page");
  await page.getByLabel("Number", { exact: true }).selectOption({ label: "US line (Vonage)" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/outcome=rejected/);
  await expect(page).toHaveURL(/number=/);
  await expect(deliveryRows(page)).toHaveCount(1);
  await expect(chips.getByRole("link", { name: "All 4" })).toBeVisible();

  // The 401, in full: what happened, how to fix it, and the request as it arrived.
  await deliveryRows(page).first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Signature missing" })).toBeVisible();
  const callout = page.getByRole("alert").filter({ hasText: "What happened" });
  await expect(callout).toContainText("this one has none");
  await expect(callout).toContainText("How to fix it");
  await expect(callout).toContainText("signature secret and method");
  await expect(page.getByText("Not signed", { exact: true })).toBeVisible();
  await expect(page.getByText("No message was stored from this delivery.")).toBeVisible();
  const form = page.getByRole("table", { name: "Form body, decoded" });
  await expect(form.getByRole("row", { name: /^text / })).toContainText("Nobody signed me");
  await expect(form.getByRole("row", { name: /^msisdn / })).toContainText("447700900002");
  await expect(page.getByRole("table", { name: "Request headers" })).toContainText("application/x-www-form-urlencoded");
  await expect(page.getByLabel("Body, as received")).toContainText("msisdn=447700900002");
  await screenshot(page, "delivery-detail");

  // Replaying it goes through the pipeline again: still unsigned, still refused, and recorded.
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText("Replayed: 401")).toBeVisible();
  await page.getByRole("link", { name: "Open the replay" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Signature missing" })).toBeVisible();

  // The stored one links to its conversation and shows its text intact.
  await page.goto(`/${slug}/deliveries?outcome=stored`);
  await deliveryRows(page).first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Message stored" })).toBeVisible();
  await expect(page.getByText(/^Signed just now$/)).toBeVisible();
  const stored = page.getByRole("link", { name: /From \+44 7700 900001/ });
  await expect(stored).toContainText(text);
  await expect(stored).toHaveAttribute("href", new RegExp(`^/${slug}/inbox/[\\w-]+$`));
  const detailUrl = page.url();

  // The same log on a phone in dark mode: cards, nothing wider than the screen.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const mobile = await phone.newPage();
  await signIn(mobile, account);
  await mobile.waitForURL(/\/inbox$/);
  await mobile.goto(`/${slug}/deliveries`);
  await expect(deliveryRows(mobile)).toHaveCount(6);
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await screenshot(mobile, "deliveries-mobile-dark");
  await mobile.goto(detailUrl);
  await expect(mobile.getByRole("heading", { level: 1, name: "Message stored" })).toBeVisible();
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await screenshot(mobile, "delivery-detail-mobile-dark");
  await phone.close();

  // A member of another team sees neither the log nor a delivery of this team.
  const other = await browser.newContext();
  const nosy = await other.newPage();
  const nosySlug = await signUp(nosy, newAccount("nosy"), "Nosy Co");
  const deliveryId = new URL(detailUrl).pathname.split("/").at(-1);
  for (const path of [`/${slug}/deliveries`, `/${slug}/deliveries?outcome=rejected`, `/${slug}/deliveries/${deliveryId}`]) {
    expect((await nosy.goto(path))?.status(), path).toBe(404);
    await expect(nosy.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  // Under Nosy's own team the id is just an unknown one, answered exactly like one.
  const unknown = await nosy.goto(`/${nosySlug}/deliveries/cm0000000000000000000000`);
  await expect(nosy.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const foreign = await nosy.goto(`/${nosySlug}/deliveries/${deliveryId}`);
  await expect(nosy.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect(foreign?.status()).toBe(unknown?.status());
  await other.close();
});
