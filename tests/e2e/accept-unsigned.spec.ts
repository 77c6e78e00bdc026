import { expect, test } from "@playwright/test";
import { buildDeliveries } from "@/lib/sms/simulate";
import { addNumber, newAccount, postToWebhook, screenshot, signUp } from "./helpers";

test("an admin accepts messages refused while the signature secret was changing, one and then in bulk", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("accept"), "Secret Change");
  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line", signature: { method: "HMAC-SHA256 (sha256)", secret: "the-new-secret" } });
  await page.getByRole("button", { name: "Done" }).click();

  // Vonage still signs with the old secret: every real message is refused.
  const old = { signatureMethod: "SHA256", signatureSecret: "the-old-secret" };
  for (const [i, text] of ["First refused message", "Second refused message", "Third refused message"].entries()) {
    const [delivery] = buildDeliveries({ provider: "VONAGE", from: `44770090000${i}`, to: "12192259404", text, credentials: old });
    expect(await postToWebhook(request, url, delivery!)).toBe(401);
  }

  await page.goto(`/${slug}/deliveries`);
  await page.getByRole("list", { name: "Deliveries" }).getByRole("link").last().click();
  await expect(page.getByRole("heading", { name: "Signature does not match" })).toBeVisible();
  await page.getByRole("button", { name: "Accept without a valid signature" }).click();
  const dialog = page.getByRole("dialog", { name: "Accept this delivery without a valid signature?" });
  await screenshot(page, "accept-unsigned-dialog");
  await dialog.getByRole("button", { name: "Accept and store" }).click();
  await expect(page.getByText("Accepted", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Open the accepted delivery" }).click();
  await expect(page.getByRole("heading", { name: "Accepted without a valid signature" })).toBeVisible();
  await expect(page.getByRole("term").filter({ hasText: "Accepted without a valid signature" })).toBeVisible();
  await expect(page.getByRole("link", { name: /From \+44 7700 900000/ })).toContainText("First refused message");
  await screenshot(page, "accept-unsigned-accepted");

  // The rest of the period at once; the one accepted before is not accepted again.
  await page.goto(`/${slug}/deliveries`);
  await page.getByText("Accept deliveries refused for their signature…").click();
  await screenshot(page, "accept-refused-form");
  await page.getByRole("button", { name: "Accept refused deliveries" }).click();
  await expect(page.getByText("Accepted 2 deliveries: 2 new SMS stored, 0 already stored.")).toBeVisible();

  await page.goto(`/${slug}`);
  for (const text of ["First refused message", "Second refused message", "Third refused message"]) await expect(page.getByText(text)).toBeVisible();
});

test("a body that is not plain text is kept byte for byte and shown as hex beside the text", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("bytes"), "Odd Bytes");
  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo" });
  await page.getByRole("button", { name: "Done" }).click();
  const body = Buffer.concat([Buffer.from('{"message_id":"nul-1","sender_address":"817012345678","destination_address":"815012345678","content_type":"text","udh":"","message_body":"A\\u0000B"}'), Buffer.from([0x00, 0xff])]);
  const response = await request.post(url, { data: body, headers: { "content-type": "application/json" } });
  expect(response.status()).toBe(400);

  await page.goto(`/${slug}/deliveries`);
  await page.getByRole("list", { name: "Deliveries" }).getByRole("link").first().click();
  await expect(page.getByText(/This body is not plain UTF-8 text/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Body bytes, hex" }).or(page.getByLabel("Body bytes, hex"))).toContainText("7d 00 ff");
  await screenshot(page, "delivery-binary-body");
});
