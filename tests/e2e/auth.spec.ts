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

test("repeated failed sign-ins are rate-limited", async ({ page }) => {
  const account = newAccount("target");
  await signUp(page, account, "Target Co");
  await page.getByRole("button", { name: "Sign out" }).first().click();
  for (let i = 0; i < 5; i++) {
    await signIn(page, { ...account, password: `wrong ${i}` });
    await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  }
  // Even the right password is refused while the limit holds.
  await signIn(page, account);
  await expect(page.getByText("Too many failed sign-in attempts")).toBeVisible();
});

test("signed-out visitors are sent to sign-in from team pages", async ({ page }) => {
  await page.goto("/some-team/numbers");
  await expect(page).toHaveURL(/\/sign-in/);
});
