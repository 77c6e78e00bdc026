import { expect, test } from "@playwright/test";
import { addNumber, newAccount, screenshot, signUp } from "./helpers";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("a new team adds a number of each provider, copies, rotates and deletes webhook URLs", async ({ page, baseURL, request }) => {
  const slug = await signUp(page, newAccount("owner"), "Sakura Dental");
  await expect(page.getByRole("heading", { name: "No numbers yet" })).toBeVisible();
  await screenshot(page, "numbers-empty");

  // Invalid input is explained next to the field and nothing is created.
  await page.getByRole("button", { name: "Add number" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add a number" });
  await dialog.getByLabel("Phone number").fill("090-1234-5678");
  await dialog.getByRole("button", { name: "Add number" }).click();
  await expect(dialog.getByText("Include the country code")).toBeVisible();
  await expect(dialog.getByText("Give the number a label")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();

  const urlPattern = (provider: string) => new RegExp(`^${baseURL}/api/webhooks/${provider}/[A-Za-z0-9_-]{32}$`);
  const rakuten = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo support" });
  expect(rakuten).toMatch(urlPattern("rakuten"));
  // The URL is copyable, exactly as shown.
  await page.getByRole("dialog").getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("dialog").getByText("Copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(rakuten);
  // A URL on this machine is one no provider can reach: the dialog says so, with the way out.
  await expect(page.getByRole("dialog").getByText("Providers cannot reach this address")).toBeVisible();
  // The dialog waits for the first delivery, then says what became of it.
  await expect(page.getByRole("dialog").getByText("Waiting for the first delivery")).toBeVisible();
  await screenshot(page, "numbers-url-revealed");
  const first = { message_id: "rk-first", sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: "Hello?" };
  expect((await request.post(rakuten, { data: first })).status()).toBe(200);
  await expect(page.getByRole("dialog").getByText("First delivery received and stored")).toBeVisible({ timeout: 15_000 });
  await screenshot(page, "numbers-first-delivery");
  await page.getByRole("button", { name: "Done" }).click();

  const infobip = await addNumber(page, { provider: "Infobip", number: "385921004026", label: "Zagreb promotions" });
  expect(infobip).toMatch(urlPattern("infobip"));
  await page.getByRole("button", { name: "Done" }).click();
  const vonage = await addNumber(page, {
    provider: "Vonage",
    number: "+1 219 225 9404",
    label: "US hotline",
    signature: { method: "HMAC-SHA256 (sha256)", secret: "vonage-signature-secret" },
  });
  expect(vonage).toMatch(urlPattern("vonage"));
  await page.getByRole("button", { name: "Done" }).click();

  // Each card shows the formatted number, the provider and only the end of its token.
  const card = (label: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: label }) });
  await expect(card("Tokyo support")).toContainText("+81 50 1234 5678");
  await expect(card("Tokyo support")).toContainText(`/api/webhooks/rakuten/••••••••${rakuten.slice(-4)}`);
  await expect(card("US hotline")).toContainText("Signed · sha256");
  await expect(page.getByText(rakuten)).toHaveCount(0);
  await screenshot(page, "numbers");

  // Rotation issues a new URL and says the old one lasts 24 hours.
  await card("US hotline").getByRole("button", { name: "Rotate URL" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate URL" }).click();
  const rotated = await page.getByRole("dialog").getByRole("textbox", { name: "Webhook URL" }).inputValue();
  expect(rotated).toMatch(urlPattern("vonage"));
  expect(rotated).not.toBe(vonage);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(card("US hotline")).toContainText("previous URL accepted until");
  await expect(card("US hotline")).toContainText(rotated.slice(-4));

  // The current URL can be shown again, exactly as issued.
  await card("US hotline").getByRole("button", { name: "Show URL" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Show the URL" }).click();
  await expect(page.getByRole("dialog").getByRole("textbox", { name: "Webhook URL" })).toHaveValue(rotated);
  await expect(page.getByRole("dialog").getByText("Waiting for the first delivery")).toHaveCount(0);
  await page.getByRole("button", { name: "Done" }).click();

  // Deleting asks first.
  await card("Zagreb promotions").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("dialog")).toContainText("stops receiving messages");
  await page.getByRole("dialog").getByRole("button", { name: "Delete number" }).click();
  await expect(card("Zagreb promotions")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Tokyo support" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/${slug}/numbers`);
});

test("the numbers page works on a phone-sized screen in dark mode", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const page = await context.newPage();
  await signUp(page, newAccount("mobile"), "Night Shift");
  await addNumber(page, { provider: "Vonage", number: "+12192259404", label: "After-hours line" });
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("heading", { name: "After-hours line" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, "numbers-mobile-dark");
  await context.close();
});
