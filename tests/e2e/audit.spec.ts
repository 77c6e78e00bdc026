import { expect, test } from "@playwright/test";
import { addNumber, expectAccessible, newAccount, screenshot, signUp } from "./helpers";

test("an owner's changes to a number and an API key show in the audit log, which members cannot open", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const account = newAccount("auditor");
  const slug = await signUp(owner, account, "Ledger Dental");
  await addNumber(owner, { provider: "Vonage", number: "+1 303 555 0187", label: "Denver appointments" });
  await owner.getByRole("button", { name: "Done" }).click();

  // The number's URL is rotated, then shown again.
  const card = owner.getByRole("listitem").filter({ has: owner.getByRole("heading", { name: "Denver appointments" }) });
  await card.getByRole("button", { name: "Rotate URL" }).click();
  await owner.getByRole("dialog").getByRole("button", { name: "Rotate URL" }).click();
  const rotated = await owner.getByRole("dialog").getByRole("textbox", { name: "Webhook URL" }).inputValue();
  await owner.getByRole("button", { name: "Done" }).click();

  // An API key is created, then revoked.
  await owner.getByRole("link", { name: "API keys" }).first().click();
  await owner.getByRole("button", { name: "Create API key" }).first().click();
  const dialog = owner.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name").fill("Billing sync");
  await dialog.getByLabel("Read only").check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = await dialog.getByRole("textbox", { name: "API key" }).inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = owner.getByRole("row", { name: /Billing sync/ });
  await row.getByRole("button", { name: "Revoke" }).click();
  await owner.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");

  await owner.getByRole("link", { name: "Audit log" }).first().click();
  await owner.waitForURL(`**/${slug}/audit`);
  await expect(owner.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const table = owner.getByRole("table");
  const rows = table.getByRole("row");
  // A header row, then the newest first.
  await expect(rows).toHaveCount(6);
  await expect(rows.nth(1)).toContainText("Revoked the API key “Billing sync”");
  await expect(rows.nth(2)).toContainText("Created the API key “Billing sync” (read only)");
  await expect(rows.nth(3)).toContainText("Rotated the webhook URL of Denver appointments (+1 303 555 0187)");
  await expect(rows.nth(4)).toContainText("Added Denver appointments (+1 303 555 0187)");
  // The log starts with the team, created when its owner signed up.
  await expect(rows.nth(5)).toContainText("Created the team");
  await expect(rows.nth(1)).toContainText(account.email);
  // Neither secret is in the log.
  await expect(owner.getByText(key)).toHaveCount(0);
  expect(await owner.content()).not.toContain(rotated.split("/").at(-1)!);

  // Filtered by kind.
  await owner.getByLabel("Kind").selectOption({ label: "Numbers" });
  await owner.getByRole("button", { name: "Apply" }).click();
  await owner.waitForURL(/kind=numbers/);
  await expect(rows).toHaveCount(3);
  await owner.getByLabel("Kind").selectOption({ label: "All changes" });
  await owner.getByRole("button", { name: "Apply" }).click();
  await expect(rows).toHaveCount(6);
  await expectAccessible(owner, "the audit log");
  await screenshot(owner, "audit-log");

  // On a phone the table scrolls inside its card; the page itself does not.
  await owner.setViewportSize({ width: 390, height: 844 });
  await owner.reload();
  expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await screenshot(owner, "audit-log-phone");

  // A member: no link, and the page is a 404.
  await owner.setViewportSize({ width: 1280, height: 800 });
  await owner.getByRole("link", { name: "Members" }).first().click();
  await owner.getByRole("button", { name: "Invite teammate" }).first().click();
  const invite = owner.getByRole("dialog", { name: "Invite a teammate" });
  await invite.getByRole("radio", { name: /Member/ }).check();
  await invite.getByRole("button", { name: "Create invite link" }).click();
  const link = await invite.getByRole("textbox", { name: "Invite link" }).inputValue();

  const mate = await (await browser.newContext()).newPage();
  await mate.goto(link);
  await mate.getByRole("link", { name: "Create account" }).click();
  const teammate = newAccount("teammate");
  await mate.getByLabel("Your name").fill(teammate.name);
  await mate.getByLabel("Work email").fill(teammate.email);
  await mate.getByLabel("Password").fill(teammate.password);
  await mate.getByRole("button", { name: "Create account and join" }).click();
  await mate.waitForURL(new RegExp(`/${slug}/inbox$`));
  await expect(mate.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  // The not-found page, as for a team one is not in, with its status: a real 404, not a 200
  // that only looks like one.
  for (const path of [`/${slug}/audit`, `/${slug}/audit?kind=numbers`]) {
    expect((await mate.goto(path))?.status(), path).toBe(404);
    await expect(mate.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  await expect(mate.getByRole("heading", { name: "Audit log" })).toHaveCount(0);
  await expect(mate.getByRole("table")).toHaveCount(0);
});
