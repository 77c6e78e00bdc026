import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { addNumber, newAccount, screenshot, signUp } from "./helpers";

const run = promisify(execFile);

/** The developer tool exactly as the README tells people to use it. */
async function smsSend(args: string[]) {
  return run(process.execPath, ["--import", "tsx", "scripts/sms-send.ts", ...args], { encoding: "utf8" });
}

test("a message sent with sms:send arrives once, reassembled, and shows up in the app", async ({ page }) => {
  await signUp(page, newAccount("webhook"), "Webhook Works");
  const url = await addNumber(page, {
    provider: "Vonage",
    number: "+1 219 225 9404",
    label: "Signed line",
    signature: { method: "HMAC-SHA256 (sha256)", secret: "e2e-signature-secret" },
  });
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText("No messages yet")).toBeVisible();

  const text = "Konnichiwa こんにちは 👋 — your order #4521 has shipped and will arrive tomorrow.";
  const { stdout } = await smsSend([url, "--text", text, "--from", "447700900001", "--to", "12192259404", "--parts", "3", "--repeat", "2", "--shuffle", "--credential", "signatureSecret=e2e-signature-secret", "--credential", "signatureMethod=SHA256"]);
  // Every request is acknowledged: three new parts, three retries absorbed.
  expect(stdout.match(/^POST 200 .*"stored":1/gm)).toHaveLength(3);
  expect(stdout.match(/^POST 200 .*"duplicates":1/gm)).toHaveLength(3);

  // A wrong secret is refused and the tool says so.
  const refused = await smsSend([url, "--text", "forged", "--credential", "signatureSecret=not-the-secret", "--credential", "signatureMethod=SHA256"]).catch((error: { stdout: string }) => error);
  expect((refused as { stdout: string }).stdout).toMatch(/^POST 401 /m);

  await page.reload();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Signed line" }) });
  await expect(card).toContainText("1 message");
  await expect(card).toContainText(text);
  await expect(card).toContainText("+447700900001");
  await screenshot(page, "numbers-with-message");
});

test("a team checks its setup with a test message, signed with its own secret", async ({ page }) => {
  await signUp(page, newAccount("tester"), "Setup Check");
  for (const [provider, number, label] of [
    ["Rakuten CPaaS", "+81 50 1234 5678", "Tokyo"],
    ["Vonage", "+1 219 225 9404", "Signed US"],
  ] as const) {
    await addNumber(page, { provider, number, label, signature: provider === "Vonage" ? { method: "HMAC-SHA512 (sha512)", secret: "team-secret" } : undefined });
    await page.getByRole("button", { name: "Done" }).click();
  }
  for (const label of ["Tokyo", "Signed US"]) {
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: label }) });
    await card.getByRole("button", { name: "Test" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Send test message" }).click();
    await expect(page.getByRole("dialog").getByText("Received and stored")).toBeVisible();
    if (label === "Signed US") await screenshot(page, "numbers-test-message");
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    // A test message, counted apart from customers' messages.
    await expect(card).toContainText("1 test message");
    await expect(card).toContainText("TEST from Moshi");
  }
});
