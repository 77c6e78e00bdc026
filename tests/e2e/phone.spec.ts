import { type Page, expect } from "@playwright/test";
import { demoTest as test, expectAccessible, screenshot } from "./helpers";

/**
 * The dashboard on phones, on the seeded demo team: every section one tap away behind the menu
 * button, the inbox's first conversation near the top of the screen, and no page that scrolls
 * sideways (wide tables scroll inside their cards). Screenshots of every page in both themes.
 */

const PHONES = [
  { width: 390, height: 844 },
  { width: 360, height: 740 },
];

const rows = (page: Page) => page.getByRole("list", { name: "Conversations" }).getByRole("listitem");

/** Every page of the team, reached as a person would: the lists by URL, a detail from its list. */
const PAGES: { name: string; open: (page: Page, team: string) => Promise<void> }[] = [
  { name: "inbox", open: (page, team) => goto(page, `/${team}/inbox`) },
  {
    name: "thread",
    async open(page, team) {
      await goto(page, `/${team}/inbox?q=${encodeURIComponent("quick feedback on the new app")}`);
      await rows(page).first().getByRole("link").click();
      await expect(page.getByRole("list", { name: "Messages" })).toBeVisible();
    },
  },
  { name: "keywords", open: (page, team) => goto(page, `/${team}/keywords`) },
  { name: "stats", open: (page, team) => goto(page, `/${team}/stats`) },
  { name: "deliveries", open: (page, team) => goto(page, `/${team}/deliveries`) },
  {
    name: "delivery",
    async open(page, team) {
      await goto(page, `/${team}/deliveries?outcome=rejected`);
      await page.getByRole("list", { name: "Deliveries" }).getByRole("link").first().click();
      await expect(page.getByRole("heading", { name: "Raw request" })).toBeVisible();
    },
  },
  { name: "numbers", open: (page, team) => goto(page, `/${team}/numbers`) },
  { name: "forwarding", open: (page, team) => goto(page, `/${team}/forwarding`) },
  {
    name: "forwarding-endpoint",
    async open(page, team) {
      await goto(page, `/${team}/forwarding`);
      await page.getByRole("link", { name: "http://127.0.0.1:4400/events" }).click();
      await expect(page.getByRole("list", { name: "Attempts" })).toBeVisible();
    },
  },
  { name: "members", open: (page, team) => goto(page, `/${team}/members`) },
  { name: "api-keys", open: (page, team) => goto(page, `/${team}/api-keys`) },
  { name: "audit", open: (page, team) => goto(page, `/${team}/audit`) },
];

async function goto(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

async function expectNoSidewaysScroll(page: Page, where: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${where} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

for (const phone of PHONES) {
  test.describe(`on a ${phone.width}×${phone.height} phone`, () => {
    test.use({ viewport: phone });

    test("every section is in the menu, which traps focus and closes with Escape or a tap", async ({ page, team }) => {
      await goto(page, `/${team}/inbox`);
      // No row of tabs running off the screen: one menu button.
      await expect(page.getByRole("navigation", { name: "Team" })).toHaveCount(0);
      const menu = page.getByRole("button", { name: "Menu" });
      await menu.click();
      const sheet = page.getByRole("dialog", { name: "Menu" });
      const links = sheet.getByRole("navigation", { name: "Team" }).getByRole("link");
      // The owner's sections, the audit log included; each one wholly on the screen.
      expect(await links.count()).toBeGreaterThanOrEqual(9);
      for (const link of await links.all()) await expect(link).toBeInViewport({ ratio: 1 });
      for (const name of ["Delivery log", "Numbers", "Members", "Audit log"]) await expect(links.filter({ hasText: name })).toHaveCount(1);
      await expect(links.filter({ hasText: "Inbox" })).toHaveAttribute("aria-current", "page");
      await expect(sheet.getByRole("button", { name: /Switch team/ })).toBeVisible();
      await expect(sheet.getByRole("button", { name: "Sign out" })).toBeVisible();
      if (phone.width === 390) {
        await screenshot(page, "phone-menu", { fullPage: false });
        await expectAccessible(page, "the menu (phone)");
        await page.emulateMedia({ colorScheme: "dark" });
        await screenshot(page, "phone-menu-dark", { fullPage: false });
        await expectAccessible(page, "the menu (phone, dark)", { contrastOnly: true });
        await page.emulateMedia({ colorScheme: "light" });
      }

      // Focus stays inside the sheet, however far one tabs.
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press("Tab");
        expect(await page.evaluate(() => document.activeElement?.closest("[role=dialog]") !== null)).toBe(true);
      }
      await page.keyboard.press("Escape");
      await expect(sheet).toBeHidden();
      await expect(menu).toBeFocused();

      // A section opens, and the sheet is gone when it has.
      await menu.click();
      await links.filter({ hasText: "Members" }).click();
      await page.waitForURL(`**/${team}/members`);
      await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
      await expect(sheet).toBeHidden();
      // The page the sheet was opened on, chosen again, closes it too.
      await menu.click();
      await sheet.getByRole("link", { name: "Members" }).click();
      await expect(sheet).toBeHidden();
    });

    test("the inbox's first conversation is near the top of the first screen", async ({ page, team }) => {
      await goto(page, `/${team}/inbox`);
      const first = rows(page).first();
      await expect(first).toBeInViewport({ ratio: 1 });
      const box = (await first.boundingBox())!;
      expect(box.y, "the first conversation starts in the upper half of the screen").toBeLessThan(phone.height / 2);
      // The folded filters are a tap away, and keep the list where it was until opened.
      const filters = page.getByRole("button", { name: "Filters" });
      await expect(page.getByLabel("Keyword")).toBeHidden();
      await filters.click();
      await expect(filters).toHaveAttribute("aria-expanded", "true");
      await expect(page.getByLabel("Keyword")).toBeVisible();
      await expect(page.getByLabel("Number")).toBeVisible();
      await expectNoSidewaysScroll(page, "the inbox with its filters open");
      // A filter in force shows its fields from the start, and says how many there are.
      await page.getByLabel("Keyword").fill("sale");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/keyword=SALE/i);
      await expect(page.getByRole("button", { name: "Filters 1 in force" })).toHaveAttribute("aria-expanded", "true");
      await expect(rows(page).first()).toContainText(/sale/i);
    });

    test("no page scrolls sideways", async ({ page, team }) => {
      for (const { name, open } of PAGES) {
        await page.emulateMedia({ colorScheme: "light" });
        await open(page, team);
        await expectNoSidewaysScroll(page, name);
        if (phone.width !== 390) continue;
        await screenshot(page, `phone-${name}`);
        await page.emulateMedia({ colorScheme: "dark" });
        await screenshot(page, `phone-${name}-dark`);
        // The first screen, as it shows on arrival (in the dark, as phones often are at night).
        await screenshot(page, `phone-${name}-first-screen`, { fullPage: false });
      }
    });
  });
}
