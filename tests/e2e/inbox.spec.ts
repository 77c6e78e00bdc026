import { type Download, type Page, expect, test } from "@playwright/test";
import { addNumber, newAccount, screenshot, sendMessage, signIn, signUp } from "./helpers";

const rows = (page: Page) => page.getByRole("list", { name: "Conversations" }).getByRole("listitem");
const row = (page: Page, text: string) => rows(page).filter({ hasText: text });

const JAPANESE = "こんにちは！注文した商品はいつ届きますか？ 🎁🚚 よろしくお願いします🙏";
const LONG =
  "Hi, I ordered the blue rain jacket last Tuesday (order #A-20931) and paid for express shipping, but the tracking link in your email " +
  "https://tracking.example.com/parcels/ZX9931822041JP/details?lang=en&ref=moshi-support-followup-reminder-2026 " +
  "still says the label was created and nothing else. Could you check with the courier and let me know when it will arrive? Thanks, Sam";
const PARTIAL = "Your appointment is confirmed for Thursday at 10:30. Reply YES to keep it, NO to cancel, or call us to move it to another day.";
const BINARY = { data: "EA0601AE02056A0045C60C037761702E6F7A656B692E6875000801034F7A656B69000101", udh: "0605040B8423F0" };

test("a new team's inbox says where messages come from", async ({ page }) => {
  const slug = await signUp(page, newAccount("inbox"), "Empty Inbox");
  // The team's home is the inbox.
  await page.goto(`/${slug}`);
  await expect(page).toHaveURL(new RegExp(`/${slug}/inbox$`));
  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No messages yet" })).toBeVisible();
  await expect(page.getByText("paste each one's webhook URL into the provider's portal")).toBeVisible();
  await page.getByRole("link", { name: "Add a number" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/numbers$`));

  await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line" });
  await page.getByRole("button", { name: "Done" }).click();
  await page.goto(`/${slug}/inbox`);
  await expect(page.getByText("Copy a number's webhook URL from the Numbers page into your provider's portal")).toBeVisible();
  await expect(page.getByRole("link", { name: "Copy a webhook URL from Numbers" })).toHaveAttribute("href", `/${slug}/numbers`);
  await screenshot(page, "inbox-empty");
});

test("the inbox shows every conversation with its badges, and a thread shows every message as it arrived", async ({ page, request, browser }) => {
  const account = newAccount("reader");
  const slug = await signUp(page, account, "Support Desk");
  const rakutenUrl = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo" });
  await page.getByRole("button", { name: "Done" }).click();
  const vonageUrl = await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line" });
  await page.getByRole("button", { name: "Done" }).click();

  // Oldest first: a long message in three parts, a message missing its last part, a binary
  // message, then two messages from a Japanese customer.
  await sendMessage(request, vonageUrl, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: LONG, parts: 3 });
  await sendMessage(request, rakutenUrl, { provider: "RAKUTEN", from: "818011112222", to: "815012345678", text: PARTIAL, parts: 3 }, [1, 2]);
  const binary = new URLSearchParams({ msisdn: "14845552121", to: "12192259404", messageId: "02000000DA7C52E7", type: "binary", ...BINARY });
  expect((await request.get(`${vonageUrl}?${binary}`)).status()).toBe(200);
  await sendMessage(request, rakutenUrl, { provider: "RAKUTEN", from: "819012345678", to: "815012345678", text: "Hello?" });
  await sendMessage(request, rakutenUrl, { provider: "RAKUTEN", from: "819012345678", to: "815012345678", text: JAPANESE });

  await page.goto(`/${slug}/inbox`);
  await expect(rows(page)).toHaveCount(4);
  // Newest first, senders as people write them, our number and its provider, unread counts.
  await expect(rows(page).nth(0)).toContainText("090-1234-5678");
  await expect(rows(page).nth(0)).toContainText("Japan");
  await expect(rows(page).nth(0)).toContainText("+819012345678");
  await expect(rows(page).nth(0)).toContainText(JAPANESE);
  await expect(rows(page).nth(0)).toContainText("Tokyo");
  await expect(rows(page).nth(0)).toContainText("Rakuten CPaaS");
  await expect(rows(page).nth(0)).toContainText("2 unread");
  await expect(rows(page).nth(1)).toContainText("(484) 555-2121");
  await expect(rows(page).nth(1)).toContainText("Binary message");
  await expect(rows(page).nth(1)).toContainText("Vonage");
  await expect(rows(page).nth(2)).toContainText("080-1111-2222");
  await expect(rows(page).nth(2)).toContainText("2 of 3 parts");
  await expect(rows(page).nth(3)).toContainText("07700 900001");
  await expect(rows(page).nth(3)).toContainText("United Kingdom");
  await expect(rows(page).nth(3)).toContainText("Hi, I ordered the blue rain jacket");
  await expect(rows(page).nth(3)).toContainText("1 unread");
  await expect(page.getByRole("link", { name: /Unread\s*4/ })).toBeVisible();
  await screenshot(page, "inbox");

  // On a phone in dark mode, before anything is read.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const mobile = await phone.newPage();
  await signIn(mobile, account);
  await mobile.waitForURL(/\/inbox$/);
  await mobile.goto(`/${slug}/inbox`);
  await expect(rows(mobile)).toHaveCount(4);
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(mobile, "inbox-mobile-dark");
  await phone.close();

  // Filters are links and a GET form; each keeps the others.
  await page.getByRole("link", { name: "Vonage", exact: true }).click();
  await expect(page).toHaveURL(/provider=vonage/);
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole("link", { name: /^Unread/ }).click();
  await expect(page).toHaveURL(/unread=1/);
  await expect(page).toHaveURL(/provider=vonage/);
  await expect(rows(page)).toHaveCount(2);
  await page.getByLabel("Number").selectOption({ label: "Tokyo (Rakuten CPaaS)" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/number=/);
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).nth(0)).toContainText("Tokyo");

  // The multi-part thread: the whole text in one bubble, with its parts and raw requests.
  await page.goto(`/${slug}/inbox`);
  await row(page, "07700 900001").getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "07700 900001" })).toBeVisible();
  const thread = page.getByRole("list", { name: "Messages" });
  await expect(thread.getByRole("listitem")).toHaveCount(1);
  await expect(thread).toContainText(LONG);
  await expect(thread).toContainText("3 parts");
  await expect(thread).toContainText("GSM-7");
  // Its keyword chip: the first meaningful word ("Hi, I ordered…": the greeting and I skipped).
  await expect(thread.getByText("ORDERED", { exact: true })).toBeVisible();
  await screenshot(page, "thread");
  const raw = thread.getByText("Raw payloads (3 parts)");
  await expect(page.getByText("Part 1 of 3")).toBeHidden();
  await raw.click();
  await expect(page.getByText("Part 1 of 3")).toBeVisible();
  await expect(page.getByText("Part 3 of 3")).toBeVisible();
  await expect(thread).toContainText("concat-part = 2");
  await expect(thread).toContainText("application/x-www-form-urlencoded");
  // Nothing is wider than the page, whatever the long URL does.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(page, "thread-raw-payload");

  // Opening it read it: back in the inbox its badge is gone, the others are still unread
  // (the inbox's links were prefetched, and that must not count as reading).
  await page.getByRole("link", { name: "Inbox", exact: true }).first().click();
  await expect(row(page, "07700 900001")).not.toContainText("unread");
  await expect(row(page, "090-1234-5678")).toContainText("2 unread");
  await expect(row(page, "080-1111-2222")).toContainText("1 unread");
  await expect(page.getByRole("link", { name: /Unread\s*3/ })).toBeVisible();

  // Keyboard: from the first row, ↓ then Enter opens the second.
  await rows(page).nth(0).getByRole("link").focus();
  await page.keyboard.press("ArrowDown");
  await expect(rows(page).nth(1).getByRole("link")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "(484) 555-2121" })).toBeVisible();
  await expect(page.getByText("Binary message · 36 bytes")).toBeVisible();
  await expect(page.getByText(/^EA 06 01 AE 02 05/)).toBeVisible();
  await expect(page.getByText("Binary", { exact: true })).toBeVisible();
  // Back in the browser's history: the cached inbox was refreshed by the read.
  await page.goBack();
  await expect(row(page, "(484) 555-2121")).not.toContainText("unread");

  // j/k work too, and Enter opens the partial message's thread.
  await rows(page).nth(0).getByRole("link").focus();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await page.keyboard.press("j");
  await expect(rows(page).nth(2).getByRole("link")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "080-1111-2222" })).toBeVisible();
  await expect(page.getByText("2 of 3 received")).toBeVisible();
  await expect(page.getByRole("list", { name: "Messages" })).toContainText("Your appointment is confirmed");
  await screenshot(page, "thread-partial");

  // The Japanese thread: both messages in order, unicode and emoji intact.
  await page.goto(`/${slug}/inbox`);
  await row(page, "090-1234-5678").getByRole("link").click();
  const japanese = page.getByRole("list", { name: "Messages" }).getByRole("listitem");
  await expect(japanese).toHaveCount(2);
  await expect(japanese.nth(0)).toContainText("Hello?");
  await expect(japanese.nth(1)).toContainText(JAPANESE);
  await expect(japanese.nth(1)).toContainText("Unicode");
  const conversationUrl = new URL(page.url()).pathname;

  // The same thread on a phone in dark mode: nothing wider than the screen.
  const phoneThread = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const mobileThread = await phoneThread.newPage();
  await signIn(mobileThread, account);
  await mobileThread.waitForURL(/\/inbox$/);
  await mobileThread.goto(conversationUrl);
  await expect(mobileThread.getByRole("list", { name: "Messages" })).toContainText(JAPANESE);
  expect(await mobileThread.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(mobileThread, "thread-mobile-dark");
  await phoneThread.close();

  // A member of another team: 404 on this team's inbox and thread.
  const other = await browser.newContext();
  const intruder = await other.newPage();
  const otherSlug = await signUp(intruder, newAccount("intruder"), "Elsewhere");
  for (const path of [`/${slug}/inbox`, `/${slug}/inbox?unread=1`, conversationUrl]) {
    const response = await intruder.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(intruder.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
  // Under their own team the id is just an unknown one, answered exactly like one.
  const conversationId = conversationUrl.split("/").at(-1)!;
  const unknown = await intruder.goto(`/${otherSlug}/inbox/cm0000000000000000000000`);
  await expect(intruder.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const foreign = await intruder.goto(`/${otherSlug}/inbox/${conversationId}`);
  await expect(intruder.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect(foreign?.status()).toBe(unknown?.status());
  await other.close();
});

test("search, keyword filter, opt-out and CSV export", async ({ page, request, browser }) => {
  const slug = await signUp(page, newAccount("search"), "Search Desk");
  const url = await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line" });
  await page.getByRole("button", { name: "Done" }).click();
  const texts: [string, string][] = [
    ["447700900101", "Yes! Please refund my order #A-1"],
    ["447700900102", "STOP"],
    ["447700900103", "予約をお願いします 🙏"],
    ["447700900104", "Is the 50% off still on?"],
    ["447700900105", '=HYPERLINK("http://example.com","click")'],
    ["447700900106", "yes, and a question about my refund, too"],
  ];
  for (const [from, text] of texts) await sendMessage(request, url, { provider: "VONAGE", from, to: "12192259404", text });

  await page.goto(`/${slug}/inbox`);
  await expect(rows(page)).toHaveCount(6);
  // The sender who texted STOP is marked in the list and on the thread.
  await expect(row(page, "07700 900102")).toContainText("Opted out");
  await expect(rows(page).filter({ hasText: "Opted out" })).toHaveCount(1);

  // Search: any word of any message, case-insensitively, the match marked.
  await page.getByRole("searchbox", { name: "Search message text" }).fill("REFUND");
  await page.getByRole("searchbox", { name: "Search message text" }).press("Enter");
  await expect(page).toHaveURL(/q=REFUND/);
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).locator("mark").first()).toHaveText("refund");
  await expect(page.getByRole("navigation", { name: "Filter conversations" })).toContainText("“REFUND”");
  await screenshot(page, "inbox-search");

  // The export holds exactly what the screen found, readable by spreadsheets.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^moshi-${slug}-messages-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const csv = await readDownload(download);
  expect(csv.startsWith("\uFEFFreceived_at,provider,our_number,")).toBe(true);
  const lines = csv.trimEnd().split("\r\n");
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain('"yes, and a question about my refund, too"');
  expect(lines[2]).toContain("Yes! Please refund my order #A-1");

  // Wildcards are literal; a search with no result says so and offers the way back.
  await page.goto(`/${slug}/inbox?q=${encodeURIComponent("50% off")}`);
  await expect(rows(page)).toHaveCount(1);
  await page.goto(`/${slug}/inbox?q=${encodeURIComponent("5_ off")}`);
  await expect(page.getByRole("heading", { name: "No conversations match these filters" })).toBeVisible();
  await page.goto(`/${slug}/inbox?q=x`);
  await expect(page.getByRole("alert").filter({ hasText: "characters" })).toHaveText("Type at least 2 characters to search.");
  await expect(page.getByRole("searchbox", { name: "Search message text" })).toHaveAccessibleDescription("Type at least 2 characters to search.");
  await expect(rows(page)).toHaveCount(6);

  // Keyword: from a link (the keywords page makes these), punctuation and case as typed.
  await page.goto(`/${slug}/inbox?keyword=${encodeURIComponent("yes!")}`);
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole("link", { name: "Remove the keyword filter YES" }).click();
  await expect(rows(page)).toHaveCount(6);
  await page.getByRole("combobox", { name: "Keyword" }).fill("予約をお願いします");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText("予約をお願いします 🙏");

  // The opted-out thread says so, with what to do.
  await page.goto(`/${slug}/inbox`);
  await row(page, "07700 900102").getByRole("link").click();
  await expect(page.getByRole("status").filter({ hasText: "Opted out" })).toContainText("until they text START or UNSTOP");
  await screenshot(page, "thread-opted-out");

  // The whole export: every message, formulas defused, Japanese intact.
  const all = await (await page.request.get(`/${slug}/inbox/export`)).text();
  expect(all.trimEnd().split("\r\n")).toHaveLength(7);
  expect(all).toContain(`"'=HYPERLINK(""http://example.com"",""click"")"`);
  expect(all).toContain("予約をお願いします 🙏");

  // Another team's member gets 404 for the export; a signed-out visitor is sent to sign in.
  const other = await browser.newContext();
  const intruder = await other.newPage();
  await signUp(intruder, newAccount("exporter"), "Elsewhere");
  const foreign = await intruder.request.get(`/${slug}/inbox/export`);
  expect(foreign.status()).toBe(404);
  expect(await foreign.text()).not.toContain("refund");
  await other.close();
  const anonymous = await browser.newContext();
  const signedOut = await anonymous.request.get(`/${slug}/inbox/export?q=refund`, { maxRedirects: 0 });
  expect(signedOut.status()).toBe(303);
  expect(signedOut.headers().location).toContain(`/sign-in?callbackUrl=${encodeURIComponent(`/${slug}/inbox/export?q=refund`)}`);
  await anonymous.close();
});

async function readDownload(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
