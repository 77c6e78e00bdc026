import { expect, test } from "@playwright/test";
import { addNumber, formatDays, newAccount, screenshot, signUp, utcDay } from "./helpers";

test("keywords rank what customers text, and the team names the ones that matter", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("keywords"), "Keyword Co");
  await page.goto(`/${slug}/keywords`);
  await expect(page.getByRole("heading", { name: "No keywords in the last 7 days" })).toBeVisible();

  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo" });
  await page.getByRole("button", { name: "Done" }).click();
  const bodies = ["JOIN the club", "join", "JOIN!", "Stop", "こんにちは 世界", "PRICE please"];
  for (const [i, body] of bodies.entries()) {
    const data = { message_id: `kw-${i}`, sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: body };
    expect((await request.post(url, { data })).status()).toBe(200);
  }

  await page.goto(`/${slug}/keywords`);
  const row = (keyword: string) => page.getByRole("row").filter({ has: page.getByText(keyword, { exact: true }) });
  // "JOIN!" counts as JOIN: the punctuation around a keyword is not part of it.
  await expect(row("JOIN")).toContainText("3");
  await expect(page.getByText("JOIN!", { exact: true })).toHaveCount(0);
  await expect(row("STOP")).toContainText("Opt-out");
  await expect(row("こんにちは")).toContainText("1");
  await expect(page.getByRole("img", { name: /Daily use of JOIN/ })).toBeVisible();

  // Each keyword opens the inbox filtered by it, from the table and from the chart's legend.
  const inbox = (keyword: string, number?: string) => `/${slug}/inbox?${new URLSearchParams({ keyword, ...(number ? { number } : {}) })}`;
  const link = (keyword: string) => row(keyword).getByRole("link", { name: `Open conversations with keyword ${keyword}` });
  await expect(link("JOIN")).toHaveAttribute("href", inbox("JOIN"));
  await expect(link("こんにちは")).toHaveAttribute("href", `/${slug}/inbox?keyword=${encodeURIComponent("こんにちは")}`);
  await expect(link("こんにちは")).toHaveAttribute("href", inbox("こんにちは"));
  const legend = page.getByRole("list", { name: "Keywords in the chart" });
  await expect(legend.getByRole("link", { name: "Open conversations with keyword JOIN", exact: true })).toHaveAttribute("href", inbox("JOIN"));

  // Filtered by a number, the links keep the number.
  const numberId = await page.getByLabel("Number").locator("option", { hasText: "Tokyo" }).getAttribute("value");
  await page.getByLabel("Number").selectOption({ label: "Tokyo (Rakuten CPaaS)" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(link("JOIN")).toHaveAttribute("href", inbox("JOIN", numberId!));

  // The keyboard reaches the link, and Enter follows it.
  await link("STOP").focus();
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === `/${slug}/inbox` && url.searchParams.get("keyword") === "STOP" && url.searchParams.get("number") === numberId);
  await page.goto(`/${slug}/keywords`);

  await page.getByLabel("Keyword", { exact: true }).fill("price");
  await page.getByLabel("Label").fill("Sales lead");
  await page.getByLabel("Colour").selectOption({ label: "Green" });
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByText("PRICE is now labelled “Sales lead”.")).toBeVisible();
  await expect(row("PRICE")).toContainText("Sales lead");
  // A saved keyword leaves the form empty for the next.
  await expect(page.getByLabel("Keyword", { exact: true })).toHaveValue("");
  await expect(page.getByRole("textbox", { name: "Label" })).toHaveValue("");
  await expect(page.getByLabel("Colour")).toHaveValue("indigo");

  // Invalid input is explained next to the field, and what was typed and chosen stays.
  await page.getByLabel("Keyword", { exact: true }).fill("two words");
  await page.getByRole("textbox", { name: "Label" }).fill("Promotion");
  await page.getByLabel("Colour").selectOption({ label: "Red" });
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByLabel("Keyword", { exact: true })).toHaveAccessibleDescription(/A keyword is a single word/);
  await expect(page.getByLabel("Keyword", { exact: true })).toHaveValue("two words");
  await expect(page.getByRole("textbox", { name: "Label" })).toHaveValue("Promotion");
  await expect(page.getByLabel("Colour")).toHaveValue("red");
  await screenshot(page, "keywords");
});

test("keywords over a custom period: whole UTC days, hourly when short, explained when invalid", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("keyword-period"), "Period Co");
  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Osaka" });
  await page.getByRole("button", { name: "Done" }).click();
  for (const [i, body] of ["SALE today", "sale", "🎉 party"].entries()) {
    const data = { message_id: `kp-${i}`, sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: body };
    expect((await request.post(url, { data })).status()).toBe(200);
  }

  await page.goto(`/${slug}/keywords`);
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "Custom" }).click();
  const from = page.getByLabel("From");
  const to = page.getByLabel("To", { exact: true });
  // The form starts at the last 7 days, today included.
  await expect(from).toHaveValue(utcDay(-6));
  await expect(to).toHaveValue(utcDay(0));
  await expect(page.getByText("Dates in UTC, both days included")).toBeVisible();

  // Yesterday and today: charted per hour.
  await from.fill(utcDay(-1));
  await to.fill(utcDay(0));
  await page.getByRole("button", { name: "Show period" }).click();
  await page.waitForURL((u) => u.searchParams.get("period") === "custom" && u.searchParams.get("from") === utcDay(-1) && u.searchParams.get("to") === utcDay(0));
  await expect(page.getByRole("link", { name: "Custom", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(/^Showing/)).toContainText(formatDays(utcDay(-1), utcDay(0)));
  await expect(page.getByRole("row").filter({ hasText: "SALE" })).toContainText("2");
  await expect(page.getByRole("img", { name: /Hourly use of SALE, 🎉/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open conversations with keyword 🎉" }).first()).toHaveAttribute("href", `/${slug}/inbox?keyword=%F0%9F%8E%89`);
  await screenshot(page, "keywords-custom");

  // A week in the past holds nothing.
  await from.fill(utcDay(-20));
  await to.fill(utcDay(-14));
  await page.getByRole("button", { name: "Show period" }).click();
  await expect(page.getByRole("heading", { name: /^No keywords between / })).toBeVisible();

  // A reversed range is explained, and the last 7 days are shown instead.
  await page.goto(`/${slug}/keywords?period=custom&from=${utcDay(0)}&to=${utcDay(-3)}`);
  await expect(page.getByText("The start date must be on or before the end date. Showing the last 7 days instead.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByLabel("From")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("row").filter({ hasText: "SALE" })).toContainText("2");

  await page.goto(`/${slug}/keywords?period=custom&from=2026-02-30&to=${utcDay(0)}`);
  await expect(page.getByText("The start date “2026-02-30” is not a valid date")).toBeVisible();
  await screenshot(page, "keywords-custom-invalid");
});
