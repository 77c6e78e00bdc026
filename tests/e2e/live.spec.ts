import { type Page, expect, test } from "@playwright/test";
import { buildDeliveries } from "@/lib/sms/simulate";
import { addNumber, newAccount, postToWebhook, screenshot, sendMessage, signUp } from "./helpers";

// Pages poll every 5 seconds: anything they show live should be there well within 15.
const LIVE = { timeout: 15_000 };

const CUSTOMER = { provider: "VONAGE", from: "447700900001", to: "12192259404" } as const;
const LONG =
  "Thanks for the quick answer. The parcel finally arrived this morning, but the jacket inside is the green one, not the blue one I " +
  "ordered. Can I send it back with the same label, or do you need to email me a new one first?";

const rows = (page: Page) => page.getByRole("list", { name: "Conversations" }).getByRole("listitem");
const row = (page: Page, text: string) => rows(page).filter({ hasText: text });

test("new messages appear in the open inbox and the open thread without a reload", async ({ page, request }) => {
  // Six changes, each seen at the next poll: more than the default 30 seconds.
  test.setTimeout(120_000);
  const slug = await signUp(page, newAccount("live"), "Live Desk");
  const url = await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line" });
  await page.getByRole("button", { name: "Done" }).click();

  await page.goto(`/${slug}/inbox`);
  await expect(page.getByRole("heading", { name: "No messages yet" })).toBeVisible();
  await expect(page.getByText("Live updates")).toBeVisible();
  await markWindow(page);

  // The first text: the empty inbox becomes a list, announced to screen readers.
  await sendMessage(request, url, { ...CUSTOMER, text: "Is my order on its way?" });
  await expect(row(page, "07700 900001")).toContainText("Is my order on its way?", LIVE);
  await expect(row(page, "07700 900001")).toContainText("1 unread");
  await expect(page.getByRole("status").getByText("1 new message")).toBeAttached();
  // A second sender: a second row, on top.
  await sendMessage(request, url, { ...CUSTOMER, from: "14845552121", text: "Do you ship to Canada?" });
  await expect(rows(page)).toHaveCount(2, LIVE);
  await expect(rows(page).nth(0)).toContainText("Do you ship to Canada?");
  await expectNotReloaded(page);
  await screenshot(page, "inbox-live");

  // The open thread: a new message becomes a new bubble.
  await row(page, "07700 900001").getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "07700 900001" })).toBeVisible();
  const bubbles = page.getByRole("list", { name: "Messages" }).getByRole("listitem");
  await expect(bubbles).toHaveCount(1);
  await markWindow(page);
  await sendMessage(request, url, { ...CUSTOMER, text: "Hello? Anyone there?" });
  await expect(bubbles).toHaveCount(2, LIVE);
  await expect(bubbles.nth(1)).toContainText("Hello? Anyone there?");
  await expect(page.getByText("2 messages", { exact: true })).toBeVisible();

  // A long message shows with its first part, and fills in when the second one arrives.
  const [first, second] = buildDeliveries({ ...CUSTOMER, text: LONG, parts: 2 });
  expect(await postToWebhook(request, url, first!)).toBe(200);
  await expect(bubbles).toHaveCount(3, LIVE);
  await expect(bubbles.nth(2)).toContainText("1 of 2 received");
  expect(await postToWebhook(request, url, second!)).toBe(200);
  await expect(bubbles.nth(2)).toContainText(LONG, LIVE);
  await expect(bubbles.nth(2)).toContainText("2 parts");
  await expectNotReloaded(page);
  await screenshot(page, "thread-live");

  // What arrived while the thread was open was read there: nothing is left unread in it.
  await page.getByRole("link", { name: "Inbox", exact: true }).first().click();
  await expect(row(page, "(484) 555-2121")).toContainText("1 unread");
  await expect(row(page, "07700 900001")).not.toContainText("unread", LIVE);
});

test("the changes endpoint answers the team's members only", async ({ browser, request }) => {
  const aliceContext = await browser.newContext();
  const alice = await aliceContext.newPage();
  const slug = await signUp(alice, newAccount("alice"), "Alice Corp");
  const endpoint = `/api/teams/${slug}/changes`;

  const own = await alice.request.get(endpoint);
  expect(own.status()).toBe(200);
  expect(own.headers()["cache-control"]).toBe("no-store");
  expect(await own.json()).toEqual({ version: expect.any(String) });
  expect((await alice.request.get(`${endpoint}?conversation=cm0000000000000000000000`)).status()).toBe(200);

  // Another team's member: the same 404 as for a team that does not exist.
  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  await signUp(bob, newAccount("bob"), "Bob Ltd");
  for (const path of [endpoint, `${endpoint}?conversation=cm0000000000000000000000`, "/api/teams/no-such-team/changes"]) {
    const response = await bob.request.get(path);
    expect(response.status(), path).toBe(404);
    expect(await response.json()).toEqual({ error: "Not found" });
  }

  // Signed out: 401, not a redirect to the sign-in page.
  const anonymous = await request.get(endpoint, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["cache-control"]).toBe("no-store");
  await Promise.all([aliceContext.close(), bobContext.close()]);
});

/** Leaves a mark on the page's window, which only a reload would wipe. */
async function markWindow(page: Page) {
  await page.evaluate(() => Object.assign(window, { liveTestMark: true }));
}

async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => "liveTestMark" in window)).toBe(true);
}
