import { copyFileSync, mkdirSync } from "node:fs";
import { type Page, expect, test } from "@playwright/test";
import { addNumber, expectAccessible, newAccount, screenshot, sendMessage, signIn, signUp } from "./helpers";

const rows = (page: Page) => page.getByRole("list", { name: "Conversations" }).getByRole("listitem");
const unreadChip = (page: Page) => page.getByRole("link", { name: /^Unread/ });

/** The screenshot the suite keeps, and a copy to look at beside the others of this feature. */
async function shot(page: Page, name: string) {
  await screenshot(page, name);
  mkdirSync("/tmp/triage-shots", { recursive: true });
  copyFileSync(`tests/e2e/screenshots/${name}.png`, `/tmp/triage-shots/${name}.png`);
}

test("triage: j/k through the inbox's list, mark unread, done and reopened, notes, and test messages kept apart", async ({ page, request, browser }) => {
  // One journey through every triage action, then the same pages on a phone and in the dark.
  test.setTimeout(240_000);
  const account = newAccount("triager");
  const slug = await signUp(page, account, "Triage Desk");
  const url = await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line" });
  await page.getByRole("button", { name: "Done" }).click();

  // A test message from the Numbers page: counted apart, and out of the inbox by default.
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "US line" }) });
  await card.getByRole("button", { name: "Test" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Send test message" }).click();
  await expect(page.getByRole("dialog").getByText("Received and stored")).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(card).toContainText("1 test message");

  // Three customers, oldest first.
  for (const [from, text] of [
    ["447700900001", "Where is my parcel?"],
    ["447700900002", "Can I change my booking to Friday?"],
    ["447700900003", "Thanks, all sorted"],
  ] as const) {
    await sendMessage(request, url, { provider: "VONAGE", from, to: "12192259404", text });
  }

  await page.goto(`/${slug}/inbox`);
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByRole("list", { name: "Conversations" })).not.toContainText("TEST from Moshi");
  await expect(unreadChip(page)).toHaveText(/Unread\s*3/);
  await expect(page.getByRole("link", { name: "Open", exact: true })).toHaveAttribute("aria-current", "page");
  await expectAccessible(page, "the inbox with triage buttons");
  await shot(page, "triage-inbox");

  // The newest thread: opening it marks it read (for this person); j and k follow the list.
  await rows(page).nth(0).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "07700 900003" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark unread" })).toBeVisible();
  await expect(page.getByText("Shortcuts:")).toBeVisible();
  await page.keyboard.press("j");
  await expect(page.getByRole("heading", { level: 1, name: "07700 900002" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark unread" })).toBeVisible();
  await page.keyboard.press("k");
  await expect(page.getByRole("heading", { level: 1, name: "07700 900003" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Previous/ })).toHaveCount(0);

  // u marks it unread again, and the page does not mark it read behind the person's back.
  await page.keyboard.press("u");
  await expect(page.getByRole("button", { name: "Mark read" })).toBeVisible();

  // A note: keys typed into it are text, not shortcuts; a refused one keeps what was typed.
  const note = page.getByLabel("Internal note");
  await note.fill("x".repeat(1001));
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText("Keep a note to 1,000 characters.")).toBeVisible();
  await expect(note).toHaveValue("x".repeat(1001));
  await note.fill("");
  await note.pressSequentially("Called back: keep j and k here");
  await expect(page.getByRole("heading", { level: 1, name: "07700 900003" })).toBeVisible();
  await page.getByRole("button", { name: "Add note" }).click();
  const timeline = page.getByRole("list", { name: "Messages and notes" });
  await expect(timeline).toContainText("Internal note · Triager Person");
  await expect(timeline).toContainText("Called back: keep j and k here");
  await expect(note).toHaveValue("");
  await expectAccessible(page, "a thread with a note");
  await shot(page, "triage-thread");

  // e marks it done for the team; Open no longer lists it, Done does, and Reopen undoes it.
  await page.keyboard.press("e");
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: "Inbox", exact: true }).click();
  await expect(rows(page)).toHaveCount(2);
  // Read state is the person's own: the thread marked unread still counts, done or not.
  await expect(unreadChip(page)).toHaveText(/Unread\s*1/);
  await page.getByRole("link", { name: "Done", exact: true }).click();
  await expect(page).toHaveURL(/view=done/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).nth(0)).toContainText("07700 900003");
  await shot(page, "triage-done");
  await rows(page).nth(0).getByRole("button", { name: "Reopen" }).click();
  await expect(rows(page)).toHaveCount(0);
  await page.getByRole("link", { name: "Open", exact: true }).click();
  await expect(rows(page)).toHaveCount(3);

  // Mark unread from the list.
  const middle = rows(page).filter({ hasText: "07700 900002" });
  await middle.getByRole("button", { name: "Mark unread" }).click();
  await expect(middle.getByRole("button", { name: "Mark read" })).toBeVisible();
  await expect(middle).toContainText("1 unread");

  // A new message from a sender whose thread is done opens it again.
  await rows(page).filter({ hasText: "07700 900001" }).getByRole("button", { name: "Mark done" }).click();
  await expect(rows(page)).toHaveCount(2);
  await sendMessage(request, url, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Any news on the parcel?" });
  await page.reload();
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).nth(0)).toContainText("Any news on the parcel?");

  // The tests filter shows the test thread, its messages badged and deletable.
  await page.getByRole("link", { name: "Show tests" }).click();
  await expect(rows(page)).toHaveCount(4);
  const testRow = rows(page).filter({ hasText: "TEST from Moshi" });
  await expect(testRow).toContainText("Test");
  await testRow.getByRole("link").click();
  await expect(page.getByRole("list", { name: "Messages and notes" }).getByText("Test", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Delete test message" }).click();
  await expect(page).toHaveURL(/\/inbox\?tests=1$/);
  await expect(rows(page)).toHaveCount(3);

  // On a phone, in both themes: the buttons fit, nothing scrolls sideways.
  for (const colorScheme of ["light", "dark"] as const) {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme });
    const mobile = await phone.newPage();
    await signIn(mobile, account);
    await mobile.waitForURL((to) => !to.pathname.startsWith("/sign-in"));
    await mobile.goto(`/${slug}/inbox`);
    await expect(rows(mobile)).toHaveCount(3);
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(mobile, `triage-inbox-phone-${colorScheme}`);
    await rows(mobile).nth(1).getByRole("link").click();
    await mobile.waitForURL(/\/inbox\/[^/?]+$/);
    await expect(mobile.getByRole("button", { name: "Mark done" })).toBeVisible();
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(mobile, `triage-thread-phone-${colorScheme}`);
    await phone.close();
  }

  // The desktop in dark.
  const dark = await browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 } });
  const darkPage = await dark.newPage();
  await signIn(darkPage, account);
  await darkPage.waitForURL((to) => !to.pathname.startsWith("/sign-in"));
  await darkPage.goto(`/${slug}/inbox`);
  await shot(darkPage, "triage-inbox-dark");
  await rows(darkPage).filter({ hasText: "07700 900003" }).getByRole("link").click();
  await expect(darkPage.getByRole("list", { name: "Messages and notes" })).toContainText("Called back");
  await expectAccessible(darkPage, "a thread in the dark theme", { contrastOnly: true });
  await shot(darkPage, "triage-thread-dark");
  await dark.close();
});
