import { expect, test } from "@playwright/test";
import { addNumber, newAccount, screenshot, signUp } from "./helpers";

test("an owner invites a teammate by link; the teammate joins and sees the team read-only", async ({ browser }) => {
  const ownerContext = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const owner = await ownerContext.newPage();
  const slug = await signUp(owner, newAccount("owner"), "Harbour Clinic");
  await addNumber(owner, { provider: "Infobip", number: "+385 92 100 4026", label: "Front desk" });
  await owner.getByRole("button", { name: "Done" }).click();

  await owner.getByRole("link", { name: "Members" }).first().click();
  await owner.getByRole("button", { name: "Invite teammate" }).first().click();
  const dialog = owner.getByRole("dialog", { name: "Invite a teammate" });
  await dialog.getByRole("radio", { name: /Member/ }).check();
  await dialog.getByRole("button", { name: "Create invite link" }).click();
  const link = await dialog.getByRole("textbox", { name: "Invite link" }).inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{32}$/);
  await dialog.getByRole("button", { name: "Copy" }).click();
  expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await dialog.getByRole("button", { name: "Done" }).click();
  await screenshot(owner, "members-owner");

  // The teammate opens the link signed out, creates an account and lands in the team.
  const mateContext = await browser.newContext();
  const mate = await mateContext.newPage();
  await mate.goto(link);
  await expect(mate.getByRole("heading", { name: "Join Harbour Clinic" })).toBeVisible();
  await screenshot(mate, "invite");
  await mate.getByRole("link", { name: "Create account" }).click();
  const account = newAccount("teammate");
  await mate.getByLabel("Your name").fill(account.name);
  await mate.getByLabel("Work email").fill(account.email);
  await mate.getByLabel("Password").fill(account.password);
  await expect(mate.getByLabel("Team name")).toHaveCount(0);
  await mate.getByRole("button", { name: "Create account and join" }).click();
  // A teammate joins a team already at work: they land in its inbox.
  await mate.waitForURL(new RegExp(`/${slug}/inbox$`));
  await mate.getByRole("link", { name: "Numbers" }).first().click();

  // Read-only: the number is visible, nothing can be changed.
  await expect(mate.getByRole("heading", { name: "Front desk" })).toBeVisible();
  await expect(mate.getByText("You have read-only access")).toBeVisible();
  for (const name of ["Add number", "Show URL", "Rotate URL", "Edit", "Delete"]) await expect(mate.getByRole("button", { name })).toHaveCount(0);
  await screenshot(mate, "numbers-read-only");
  await mate.getByRole("link", { name: "Members" }).first().click();
  await expect(mate.getByRole("button", { name: "Invite teammate" })).toHaveCount(0);
  await expect(mate.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  await expect(mate.locator("#main").getByText(account.email)).toBeVisible();

  // The link was single-use.
  const thirdContext = await browser.newContext();
  const third = await thirdContext.newPage();
  await third.goto(link);
  await expect(third.getByRole("heading", { name: "This invite link has already been used" })).toBeVisible();

  // The owner sees the new member.
  await owner.reload();
  await expect(owner.getByText(account.email)).toBeVisible();
  await Promise.all([ownerContext.close(), mateContext.close(), thirdContext.close()]);
});

test("a person in several teams switches between them", async ({ page }) => {
  const slug = await signUp(page, newAccount("switcher"), "First Team");
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Second Team");
  await page.getByRole("button", { name: /Create team/ }).click();
  await page.waitForURL(/\/second-team[^/]*\/numbers$/);
  await page.getByRole("button", { name: /Switch team/ }).first().click();
  await page.getByRole("menuitem", { name: "First Team" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/inbox$`));
});

test("a refused team name stays in the field with the reason next to it", async ({ page }) => {
  await signUp(page, newAccount("founder"), "First Team");
  await page.goto("/teams/new");
  const name = page.getByLabel("Team name");
  await name.fill("   ");
  await page.getByRole("button", { name: /Create team/ }).click();
  await expect(name).toHaveAccessibleDescription("Name your team.");
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveValue("   ");
  await screenshot(page, "create-team-refused");
  await name.fill("Second Team");
  await page.getByRole("button", { name: /Create team/ }).click();
  await page.waitForURL(/\/second-team[^/]*\/numbers$/);
});

test("an invite refused because the inviter lost the right keeps the role they chose", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const slug = await signUp(owner, newAccount("owner"), "Harbour Clinic");
  await owner.goto(`/${slug}/members`);
  await owner.getByRole("button", { name: "Invite teammate" }).first().click();
  const ownerDialog = owner.getByRole("dialog", { name: "Invite a teammate" });
  await ownerDialog.getByRole("radio", { name: /Admin/ }).check();
  await ownerDialog.getByRole("button", { name: "Create invite link" }).click();
  const link = await ownerDialog.getByRole("textbox", { name: "Invite link" }).inputValue();

  // An admin joins and starts inviting someone else, as an admin too.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const account = newAccount("admin");
  await admin.goto(link);
  await admin.getByRole("link", { name: "Create account" }).click();
  await admin.getByLabel("Your name").fill(account.name);
  await admin.getByLabel("Work email").fill(account.email);
  await admin.getByLabel("Password").fill(account.password);
  await admin.getByRole("button", { name: "Create account and join" }).click();
  await admin.waitForURL(new RegExp(`/${slug}/inbox$`));
  await admin.goto(`/${slug}/members`);
  await admin.getByRole("button", { name: "Invite teammate" }).first().click();
  const dialog = admin.getByRole("dialog", { name: "Invite a teammate" });
  await dialog.getByRole("radio", { name: /Admin/ }).check();

  // Meanwhile the owner makes them a member.
  await owner.reload();
  await owner.getByLabel(`Role of ${account.name}`).selectOption({ label: "Member" });
  await owner.getByRole("button", { name: "Save" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await expect(owner.getByLabel(`Role of ${account.name}`)).toHaveValue("MEMBER");

  await dialog.getByRole("button", { name: "Create invite link" }).click();
  await expect(dialog.getByText("Only owners and admins can do this.")).toBeVisible();
  await expect(dialog.getByRole("radio", { name: /Admin/ })).toBeChecked();
  await expect(dialog.getByRole("radio", { name: /Member/ })).not.toBeChecked();
  await screenshot(admin, "invite-refused");
  await Promise.all([ownerContext.close(), adminContext.close()]);
});
