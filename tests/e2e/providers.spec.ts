import { expect, test } from "@playwright/test";
import { newAccount, screenshot, signUp } from "./helpers";

/** The published RFC 8032 test key's public half, in the Telnyx portal's form. */
const TELNYX_TEST_PUBLIC_KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

test("each provider's credential form comes from its module, explains a wrong value, keeps what was typed, and a test message passes its checks", async ({ page }) => {
  await signUp(page, newAccount("providers"), "Many Providers");

  // Twilio: its own field, help text and the empty-TwiML provider's test message, signed with the token.
  await page.getByRole("button", { name: "Add number" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add a number" });
  await dialog.getByLabel("Provider").selectOption({ label: "Twilio" });
  await expect(dialog.getByLabel("Signature secret")).toHaveCount(0);
  await expect(dialog.getByLabel("Auth Token")).toBeVisible();
  await dialog.getByLabel("Phone number").fill("+1 500 555 0006");
  await dialog.getByLabel("Label").fill("Twilio US");
  await dialog.getByLabel("Auth Token").fill("0123456789abcdef0123456789abcdef");
  await screenshot(page, "numbers-add-twilio");
  await dialog.getByRole("button", { name: "Add number" }).click();
  await expect(dialog.getByRole("textbox", { name: "Webhook URL" })).toHaveValue(/\/api\/webhooks\/twilio\//);
  await dialog.getByRole("button", { name: "Done" }).click();

  // Telnyx: a key that is not 32 bytes is refused on its field, with the number and label kept.
  await page.getByRole("button", { name: "Add number" }).first().click();
  await dialog.getByLabel("Provider").selectOption({ label: "Telnyx" });
  await dialog.getByLabel("Phone number").fill("+1 312 555 0142");
  await dialog.getByLabel("Label").fill("Telnyx Chicago");
  await dialog.getByLabel("Public key").fill("not-a-key");
  await dialog.getByRole("button", { name: "Add number" }).click();
  const keyField = dialog.getByLabel("Public key");
  await expect(keyField).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Label")).toHaveValue("Telnyx Chicago");
  await screenshot(page, "numbers-add-telnyx-invalid");
  await keyField.fill(TELNYX_TEST_PUBLIC_KEY);
  await dialog.getByRole("button", { name: "Add number" }).click();
  await expect(dialog.getByRole("textbox", { name: "Webhook URL" })).toHaveValue(/\/api\/webhooks\/telnyx\//);
  await dialog.getByRole("button", { name: "Done" }).click();

  const card = (label: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: label }) });
  await expect(card("Twilio US")).toContainText("Signed");
  await expect(card("Telnyx Chicago")).toContainText("Signed");

  // The public key is not a secret: the edit form shows it.
  await card("Telnyx Chicago").getByRole("button", { name: "Edit" }).click();
  await expect(page.getByRole("dialog").getByLabel("Public key")).toHaveValue(TELNYX_TEST_PUBLIC_KEY);
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  for (const label of ["Twilio US", "Telnyx Chicago"]) {
    await card(label).getByRole("button", { name: "Test" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Send test message" }).click();
    await expect(page.getByRole("dialog").getByText("Received and stored")).toBeVisible();
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await expect(card(label)).toContainText("1 test message");
  }
  await screenshot(page, "numbers-providers");

  // The Twilio test went through signature verification, over the URL it was signed for.
  await page.getByRole("link", { name: "Delivery log" }).first().click();
  await page.getByRole("link").filter({ hasText: "Twilio" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Message stored" })).toBeVisible();
});
