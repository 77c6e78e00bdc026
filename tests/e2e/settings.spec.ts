import { mkdirSync, readFileSync } from "node:fs";
import { type Page, expect, test } from "@playwright/test";
import { addNumber, expectAccessible, newAccount, screenshot, sendMessage, signUp } from "./helpers";

const PHONE = { width: 390, height: 844 };
/** Screenshots for looking at by hand, outside the repository's own. */
const SHOTS = process.env.RETENTION_SHOTS;

async function shoot(page: Page, name: string) {
  await screenshot(page, name);
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, animations: "disabled" });
}

test("settings: retention kept on refusal and saved, the export downloaded, the team deleted after typing its name", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("settings"), "Settings Team");
  const url = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo" });
  await sendMessage(request, url, { provider: "RAKUTEN", from: "819012345678", to: "815012345678", text: "こんにちは, is the shop open?" });

  await page.goto(`/${slug}/inbox`);
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(`/${slug}/settings`);
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();

  // A bad value is refused next to its field, and what was typed stays.
  const bodies = page.getByLabel("Keep raw delivery bodies for (days)");
  const messagesDays = page.getByRole("textbox", { name: "Days to keep messages" });
  await expect(bodies).toHaveValue("30");
  await expect(page.getByRole("radio", { name: "For ever" })).toBeChecked();
  await expect(messagesDays).toBeDisabled();
  await bodies.fill("0");
  await page.getByRole("radio", { name: "For", exact: true }).check();
  await messagesDays.fill("a year");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Keep raw bodies at least 1 day.")).toBeVisible();
  await expect(page.getByText("Enter a whole number of days, such as 30.")).toBeVisible();
  await expect(bodies).toHaveValue("0");
  await expect(bodies).toHaveAttribute("aria-invalid", "true");
  await expect(messagesDays).toHaveValue("a year");
  await expect(page.getByRole("radio", { name: "For", exact: true })).toBeChecked();
  await shoot(page, "settings-refused");

  await bodies.fill("14");
  await messagesDays.fill("365");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Retention saved.")).toBeVisible();
  await page.reload();
  await expect(bodies).toHaveValue("14");
  await expect(messagesDays).toHaveValue("365");
  await expectAccessible(page, "settings (light)");
  await shoot(page, "settings");
  await page.emulateMedia({ colorScheme: "dark" });
  await shoot(page, "settings-dark");
  await expectAccessible(page, "settings (dark)", { contrastOnly: true });
  await page.setViewportSize(PHONE);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, "the page scrolls sideways on a phone").toBeLessThanOrEqual(innerWidth);
  await shoot(page, "settings-phone-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await shoot(page, "settings-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // The export: a file of JSON lines, the team first, the message's text in it.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download export" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^moshi-${slug}-export-\\d{4}-\\d{2}-\\d{2}\\.jsonl$`));
  const lines = readFileSync(await download.path(), "utf8").trimEnd().split("\n").map((line) => JSON.parse(line) as { type: string; text?: string });
  expect(lines.map((line) => line.type)).toEqual(["team", "number", "conversation", "message", "delivery"]);
  expect(lines.find((line) => line.type === "message")?.text).toBe("こんにちは, is the shop open?");

  // A second team to land on once this one is gone.
  await page.goto("/teams/new");
  await page.getByLabel("Team name").fill("Remaining Team");
  await page.getByRole("button", { name: "Create team" }).click();
  await page.waitForURL(/\/[^/]+\/numbers$/);
  const remaining = new URL(page.url()).pathname.split("/")[1]!;

  // Delete: the button waits for the name or slug typed exactly.
  await page.goto(`/${slug}/settings`);
  const confirm = page.getByLabel(/to confirm$/);
  const remove = page.getByRole("button", { name: "Delete this team" });
  await expect(remove).toBeDisabled();
  await confirm.fill("settings team");
  await expect(remove).toBeDisabled();
  await confirm.fill("Settings Team");
  await expect(remove).toBeEnabled();
  await remove.click();
  await page.waitForURL(`/${remaining}/inbox`);
  await page.goto(`/${slug}/settings`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  // The numbers' webhook URLs went with it.
  expect((await request.post(url, { data: "{}", headers: { "content-type": "application/json" } })).status()).toBe(404);

  // The last team deleted by its slug: the way to a new team.
  await page.goto(`/${remaining}/settings`);
  await page.getByLabel(/to confirm$/).fill(remaining);
  await page.getByRole("button", { name: "Delete this team" }).click();
  await page.waitForURL("/teams/new");
  await expect(page.getByRole("heading", { name: "Create your team" })).toBeVisible();
});

test("settings: a member reads the retention and cannot export or delete", async ({ page, browser }) => {
  const slug = await signUp(page, newAccount("owner"), "Read Only Team");
  await page.goto(`/${slug}/members`);
  await page.getByRole("button", { name: "Invite teammate" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Invite a teammate" });
  await dialog.getByRole("button", { name: "Create invite link" }).click();
  const invite = await dialog.getByRole("textbox", { name: "Invite link" }).inputValue();

  // The teammate opens the link signed out, creates an account and joins as a member.
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const member = await context.newPage();
  await member.goto(invite);
  await member.getByRole("link", { name: "Create account" }).click();
  const account = newAccount("member");
  await member.getByLabel("Your name").fill(account.name);
  await member.getByLabel("Work email").fill(account.email);
  await member.getByLabel("Password").fill(account.password);
  await member.getByRole("button", { name: "Create account and join" }).click();
  await member.waitForURL(new RegExp(`/${slug}/inbox$`));
  await member.goto(`/${slug}/settings`);
  await expect(member.getByText("You have read-only access")).toBeVisible();
  await expect(member.getByText("Kept 30 days")).toBeVisible();
  await expect(member.getByText("Kept for ever")).toBeVisible();
  await expect(member.getByRole("button", { name: "Save retention" })).toHaveCount(0);
  await expect(member.getByRole("link", { name: "Download export" })).toHaveCount(0);
  await expect(member.getByRole("heading", { name: "Danger zone" })).toHaveCount(0);
  expect((await member.request.get(`/${slug}/settings/export`)).status()).toBe(403);
  await shoot(member, "settings-member");
  await context.close();
});
