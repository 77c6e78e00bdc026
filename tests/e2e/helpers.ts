import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type BrowserContextOptions, type Page, test as base, expect } from "@playwright/test";
import { buildDeliveries, type SimulatedMessage, type SimulatedRequest } from "@/lib/sms/simulate";

export const PASSWORD = "a long enough password";

export type Account = { name: string; email: string; password: string };

export function newAccount(prefix = "user"): Account {
  return { name: `${prefix[0]!.toUpperCase()}${prefix.slice(1)} Person`, email: `${prefix}-${randomUUID()}@example.test`, password: PASSWORD };
}

/** Signs up through the form and returns the slug of the team created with the account. */
export async function signUp(page: Page, account: Account, teamName = "Acme Support"): Promise<string> {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByLabel("Team name").fill(teamName);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/[^/]+\/numbers$/);
  return new URL(page.url()).pathname.split("/")[1]!;
}

export async function signIn(page: Page, account: Account) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Adds a number through the dialog and returns the webhook URL it reveals once. */
export async function addNumber(
  page: Page,
  options: { provider: "Rakuten CPaaS" | "Infobip" | "Vonage"; number: string; label: string; signature?: { method: string; secret: string } },
): Promise<string> {
  await page.getByRole("button", { name: "Add number" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add a number" });
  await dialog.getByLabel("Provider").selectOption({ label: options.provider });
  await dialog.getByLabel("Phone number").fill(options.number);
  await dialog.getByLabel("Label").fill(options.label);
  if (options.signature) {
    await dialog.getByLabel("Signature method").selectOption({ label: options.signature.method });
    await dialog.getByLabel("Signature secret").fill(options.signature.secret);
  }
  await dialog.getByRole("button", { name: "Add number" }).click();
  const url = dialog.getByRole("textbox", { name: "Webhook URL" });
  await expect(url).toBeVisible();
  return url.inputValue();
}

/** Saves the whole page, or with `fullPage: false` the first screen only, as a person sees it on arrival. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}) {
  mkdirSync("tests/e2e/screenshots", { recursive: true });
  // From the top: a full-page capture keeps the scroll position, and the sticky sidebar would
  // be drawn where the scrolled viewport had it.
  await page.evaluate(() => window.scrollTo(0, 0));
  // Transitions finished: a theme switched just before would be captured halfway otherwise.
  await page.screenshot({ path: `tests/e2e/screenshots/${name}.png`, fullPage, animations: "disabled" });
}

/** A UTC date, `offset` days from today, as the date inputs take it. */
export function utcDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Two days as the page writes them ("Mar 6 – 7, 2026"), whitespace-tolerant. */
export function formatDays(from: string, to: string): RegExp {
  const text = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" }).formatRange(new Date(from), new Date(to));
  return new RegExp(text.replace(/\s+/gu, "\\s*"));
}


/** WCAG 2.0, 2.1 and 2.2 at levels A and AA (colour contrast included), and axe's best practices: landmarks, headings. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

/**
 * Scans the page as it is now with axe and fails the test (softly, so the other theme or page
 * is still checked) with one readable line per rule and element that fails. `contrastOnly` is
 * for a second look in another colour scheme, where nothing but colours has changed.
 */
export async function expectAccessible(page: Page, where: string, { contrastOnly = false } = {}) {
  expect.soft(await findAccessibilityViolations(page, { contrastOnly }), `accessibility violations on ${where} (each rule is explained at https://dequeuniversity.com/rules/axe/)`).toEqual([]);
}

/** What axe finds on the page: "rule (impact): help at selector", then why, for each element. */
export async function findAccessibilityViolations(page: Page, { contrastOnly = false } = {}): Promise<string[]> {
  // Colours as they settle: a button enabled again a moment ago may still be fading from its
  // disabled look, and axe would measure it halfway.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((animation) => animation instanceof CSSTransition).map((animation) => animation.finished.catch(() => undefined))));
  const axe = new AxeBuilder({ page });
  const { violations } = await (contrastOnly ? axe.withRules(["color-contrast"]) : axe.withTags(AXE_TAGS)).analyze();
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${violation.help} at ${node.target.join(" ")}\n    ${node.failureSummary?.replace(/\s*\n\s*/g, " ")}`),
  );
}

/** Posts one simulated provider request to a webhook URL, as the provider would; answers the status. */
export async function postToWebhook(request: APIRequestContext, url: string, simulated: SimulatedRequest): Promise<number> {
  const target = new URL(url);
  for (const [key, value] of simulated.query) target.searchParams.set(key, value);
  const response = await request.fetch(target.toString(), {
    method: simulated.method,
    data: simulated.body ?? undefined,
    headers: simulated.contentType ? { "content-type": simulated.contentType } : {},
  });
  return response.status();
}

/** Sends a message's parts (all of them, or the 1-based `only` ones) in order; each must be accepted. */
export async function sendMessage(request: APIRequestContext, url: string, message: SimulatedMessage, only?: number[]) {
  for (const [i, part] of buildDeliveries(message).entries()) {
    if (!only || only.includes(i + 1)) expect(await postToWebhook(request, url, part)).toBe(200);
  }
}

/** lib/demo.ts's DEMO_LOGIN, as the README prints it (that module is server-only). */
export const DEMO_LOGIN = { email: "demo@moshi.local", password: "moshi-demo-password" };

type Demo = { storageState: BrowserContextOptions["storageState"]; slug: string };

/**
 * Tests on the seeded demo team (lib/demo.ts; the test server seeds it). Signs in once per
 * worker; every test starts from that session, with `team` the demo team's slug. (Fixtures hand
 * over their value with `provide`, Playwright's `use`: the React hooks lint rule would take `use`
 * for React's.)
 */
export const demoTest = base.extend<{ team: string }, { demo: Demo }>({
  demo: [
    async ({ browser }, provide, workerInfo) => {
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
      const page = await context.newPage();
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(DEMO_LOGIN.email);
      await page.getByLabel("Password").fill(DEMO_LOGIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/[^/]+\/inbox$/);
      const slug = new URL(page.url()).pathname.split("/")[1]!;
      await provide({ storageState: await context.storageState(), slug });
      await context.close();
    },
    { scope: "worker" },
  ],
  storageState: async ({ demo }, provide) => provide(demo.storageState),
  team: async ({ demo }, provide) => provide(demo.slug),
});
