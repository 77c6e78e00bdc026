import { type Page, expect, test } from "@playwright/test";
import { addNumber, newAccount, sendMessage, signUp } from "./helpers";

/** lib/demo.ts's DEMO_LOGIN, as the README prints it (that module is server-only). */
const DEMO_LOGIN = { email: "demo@moshi.local", password: "moshi-demo-password" };

test("a signed-in person is never sent off-site by a callback URL", async ({ page, baseURL }) => {
  // Should a redirect get out, it lands here rather than on a network error.
  await page.route((url) => url.hostname === "evil.example", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Somewhere else</h1>" }));
  const slug = await signUp(page, newAccount("redirect"), "Redirect Co");
  const origin = new URL(baseURL!).origin;

  const hostile = ["https://evil.example", "//evil.example", "/\\evil.example", "/%2F/evil.example", "https:evil.example", "/\t/evil.example"];
  const visits = [
    ...hostile.flatMap((target) => [`/sign-in?callbackUrl=${encodeURIComponent(target)}`, `/sign-up?callbackUrl=${encodeURIComponent(target)}`]),
    // The invite token is put into a path: it must not climb out of it.
    `/sign-up?invite=${encodeURIComponent("/../..//evil.example")}`,
  ];
  for (const visit of visits) {
    await page.goto(visit);
    expect(new URL(page.url()).origin, `after ${visit}`).toBe(origin);
    await expect(page.getByText("Somewhere else")).toHaveCount(0);
  }

  // A path on the site is still where the person goes.
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(`/${slug}/stats`)}`);
  await expect(page).toHaveURL(new RegExp(`/${slug}/stats$`));
});

test("pages send a nonce-based Content-Security-Policy and the security headers; webhooks and files only the headers", async ({ request }) => {
  const response = await request.get("/sign-in");
  const headers = response.headers();
  const policy = headers["content-security-policy"] ?? "";
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/]+={0,2})' 'strict-dynamic'(;|$)/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'self'");
  // A production build never allows eval.
  expect(policy).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["strict-transport-security"]).toMatch(/^max-age=\d{8,}/);
  // Next put the nonce on its own scripts, and every response gets a fresh one.
  const html = await response.text();
  expect(html).toContain(`nonce="${nonce}"`);
  const again = (await request.get("/sign-in")).headers()["content-security-policy"];
  expect(again).not.toBe(policy);

  const webhook = await request.post("/api/webhooks/rakuten/no-such-token", { data: { hello: "world" } });
  expect(webhook.status()).toBe(404);
  expect(webhook.headers()["content-security-policy"]).toBeUndefined();
  expect(webhook.headers()["x-content-type-options"]).toBe("nosniff");

  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeTruthy();
  const file = await request.get(script!);
  expect(file.ok()).toBe(true);
  expect(file.headers()["content-security-policy"]).toBeUndefined();
  expect(file.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the main pages run under the policy without a single violation", async ({ page, request }) => {
  const violations = await watchForPolicyViolations(page);

  // A team of its own for the pages that change what they show (opening a thread marks it read).
  const slug = await signUp(page, newAccount("policy"), "Policy Co");
  const webhook = await addNumber(page, { provider: "Vonage", number: "+1 219 225 9404", label: "US line" });
  await page.getByRole("button", { name: "Done" }).click();
  await sendMessage(request, webhook, { provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Is the shop open on Sunday? 🛍️", parts: 1 });
  await page.goto(`/${slug}/inbox`);
  await page.getByRole("list", { name: "Conversations" }).getByRole("listitem").first().getByRole("link").click();
  await expect(page.getByRole("list", { name: "Messages" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/sign-in/);

  // The demo team, for the charts and dialogs with data behind them; only pages that read.
  await page.getByLabel("Email").fill(DEMO_LOGIN.email);
  await page.getByLabel("Password").fill(DEMO_LOGIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/[^/]+\/inbox$/);
  const team = new URL(page.url()).pathname.split("/")[1]!;
  await page.getByRole("link", { name: "Keywords" }).first().click();
  await expect(page.getByRole("img", { name: /^Daily use of/ }).locator("svg").first()).toBeVisible();
  await page.goto(`/${team}/stats`);
  await expect(page.getByRole("img", { name: /^Deliveries per day/ }).locator("svg").first()).toBeVisible();
  for (const path of ["deliveries", "deliveries?outcome=rejected", "numbers", "members"]) {
    await page.goto(`/${team}/${path}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  // A dialog: Radix positions it with inline styles.
  await page.getByRole("button", { name: "Invite teammate" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.goto("/teams/new");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/no-such-team/inbox");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  expect(await violations()).toEqual([]);
});

/**
 * Collects what the browser refused under the policy, from both its console messages and the
 * `securitypolicyviolation` events of every page loaded in the tab.
 */
async function watchForPolicyViolations(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  await page.exposeFunction("reportPolicyViolation", (text: string) => seen.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportPolicyViolation: (text: string) => void }).reportPolicyViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.documentURI}`,
      );
    });
  });
  return async () => seen;
}
