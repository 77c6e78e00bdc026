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

  await signIn(page, { ...account, password: "not the password" });
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();

  await signIn(page, account);
  await expect(page).toHaveURL(new RegExp(`/${slug}/inbox$`));
});

test("sign-up explains what is wrong with each field", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "sign-up-errors");
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
