import { type Page, expect } from "@playwright/test";
import { DEMO_LOGIN, demoTest as test, expectAccessible, findAccessibilityViolations, newAccount, screenshot, signUp } from "./helpers";

/**
 * The demo tour: every dashboard page on the seeded demo team (lib/demo.ts), and on a team with
 * nothing yet. Each stop asserts what a person would look for there, saves a screenshot in both
 * themes (and on a phone for the main pages) and is scanned with axe in each.
 */

test.describe.configure({ mode: "parallel" });

const rows = (page: Page) => page.getByRole("list", { name: "Conversations" }).getByRole("listitem");

/** Opens the conversation the inbox search finds for `text`, as a person looking for it would. */
async function openThread(page: Page, team: string, text: string) {
  await page.goto(`/${team}/inbox`);
  await page.getByRole("searchbox", { name: "Search message text" }).fill(text);
  await page.getByRole("searchbox", { name: "Search message text" }).press("Enter");
  await expect(rows(page)).toHaveCount(1);
  await rows(page).getByRole("link").click();
  await expect(page.getByRole("list", { name: "Messages" })).toBeVisible();
}

/** Waits until a chart has drawn its SVG, which recharts does only once it has measured its box. */
async function chartDrawn(page: Page, name: RegExp) {
  await expect(page.getByRole("img", { name }).locator("svg").first()).toBeVisible();
}

type Stop = { name: string; main?: boolean; open: (page: Page, team: string) => Promise<void> };

const STOPS: Stop[] = [
  {
    name: "inbox",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/inbox`);
      await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
      await expect(rows(page)).toHaveCount(30);
      // The newest conversation is a long message still arriving.
      await expect(rows(page).first()).toContainText("2 of 3 parts");
      await expect(rows(page).first()).toContainText("unread");
      await expect(rows(page).filter({ hasText: "Opted out" }).first()).toBeVisible();
      await expect(rows(page).filter({ hasText: "Incomplete" }).first()).toBeVisible();
      await expect(page.getByRole("link", { name: "Load older" })).toBeVisible();
    },
  },
  {
    name: "inbox-unread",
    async open(page, team) {
      await page.goto(`/${team}/inbox`);
      await page.getByRole("navigation", { name: "Filter conversations" }).getByRole("link", { name: /Unread/ }).click();
      await expect(page).toHaveURL(/unread=1/);
      await expect(page.getByRole("link", { name: /Unread/ })).toHaveAttribute("aria-current", "true");
      const count = await rows(page).count();
      expect(count).toBeGreaterThan(0);
      for (let i = 0; i < count; i++) await expect(rows(page).nth(i)).toContainText("unread");
    },
  },
  {
    name: "inbox-keyword",
    async open(page, team) {
      await page.goto(`/${team}/inbox?keyword=sale`);
      await expect(page.getByRole("link", { name: "Remove the keyword filter SALE" })).toBeVisible();
      expect(await rows(page).count()).toBeGreaterThan(20);
      await expect(rows(page).first()).toContainText(/sale/i);
    },
  },
  {
    name: "inbox-search",
    async open(page, team) {
      await page.goto(`/${team}/inbox`);
      await page.getByRole("searchbox", { name: "Search message text" }).fill("refund");
      await page.getByRole("searchbox", { name: "Search message text" }).press("Enter");
      await expect(page.getByRole("link", { name: "Clear the search" })).toBeVisible();
      await expect(rows(page)).toHaveCount(2);
      await expect(rows(page).locator("mark")).toHaveText([/refund/i, /refund/i]);
    },
  },
  {
    name: "thread-multipart",
    main: true,
    async open(page, team) {
      // Three parts that arrived out of order, joined in the right one.
      await openThread(page, team, "quick feedback on the new app");
      await expect(page.getByText("3 parts", { exact: true })).toBeVisible();
      await expect(page.getByText(/^Hi there, quick feedback .* Keep it up!$/)).toBeVisible();
    },
  },
  {
    name: "thread-incomplete",
    async open(page, team) {
      await openThread(page, team, "office chair from order 48402");
      await expect(page.getByText("Incomplete: 2 of 3 arrived")).toBeVisible();
    },
  },
  {
    name: "thread-unicode",
    async open(page, team) {
      await openThread(page, team, "注文番号は20931");
      await expect(page.getByRole("paragraph").filter({ hasText: "届きました！ありがとうございます😊" })).toBeVisible();
      await expect(page.getByText("Unicode", { exact: true }).first()).toBeVisible();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(/^0[789]0-/);
    },
  },
  {
    name: "thread-opted-out",
    async open(page, team) {
      await openThread(page, team, "This is ridiculous");
      await expect(page.getByRole("status").filter({ hasText: "Opted out" })).toContainText("Do not send them messages");
      await expect(page.getByRole("list", { name: "Messages" }).getByRole("listitem").last()).toContainText("STOP");
    },
  },
  {
    name: "thread-binary",
    async open(page, team) {
      // Binary messages have no text to search for: page through the US hotline's conversations.
      await page.goto(`/${team}/inbox?provider=vonage`);
      const binary = rows(page).filter({ hasText: "Binary message" });
      // The list streams in after the page: count only once it is there, and after each click
      // only once the older page has replaced it, or a page is skipped unseen.
      await expect(rows(page).first()).toBeVisible();
      while (!(await binary.count())) {
        const first = await rows(page).first().innerText();
        await page.getByRole("link", { name: "Load older" }).click();
        await expect(rows(page).first()).not.toHaveText(first);
      }
      await binary.getByRole("link").click();
      await expect(page.getByText(/^Binary message · \d+ bytes$/)).toBeVisible();
      // "BEGIN:VCARD" in hex.
      await expect(page.getByText(/^42 45 47 49 4E 3A 56 43 41 52 44/)).toBeVisible();
    },
  },
  {
    name: "keywords-7d",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/keywords`);
      await expect(page.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
      const top = page.locator("table").getByRole("row");
      // SALE and WIN, the week's campaigns, lead with their labels.
      await expect(top.nth(1)).toContainText("SALE");
      await expect(top.nth(1)).toContainText("Sale campaign");
      await expect(top.nth(2)).toContainText("WIN");
      await expect(top.nth(2)).toContainText("Prize draw");
      await chartDrawn(page, /^Daily use of SALE, WIN, .*: SALE \d+ in total, most on /);
    },
  },
  {
    name: "keywords-30d",
    async open(page, team) {
      await page.goto(`/${team}/keywords?period=30d`);
      await expect(page.getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "page");
      await expect(page.locator("table").getByRole("row").nth(1)).toContainText("SALE");
      await expect(page.locator("table").getByRole("row").filter({ hasText: "STOP" })).toContainText("Opt-out");
      await chartDrawn(page, /Daily use of SALE/);
    },
  },
  {
    name: "stats",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/stats`);
      await expect(page.getByRole("heading", { name: "Statistics", level: 1 })).toBeVisible();
      // The week's refusals, with their reason, whatever else the page says.
      await expect(page.getByRole("term").filter({ hasText: /^Rejected$/ }).locator("..")).toContainText(/^Rejected3/);
      await expect(page.getByRole("heading", { name: "Rejected, by reason" }).locator("..")).toContainText(/401.*does not match.*×3/);
      const silence = page.getByRole("listitem").filter({ hasText: "Tokyo support line" });
      await expect(silence).toContainText("Silent");
      await expect(silence).toContainText(/\d+ days ago/);
      await chartDrawn(page, /^Deliveries per day: \d+ in total, most on .*; stored \d+, retries absorbed \d+, ignored \d+, rejected 3\.$/);
    },
  },
  {
    name: "deliveries",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/deliveries`);
      const log = page.getByRole("list", { name: "Deliveries" }).getByRole("listitem");
      await expect(log).toHaveCount(50);
      const outcomes = page.getByRole("navigation", { name: "Filter by outcome" });
      await expect(outcomes.getByRole("link", { name: /Rejected/ })).toContainText(/\d/);
      await expect(outcomes.getByRole("link", { name: /Retries absorbed/ })).toBeVisible();
    },
  },
  {
    name: "deliveries-rejected",
    async open(page, team) {
      await page.goto(`/${team}/deliveries`);
      await page.getByRole("navigation", { name: "Filter by outcome" }).getByRole("link", { name: /Rejected/ }).click();
      await expect(page).toHaveURL(/outcome=rejected/);
      const log = page.getByRole("list", { name: "Deliveries" }).getByRole("listitem");
      // The old secret's hour, the unsigned test, the replayed webhook, the browser and the cut
      // body: each with its reason.
      await expect(log).toHaveCount(7);
      await expect(log.filter({ hasText: "Signature does not match" })).toHaveCount(3);
      await expect(log.filter({ hasText: "Signature missing" })).toHaveCount(1);
      await expect(log.filter({ hasText: "Signature too old" })).toHaveCount(1);
      await expect(log.filter({ hasText: "Wrong HTTP method" })).toHaveCount(1);
      await expect(log.filter({ hasText: "Not an inbound SMS in Rakuten CPaaS's format" })).toHaveCount(1);
    },
  },
  {
    name: "delivery-bad-signature",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/deliveries?outcome=rejected`);
      await page.getByRole("link").filter({ hasText: "Signature does not match" }).first().click();
      await expect(page.getByRole("heading", { name: "Signature does not match", level: 1 })).toBeVisible();
      await expect(page.getByText("How to fix it:")).toBeVisible();
      await expect(page.getByText("Signed, but not with this number's secret")).toBeVisible();
      await expect(page.getByRole("heading", { name: "Raw request" })).toBeVisible();
      await expect(page.getByRole("table", { name: "Form body, decoded" })).toContainText("sig");
    },
  },
  {
    name: "delivery-stale-signature",
    async open(page, team) {
      // A webhook replayed by hand long after the provider signed it.
      await page.goto(`/${team}/deliveries?outcome=rejected`);
      await page.getByRole("link").filter({ hasText: "Signature too old" }).click();
      await expect(page.getByRole("heading", { name: "Signature too old", level: 1 })).toBeVisible();
      await expect(page.getByText("How to fix it:")).toBeVisible();
      await expect(page.getByText(/genuine but was made \d+ seconds ago/).first()).toBeVisible();
    },
  },
  {
    name: "delivery-receipt",
    async open(page, team) {
      await page.goto(`/${team}/deliveries?outcome=ignored`);
      await page.getByRole("link").filter({ hasText: "Delivery receipt sent to the inbound URL" }).first().click();
      await expect(page.getByRole("heading", { name: "Delivery receipt sent to the inbound URL", level: 1 })).toBeVisible();
      await expect(page.getByText("so that", { exact: false }).first()).toContainText("stops retrying");
      await expect(page.getByText("No message was stored from this delivery.")).toBeVisible();
    },
  },
  {
    name: "numbers",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/numbers`);
      await expect(page.getByRole("heading", { level: 2 })).toHaveText(["Tokyo support line", "Zagreb promotions", "US hotline", "Denver appointments", "Chicago front desk"]);
      await expect(page.getByText("Signed · sha256")).toBeVisible();
      const card = (label: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: label }) });
      for (const label of ["Denver appointments", "Chicago front desk"]) await expect(card(label).getByText("Signed", { exact: true })).toBeVisible();
      await expect(card("Chicago front desk")).toContainText("+1 312 555 0142");
    },
  },
  {
    name: "forwarding",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/forwarding`);
      await expect(page.getByRole("heading", { name: "Forwarding", level: 1 })).toBeVisible();
      const endpoint = page.getByRole("list", { name: "Endpoints" }).getByRole("listitem");
      await expect(endpoint).toHaveCount(1);
      await expect(endpoint).toContainText("http://127.0.0.1:4400/events");
      await expect(endpoint).toContainText(/\d+(\.\d)? % of \d+/);
      await expect(page.getByRole("heading", { name: "Event types" })).toBeVisible();
    },
  },
  {
    name: "forwarding-endpoint",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/forwarding`);
      await page.getByRole("link", { name: "http://127.0.0.1:4400/events" }).click();
      await expect(page.getByRole("heading", { name: "http://127.0.0.1:4400/events", level: 1 })).toBeVisible();
      const attempts = page.getByRole("list", { name: "Attempts" }).getByRole("listitem");
      // The demo's attempts, among which the demo's own alerts may have arrived since seeding.
      await expect(attempts.filter({ hasText: "HTTP 200" }).first()).toBeVisible();
      await expect(attempts.filter({ hasText: "HTTP 503" }).first()).toContainText("Next try");
      await expect(attempts.filter({ hasText: "timed out" })).toHaveCount(1);
      await expect(page.getByRole("button", { name: "Send test event" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Verify the requests" })).toBeVisible();
    },
  },
  {
    name: "alerts",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/alerts`);
      await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
      // The demo's Tokyo line is silent for days: past its own usual gap.
      await expect(page.getByRole("row", { name: /Tokyo/ })).toBeVisible();
      await expect(page.getByRole("button", { name: "Save rules" })).toBeVisible();
    },
  },
  {
    name: "api-keys",
    async open(page, team) {
      await page.goto(`/${team}/api-keys`);
      await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
      await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
    },
  },
  {
    name: "members",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/members`);
      await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
      await expect(page.getByRole("main").getByText(DEMO_LOGIN.email)).toBeVisible();
      await expect(page.getByText("Owner", { exact: true }).first()).toBeVisible();
    },
  },
  {
    name: "audit",
    async open(page, team) {
      await page.goto(`/${team}/audit`);
      await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
      await expect(page.getByRole("table").getByText("added the forwarding endpoint http://127.0.0.1:4400/events")).toBeVisible();
    },
  },
  {
    name: "settings",
    main: true,
    async open(page, team) {
      await page.goto(`/${team}/settings`);
      await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
      await expect(page.getByLabel("Keep raw delivery bodies for (days)")).toHaveValue("30");
      await expect(page.getByRole("link", { name: "Download export" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Delete this team" })).toBeDisabled();
    },
  },
];

// The slowest test first, so it runs alongside the stops rather than after them.
test.describe("a team with nothing yet", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("every page says what to do first", async ({ page }) => {
    // Eleven pages, each checked in both themes with axe: three times the usual time.
    test.slow();
    const slug = await signUp(page, newAccount("tour"), "Empty Tour");
    const pages: [string, string | RegExp][] = [
      ["inbox", "No messages yet"],
      ["keywords", /^No keywords in the last 7 days$/],
      ["stats", "No deliveries in this period"],
      ["deliveries", "No deliveries yet"],
      ["numbers", "No numbers yet"],
      ["api-keys", "No API keys yet"],
      ["forwarding", "No endpoints yet"],
      ["alerts", "No alerts yet"],
      ["members", "Members"],
      // Its first entry: the team, created at sign-up.
      ["audit", "Audit log"],
      ["settings", "Retention"],
    ];
    for (const [name, heading] of pages) {
      await page.emulateMedia({ colorScheme: "light" });
      await page.goto(`/${slug}/${name}`);
      await expect(page.getByRole("heading", { name: heading })).toBeVisible();
      await checkThemes(page, `empty-${name}`);
    }
  });
});

test.describe("signing in", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the sign-in and sign-up pages", async ({ page }) => {
    for (const [name, button] of [["sign-in", "Sign in"], ["sign-up", "Create account"]]) {
      await page.emulateMedia({ colorScheme: "light" });
      await page.goto(`/${name}`);
      await expect(page.getByRole("button", { name: button })).toBeVisible();
      await checkThemes(page, name!);
    }
  });
});

test("the accessibility check catches faint text", async ({ page }) => {
  // Guards the guard: if the scans stopped checking contrast, the tour would prove nothing.
  await page.setContent(`<html lang="en"><title>Check</title><body><main><h1>Check</h1><p style="color:#bbb;background:#fff">Faint text</p></main></body></html>`);
  expect(await findAccessibilityViolations(page)).toEqual([expect.stringMatching(/^color-contrast \(serious\): .* at p\n/)]);
});

for (const stop of STOPS) {
  test(`the demo tour: ${stop.name}${stop.main ? ", also on a phone" : ""}`, async ({ page, team }) => {
    await stop.open(page, team);
    await checkThemes(page, stop.name);
    if (!stop.main) return;

    // The same page loaded again on a phone, as a phone would show it first.
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize(PHONE);
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // The charts (explicit images: recharts' own <svg> inside counts as one too) have drawn again.
    for (const chart of await page.locator("[role=img]").all()) await expect(chart.locator("svg").first()).toBeVisible();
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, "the page scrolls sideways on a phone").toBeLessThanOrEqual(innerWidth);
    await screenshot(page, `tour-phone-${stop.name}`);
    // The phone layout has its own header and navigation: every rule, not only contrast.
    await expectAccessible(page, `${stop.name} (phone)`);
  });
}

const PHONE = { width: 390, height: 844 };

/** Screenshots the page in the light and the dark theme, and scans it with axe in each. */
async function checkThemes(page: Page, name: string) {
  await screenshot(page, `tour-${name}`);
  await expectAccessible(page, `${name} (light)`);
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, `tour-${name}-dark`);
  // Only colours change with the theme; the structure was checked in light.
  await expectAccessible(page, `${name} (dark)`, { contrastOnly: true });
}
