import { expect, type Page, test } from "@playwright/test";
import { addNumber, formatDays, newAccount, screenshot, signUp, utcDay } from "./helpers";

test("keywords rank what customers text, and the team names the ones that matter", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("keywords"), "Keyword Co");
  await page.goto(`/${slug}/keywords`);
  await expect(page.getByRole("heading", { name: "No keywords in the last 7 days" })).toBeVisible();

  await page.goto(`/${slug}/numbers`);
  const url = await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Tokyo" });
  await page.getByRole("button", { name: "Done" }).click();
  // Greetings and the like are skipped: "Hi, what is the price?" counts as PRICE, the Japanese
  // greeting's message as 予約 (booking).
  const bodies = ["JOIN the club", "join", "JOIN!", "Stop", "こんにちは。予約をお願いします", "PRICE please", "Hi, what is the price?"];
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
  await expect(row("PRICE")).toContainText("2");
  await expect(row("予約")).toContainText("1");
  for (const greeting of ["HI", "こんにちは"]) await expect(row(greeting)).toHaveCount(0);
  await expect(page.getByRole("img", { name: /Daily use of JOIN/ })).toBeVisible();

  // Each keyword opens the inbox filtered by it, from the table and from the chart's legend, with
  // the period shown here (the inbox links back to it).
  const inbox = (keyword: string, number?: string) => `/${slug}/inbox?${new URLSearchParams({ keyword, ...(number ? { number } : {}), period: "7d" })}`;
  const link = (keyword: string) => row(keyword).getByRole("link", { name: `Open conversations with keyword ${keyword}` });
  await expect(link("JOIN")).toHaveAttribute("href", inbox("JOIN"));
  await expect(link("予約")).toHaveAttribute("href", `/${slug}/inbox?keyword=${encodeURIComponent("予約")}&period=7d`);
  await expect(link("予約")).toHaveAttribute("href", inbox("予約"));
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
  // The inbox has no period; it links back to the keywords of the one they were opened with.
  await expect(page.getByRole("link", { name: "Back to keywords (last 7 days)" })).toHaveAttribute("href", `/${slug}/keywords?period=7d&number=${numberId}`);
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

  // The trend line of each keyword has its chip's colour: PRICE the green of its label, STOP the
  // red of its opt-out badge, in either theme; and no two lines share one.
  const inks: string[] = [];
  for (const scheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectLineColour(page, "PRICE", row("PRICE").getByText("Sales lead"));
    await expectLineColour(page, "STOP", row("STOP").getByText("Opt-out"));
    const strokes = await page.locator(".recharts-line-curve").evaluateAll((lines) => lines.map((line) => getComputedStyle(line).stroke));
    expect(new Set(strokes).size).toBe(strokes.length);
    inks.push(await inkOf(row("PRICE").getByText("Sales lead")));
    await screenshot(page, `keywords-named-${scheme}`);
  }
  // Each theme has its own shade of the colour.
  expect(inks[0]).not.toBe(inks[1]);

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

  // A month's view: the named keyword's chip opens the inbox with the period, and back it comes.
  await page.goto(`/${slug}/keywords?period=30d`);
  const named = page.locator("li").filter({ hasText: "Sales lead" });
  await named.getByRole("link", { name: "Open conversations with keyword PRICE" }).click();
  await page.waitForURL((url) => url.pathname === `/${slug}/inbox` && url.searchParams.get("keyword") === "PRICE" && url.searchParams.get("period") === "30d");
  await expect(page.getByRole("link", { name: "Remove the keyword filter PRICE" })).toBeVisible();
  await screenshot(page, "keywords-to-inbox");
  await page.getByRole("link", { name: "Back to keywords (last 30 days)" }).click();
  await page.waitForURL((url) => url.pathname === `/${slug}/keywords` && url.searchParams.get("period") === "30d");
  await expect(page.getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "page");
});

/** The colour a badge writes in. */
async function inkOf(badge: ReturnType<Page["getByText"]>): Promise<string> {
  return badge.evaluate((element) => getComputedStyle(element).color);
}

/**
 * Checks that `keyword`'s line on the trend chart, its dot in the chart's legend and its swatch
 * in the table have the colour `chip` writes in.
 */
async function expectLineColour(page: Page, keyword: string, chip: ReturnType<Page["getByText"]>) {
  const legend = page.getByRole("list", { name: "Keywords in the chart" });
  const names = await legend.getByRole("listitem").allInnerTexts();
  const index = names.map((name) => name.trim()).indexOf(keyword);
  expect(index, `${keyword} in the legend ${names.join(", ")}`).toBeGreaterThanOrEqual(0);
  const ink = await inkOf(chip);
  const stroke = await page.locator(".recharts-line-curve").nth(index).evaluate((line) => getComputedStyle(line).stroke);
  const dot = await legend.getByRole("listitem").nth(index).locator("[aria-hidden=true]").evaluate((element) => getComputedStyle(element).backgroundColor);
  const swatch = await page.getByRole("row").filter({ has: page.getByText(keyword, { exact: true }) }).locator("[aria-hidden=true]").first().evaluate((element) => getComputedStyle(element).backgroundColor);
  expect({ keyword, stroke, dot, swatch }).toEqual({ keyword, stroke: ink, dot: ink, swatch: ink });
}

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
  const customPeriod = `period=custom&from=${utcDay(-1)}&to=${utcDay(0)}`;
  await expect(page.getByRole("link", { name: "Open conversations with keyword 🎉" }).first()).toHaveAttribute("href", `/${slug}/inbox?keyword=%F0%9F%8E%89&${customPeriod}`);
  await screenshot(page, "keywords-custom");

  // The custom period survives a click on a keyword, there and back.
  await page.getByRole("row").filter({ hasText: "SALE" }).getByRole("link", { name: "Open conversations with keyword SALE" }).click();
  await page.waitForURL((u) => u.pathname === `/${slug}/inbox` && u.search === `?keyword=SALE&${customPeriod}`);
  await page.getByRole("link", { name: /^Back to keywords \(/ }).click();
  await page.waitForURL((u) => u.pathname === `/${slug}/keywords` && u.search === `?${customPeriod}`);
  await expect(page.getByRole("link", { name: "Custom", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByLabel("From")).toHaveValue(utcDay(-1));
  await expect(page.getByText(/^Showing/)).toContainText(formatDays(utcDay(-1), utcDay(0)));

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
