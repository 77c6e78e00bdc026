import { mkdirSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { buildDeliveries } from "@/lib/sms/simulate";
import { addNumber, expectAccessible, newAccount, postToWebhook, screenshot, signUp } from "./helpers";

/** Light, dark and a 390 px phone of the page as it is, for people to look at. */
async function shots(page: Page, name: string) {
  mkdirSync("/tmp/alerts-shots", { recursive: true });
  const viewport = page.viewportSize();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `/tmp/alerts-shots/${name}-${scheme}.png`, fullPage: true, animations: "disabled" });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: `/tmp/alerts-shots/${name}-phone.png`, fullPage: true, animations: "disabled" });
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, "the page scrolls sideways on a phone").toBeLessThanOrEqual(innerWidth);
  if (viewport) await page.setViewportSize(viewport);
}

test("an owner sets the rules and a channel, sees the alert fire and reads its kept mail", async ({ page, request }) => {
  // A long journey with screenshots in three layouts and two accessibility scans.
  test.setTimeout(240_000);
  const slug = await signUp(page, newAccount("alerts"), "Alerting Team");
  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line", signature: { method: "HMAC-SHA256 (sha256)", secret: "the-new-secret" } });
  await page.getByRole("button", { name: "Done" }).click();
  // Vonage signs with a secret the number no longer has: refused, twice.
  for (const i of [0, 1]) {
    const [delivery] = buildDeliveries({ provider: "VONAGE", from: `44770090000${i}`, to: "12192259404", text: `Refused ${i}`, credentials: { signatureMethod: "SHA256", signatureSecret: "the-old-secret" } });
    expect(await postToWebhook(request, url, delivery!)).toBe(401);
  }

  await page.getByRole("navigation").first().getByRole("link", { name: "Alerts" }).click();
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No alerts yet" })).toBeVisible();
  await expectAccessible(page, "alerts (empty)");

  // A channel: an address that is not one is refused next to the field and kept as typed.
  const channels = page.getByRole("form", { name: "Alert channels" });
  await channels.getByLabel("Send to").fill("ops@example.test, not-an-address");
  await channels.getByRole("button", { name: "Save channels" }).click();
  await expect(channels.getByText("“not-an-address” is not an email address.")).toBeVisible();
  await expect(channels.getByLabel("Send to")).toHaveValue("ops@example.test, not-an-address");
  await channels.getByLabel("Send to").fill("ops@example.test");
  await channels.getByRole("button", { name: "Save channels" }).click();
  await expect(channels.getByText("Alert channels saved.")).toBeVisible();

  // The rules: a threshold that is not a number is refused and kept; two refusals an hour fires.
  const rules = page.getByRole("form", { name: "Alert rules" });
  await rules.getByLabel("Refusals in an hour").fill("two");
  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(rules.getByText("Enter a whole number.")).toBeVisible();
  await expect(rules.getByLabel("Refusals in an hour")).toHaveValue("two");
  await rules.getByLabel("Refusals in an hour").fill("2");
  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(rules.getByText("Alert rules saved. 1 alert fired.")).toBeVisible();

  const open = page.getByRole("list", { name: "Open alerts" });
  await expect(open.getByText("Signatures fail")).toBeVisible();
  await expect(open.getByText(/2 deliveries to US line \(\+1 219 225 9404\) were refused for their signature in the last hour\./)).toBeVisible();
  await expect(page.getByRole("cell", { name: "Never: does not alert" })).toBeVisible();
  await screenshot(page, "alerts-fired");
  await shots(page, "alerts");

  await page.getByRole("link", { name: "Alert mail" }).first().click();
  await expect(page.getByRole("heading", { name: "Alert mail", level: 1 })).toBeVisible();
  await expect(page.getByText("No mail server is configured")).toBeVisible();
  const mail = page.getByRole("article", { name: /Signatures fail: US line/ });
  await expect(mail.getByText("To: ops@example.test")).toBeVisible();
  await expect(mail.getByText("Kept here")).toBeVisible();
  await expect(mail.getByText(/refused for their signature in the last hour/).first()).toBeVisible();
  await mail.getByText("HTML version").click();
  await expect(mail.getByText(/<!doctype html>/)).toBeVisible();
  await expectAccessible(page, "alert mail");
  await screenshot(page, "alerts-mail");
  await shots(page, "alerts-mail");

  // The audit log says who changed what.
  await page.goto(`/${slug}/audit?kind=alerts`);
  await expect(page.getByRole("table").getByText("Changed the alert rules (signatureCount)")).toBeVisible();
  await expect(page.getByRole("table").getByText("Changed where alerts are sent")).toBeVisible();
});

test("a test alert goes through the saved channels at once", async ({ page }) => {
  const slug = await signUp(page, newAccount("alerts-test"), "Testing Alerts");
  await page.goto(`/${slug}/alerts`);
  await page.getByRole("button", { name: "Send a test alert" }).click();
  await expect(page.getByText(/Test alert: 1 kept in the mailbox \(no SMTP_URL\)/)).toBeVisible();
  await page.getByRole("link", { name: "Alert mail" }).first().click();
  await expect(page.getByRole("article", { name: /Test alert: your alert channels work/ })).toBeVisible();
});
