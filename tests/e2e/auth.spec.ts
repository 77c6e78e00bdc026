import { expect, test } from "@playwright/test";
import { newAccount, screenshot, signIn, signUp } from "./helpers";

test("sign-in page, wrong password, sign-out and sign-in again", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { name: "Sign in to Moshi" })).toBeVisible();
  await screenshot(page, "sign-in");

  const account = newAccount("returning");
  const slug = await signUp(page, account, "Returning Co");
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/sign-in/);

  // While the server checks, the button says so; a refusal keeps both fields as typed.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/sign-in**", async (route) => {
    if (route.request().method() === "POST") await held;
    await route.fallback();
  });
  await signIn(page, { ...account, password: "not the password" });
  await expect(page.getByRole("button", { name: "Signing in…" })).toBeDisabled();
  release();
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  await page.unroute("**/sign-in**");
  await expect(page.getByLabel("Email")).toHaveValue(account.email);
  await expect(page.getByLabel("Password")).toHaveValue("not the password");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await screenshot(page, "sign-in-refused");

  // Corrected in place, the same form signs in and moves on.
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/inbox$`));
});

test("the sign-in form never puts the password in the address, even before its script runs", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, { ...newAccount("no-script"), password: "not the password" });
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  expect(new URL(page.url()).search).not.toContain("password");
  await context.close();
});

test("sign-up explains what is wrong with each field and keeps what was typed", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByLabel("Team name").fill("Acme Support");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Your name")).toHaveAccessibleDescription("Enter your name.");
  await expect(page.getByLabel("Work email")).toHaveAccessibleDescription("Enter a valid email address.");
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription("Use at least 10 characters.");
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Your name")).toHaveValue("");
  await expect(page.getByLabel("Work email")).toHaveValue("not-an-email");
  await expect(page.getByLabel("Password")).toHaveValue("short");
  await expect(page.getByLabel("Team name")).toHaveValue("Acme Support");
  await screenshot(page, "sign-up-errors");

  // Only what was wrong needs typing again.
  const account = newAccount("corrected");
  await page.getByLabel("Your name").fill(account.name);
  await page.getByLabel("Work email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/acme-support[^/]*\/numbers$/);
});

test("failed sign-ins from elsewhere hold an account back, but not its owner's browser", async ({ page, browser, baseURL }) => {
  const account = newAccount("target");
  const slug = await signUp(page, account, "Target Co");
  await page.getByRole("button", { name: "Sign out" }).first().click();

  // Someone who knows the email, in a browser that never signed in to the account.
  const elsewhere = await browser.newContext({ baseURL });
  const attacker = await elsewhere.newPage();
  for (let i = 0; i < 5; i++) {
    await signIn(attacker, { ...account, password: `wrong ${i}` });
    await expect(attacker.getByText("That email and password do not match an account.")).toBeVisible();
  }
  // Even the right password is refused there while the limit holds.
  await signIn(attacker, account);
  await expect(attacker.getByText(/^Too many sign-in attempts\. Try again in \d+ minutes?\.$/)).toBeVisible();
  await screenshot(attacker, "sign-in-rate-limited");
  await elsewhere.close();

  // The owner's browser signed in before: its device cookie has a budget of its own.
  await signIn(page, account);
  await expect(page).toHaveURL(new RegExp(`/${slug}/inbox$`));
});

test("signed-out visitors are sent to sign-in from team pages", async ({ page }) => {
  await page.goto("/some-team/numbers");
  await expect(page).toHaveURL(/\/sign-in/);
});
