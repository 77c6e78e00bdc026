import { expect, test } from "@playwright/test";
import { addNumber, expectAccessible, newAccount, screenshot, signUp } from "./helpers";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("an owner creates an API key, reads the team's numbers with it, and revokes it", async ({ page, request }) => {
  const slug = await signUp(page, newAccount("developer"), "Kumo Logistics");
  await addNumber(page, { provider: "Rakuten CPaaS", number: "+81 50 1234 5678", label: "Dispatch line" });
  await page.getByRole("button", { name: "Done" }).click();

  await page.getByRole("link", { name: "API keys" }).first().click();
  await page.waitForURL(`**/${slug}/api-keys`);
  await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
  await expectAccessible(page, "the empty API keys page");

  // A refused form keeps what was typed and says why next to the field.
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create an API key" });
  await dialog.getByLabel("Name").fill("   ");
  await dialog.getByLabel("Read and write").check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Give the key a name")).toBeVisible();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Name")).toHaveValue("   ");
  await expect(dialog.getByLabel("Read and write")).toBeChecked();

  await dialog.getByLabel("Name").fill("Warehouse sync");
  await dialog.getByLabel("Read only").check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const field = dialog.getByRole("textbox", { name: "API key" });
  await expect(field).toBeVisible();
  const key = await field.inputValue();
  expect(key).toMatch(/^moshi_live_[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await screenshot(page, "api-key-revealed");
  await dialog.getByRole("button", { name: "Done" }).click();

  // The list shows the key by name and hint, never the key itself.
  const row = page.getByRole("row", { name: /Warehouse sync/ });
  await expect(row).toContainText(`moshi_live_…${key.slice(-4)}`);
  await expect(row).toContainText("Read only");
  await expect(row).toContainText("Never");
  await expect(page.getByText(key)).toHaveCount(0);

  const numbers = await request.get("/api/v1/numbers", { headers: { authorization: `Bearer ${key}` } });
  expect(numbers.status()).toBe(200);
  const body = await numbers.json();
  expect(body.nextCursor).toBeNull();
  expect(body.data).toEqual([expect.objectContaining({ e164: "+815012345678", label: "Dispatch line", provider: "RAKUTEN" })]);

  // A read-only key cannot write.
  const write = await request.post("/api/v1/conversations/nope/read", { headers: { authorization: `Bearer ${key}` } });
  expect(write.status()).toBe(403);
  expect(write.headers()["content-type"]).toBe("application/problem+json");

  await page.reload();
  await expect(row).not.toContainText("Never");
  await expectAccessible(page, "the API keys page");
  await screenshot(page, "api-keys");

  // Revoking asks first, then the key stops working at once.
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("dialog")).toContainText("Requests with this key are refused from now on.");
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  const refused = await request.get("/api/v1/numbers", { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer/);
  expect((await refused.json()).title).toBe("Unauthorized");
});

test("the API reference lists every route with its parameters and is public", async ({ page, request }) => {
  const document = await (await request.get("/api/v1/openapi.json")).json();
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 1, name: "REST API reference" })).toBeVisible();
  for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { summary: string }>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      const entry = page.getByRole("article", { name: operation.summary, exact: true });
      await expect(entry).toContainText(`${method.toUpperCase()}${path}`);
      await expect(entry).toContainText("curl");
    }
  }
  await expect(page.getByRole("table", { name: "Query parameters of List messages" })).toContainText("since");
  await expect(page.getByRole("article", { name: "Message", exact: true })).toContainText("conversationId");
  await expectAccessible(page, "the API reference");
  await screenshot(page, "api-reference");
});
