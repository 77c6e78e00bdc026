import http from "node:http";
import type { AddressInfo } from "node:net";
import { type Page, expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { expectAccessible, newAccount, screenshot, signUp, utcDay } from "./helpers";

type Received = { path: string; id: string; body: { type: string; test?: boolean }; verifiedWith: string[] };

/**
 * A team's receiver on 127.0.0.1: checks each request's Standard Webhooks signature with the
 * official library against the secrets it knows, records it, and answers 200 (or 410 on /gone).
 */
async function startReceiver() {
  const secrets: string[] = [];
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      const verifiedWith = secrets.filter((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      received.push({ path: request.url ?? "", id: headers["webhook-id"] ?? "", body: JSON.parse(body) as Received["body"], verifiedWith });
      const status = request.url === "/gone" ? 410 : verifiedWith.length ? 200 : 401;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: status === 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    trust: (secret: string) => secrets.push(secret),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Adds an endpoint through the dialog and returns the signing secret it shows once. */
async function addEndpoint(page: Page, url: string, description: string): Promise<string> {
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog", { name: "Add an endpoint" });
  await dialog.getByLabel("URL", { exact: true }).fill(url);
  await dialog.getByLabel("Description (optional)").fill(description);
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  const secret = await dialog.getByRole("textbox", { name: "Signing secret" }).inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{44}$/);
  await expect(dialog).toContainText("you will not see it again");
  await dialog.getByRole("button", { name: "Done" }).click();
  return secret;
}

/** Reloads until the attempts list shows `text`: the worker sends within seconds, the page renders on request. */
async function reloadUntilAttempt(page: Page, text: string | RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("list", { name: "Attempts" }).getByRole("listitem").first()).toContainText(text, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test("an owner adds an endpoint, sends it a signed test event and sees the attempt; a rotated secret signs the next", async ({ page }) => {
  const receiver = await startReceiver();
  try {
    const slug = await signUp(page, newAccount("forwarder"), "Relay Works");
    await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Forwarding" }).click();
    await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
    await expect(page.getByText("npm run events:listen")).toBeVisible();

    // A refused URL keeps what was typed, with the reason on the field.
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Add an endpoint" });
    await dialog.getByLabel("URL", { exact: true }).fill("ftp://example.com/events");
    await dialog.getByLabel("Description (optional)").fill("CRM sync");
    await dialog.getByRole("radio", { name: "Only the event types ticked below" }).check();
    await dialog.getByRole("checkbox", { name: /consent\.changed/ }).check();
    await dialog.getByRole("checkbox", { name: /Turned on/ }).uncheck();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    await expect(dialog.getByLabel("URL", { exact: true })).toHaveAccessibleDescription("Use an https:// URL.");
    await expect(dialog.getByLabel("URL", { exact: true })).toHaveValue("ftp://example.com/events");
    await expect(dialog.getByLabel("Description (optional)")).toHaveValue("CRM sync");
    await expect(dialog.getByRole("radio", { name: "Only the event types ticked below" })).toBeChecked();
    await expect(dialog.getByRole("checkbox", { name: /consent\.changed/ })).toBeChecked();
    await expect(dialog.getByRole("checkbox", { name: /consent\.changed/ })).toBeEnabled();
    await expect(dialog.getByRole("checkbox", { name: /message\.received/ })).not.toBeChecked();
    await expect(dialog.getByRole("checkbox", { name: /Turned on/ })).not.toBeChecked();
    await expectAccessible(page, "the endpoint form with an error");
    await screenshot(page, "forwarding-form-error");
    await dialog.getByRole("radio", { name: "All events, including types added later" }).check();
    await dialog.getByRole("checkbox", { name: /Turned on/ }).check();
    await dialog.getByLabel("URL", { exact: true }).fill(receiver.url("/events"));
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await dialog.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expect(dialog).toContainText("you will not see it again");
    await screenshot(page, "forwarding-secret");
    await dialog.getByRole("button", { name: "Done" }).click();
    receiver.trust(secret);

    const card = page.getByRole("list", { name: "Endpoints" }).getByRole("listitem");
    await expect(card).toHaveCount(1);
    await expect(card).toContainText("CRM sync");
    await expect(card).toContainText("All events");
    await card.getByRole("link", { name: receiver.url("/events") }).click();
    await expect(page).toHaveURL(new RegExp(`/${slug}/forwarding/[^/]+$`));
    await expect(page.getByRole("heading", { name: "No attempts yet" })).toBeVisible();

    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText("Test event queued")).toBeVisible();
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(receiver.received[0]).toMatchObject({ path: "/events", verifiedWith: [secret], body: { type: "message.received", test: true } });
    expect(receiver.received[0]!.id).toMatch(/^evt_/);
    await reloadUntilAttempt(page, "HTTP 200");
    const attempt = page.getByRole("list", { name: "Attempts" }).getByRole("listitem").first();
    await expect(attempt).toContainText("message.received");
    await expect(attempt).toContainText("Event delivered");
    await attempt.getByText("Response body").click();
    await expect(attempt.getByLabel("Response body")).toHaveText('{"ok":true}');
    await expect(page.getByRole("heading", { name: "Verify the requests" })).toBeVisible();
    await expect(page.getByLabel("TypeScript verification code")).toContainText("new Webhook(");
    await screenshot(page, "forwarding-endpoint");

    // Rotating: a new secret, shown once; requests carry both signatures for a day.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await expect(rotate).toContainText("old one keeps signing too");
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = await rotate.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(rotated).not.toBe(secret);
    await rotate.getByRole("button", { name: "Done" }).click();
    receiver.trust(rotated);
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(2);
    // Both secrets sign it: a receiver still on the old one and one already on the new one accept it.
    expect(receiver.received[1]!.verifiedWith).toEqual([secret, rotated]);

    // Failed attempts only: none.
    await page.getByRole("navigation", { name: "Filter attempts" }).getByRole("link", { name: "Failed" }).click();
    await expect(page.getByRole("heading", { name: "No attempts match these filters" })).toBeVisible();
  } finally {
    await receiver.close();
  }
});

test("an endpoint answering 410 Gone is turned off, with a banner on every page; a member reads without forms", async ({ browser }) => {
  const receiver = await startReceiver();
  try {
    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    const slug = await signUp(owner, newAccount("gone"), "Gone Fishing");
    await owner.goto(`/${slug}/forwarding`);
    await addEndpoint(owner, receiver.url("/gone"), "Old CRM");
    await owner.getByRole("link", { name: receiver.url("/gone") }).click();
    await owner.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(1);
    await reloadUntilAttempt(owner, "HTTP 410");

    const banner = owner.getByRole("status").filter({ hasText: "was turned off" });
    await expect(banner).toContainText(`Forwarding to ${receiver.url("/gone")} was turned off: It answered 410 Gone`);
    await expect(owner.getByText("Moshi turned this endpoint off")).toBeVisible();
    await owner.goto(`/${slug}/inbox`);
    await expect(banner).toBeVisible();
    await screenshot(owner, "forwarding-banner");
    await banner.getByRole("link", { name: "Open the endpoint" }).click();
    await expect(owner.getByRole("heading", { level: 1 })).toHaveText(receiver.url("/gone"));

    // Turning it back on clears the banner.
    await owner.getByRole("button", { name: "Turn on" }).click();
    await expect(owner.getByRole("button", { name: "Turn off" })).toBeVisible();
    await expect(banner).toHaveCount(0);

    // Its failed event, sent again: the receiver still answers 410, so it is off again.
    await owner.getByLabel("From").fill(utcDay(-1));
    await owner.getByLabel("To (included)").fill(utcDay(1));
    await owner.getByRole("button", { name: "Resend failed events" }).click();
    await expect(owner.getByText("1 failed event queued again.")).toBeVisible();
    await expect(owner.getByLabel("From")).toHaveValue(utcDay(-1));
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(2);
    expect(receiver.received[1]!.id).toBe(receiver.received[0]!.id);
    await expect(async () => {
      await owner.reload();
      await expect(banner).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });

    // A member sees the endpoints and attempts, and no way to change them.
    await owner.goto(`/${slug}/members`);
    await owner.getByRole("button", { name: "Invite teammate" }).first().click();
    const dialog = owner.getByRole("dialog", { name: "Invite a teammate" });
    await dialog.getByRole("radio", { name: /Member/ }).check();
    await dialog.getByRole("button", { name: "Create invite link" }).click();
    const link = await dialog.getByRole("textbox", { name: "Invite link" }).inputValue();

    const mate = await (await browser.newContext()).newPage();
    await mate.goto(link);
    await mate.getByRole("link", { name: "Create account" }).click();
    const account = newAccount("reader");
    await mate.getByLabel("Your name").fill(account.name);
    await mate.getByLabel("Work email").fill(account.email);
    await mate.getByLabel("Password").fill(account.password);
    await mate.getByRole("button", { name: "Create account and join" }).click();
    await mate.waitForURL(new RegExp(`/${slug}/inbox$`));
    await mate.goto(`/${slug}/forwarding`);
    await expect(mate.getByText("You have read-only access")).toBeVisible();
    await expect(mate.getByRole("list", { name: "Endpoints" })).toContainText("Old CRM");
    for (const name of ["Add endpoint", "Edit", "Turn off", "Rotate secret", "Delete"]) await expect(mate.getByRole("button", { name })).toHaveCount(0);
    await mate.getByRole("link", { name: receiver.url("/gone") }).click();
    await expect(mate.getByRole("list", { name: "Attempts" })).toContainText("HTTP 410");
    for (const name of ["Send test event", "Resend", "Resend failed events"]) await expect(mate.getByRole("button", { name })).toHaveCount(0);
    await screenshot(mate, "forwarding-endpoint-read-only");
  } finally {
    await receiver.close();
  }
});
