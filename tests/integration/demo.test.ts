import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countUnreadConversations, listConversations } from "@/lib/data/conversations";
import { listTeamKeywords, listTopKeywords } from "@/lib/data/keywords";
import { countRejectionsByReason, listLastMessagePerNumber, summarizeByProvider } from "@/lib/data/stats";
import { DEMO_ENDPOINT_URL, DEMO_LOGIN, seedDemo, type SeedDemoResult } from "@/lib/demo";
import { listAttempts, listEndpoints } from "@/lib/forwarding/endpoints";
import { DEMO_SILENT_MS } from "@/lib/demo-traffic";
import { RFC8032_PUBLISHED_TEST_KEY } from "@/lib/sms/providers/telnyx";
import { DEMO_TWILIO_CREDENTIALS } from "@/lib/sms/providers/twilio/demo";
import { DEMO_VONAGE_CREDENTIALS } from "@/lib/sms/providers/vonage/demo";
import { effectiveStatus } from "@/lib/sms/incomplete";
import { prisma } from "../helpers/db";

const DAY = 86_400_000;
const now = new Date();
const stateDir = mkdtempSync(path.join(tmpdir(), "moshi-demo-test-"));
const seed = () => seedDemo({ prisma, origin: "http://moshi.test", stateFile: path.join(stateDir, "demo.json"), now });

let result: SeedDemoResult;
let teamId: string;

// The only test that signs up the demo login: the run's database is shared, its teams are not.
beforeAll(async () => {
  const started = performance.now();
  result = await seed();
  const { deliveries, messages, conversations, durationMs } = result.traffic!;
  // The demo seeds on every first `npm run dev`: its time is worth watching.
  console.log(
    `Demo: ${deliveries} deliveries, ${messages} messages in ${conversations} conversations; traffic ${durationMs} ms, whole seeding ${Math.round(performance.now() - started)} ms`,
  );
  const team = await prisma.team.findFirstOrThrow({ where: { memberships: { some: { user: { email: DEMO_LOGIN.email } } } } });
  teamId = team.id;
}, 120_000);

afterAll(async () => {
  rmSync(stateDir, { recursive: true, force: true });
  await prisma.$disconnect();
});

const month = () => ({ teamId, from: new Date(now.getTime() - 31 * DAY), to: new Date(now.getTime() + 1) });

describe("the demo team", () => {
  it("is created with its numbers, signed webhooks where the provider signs, and a month of traffic", async () => {
    expect(result.created).toBe(true);
    expect(result.numbers.map((n) => [n.provider, n.label, n.webhookUrl?.startsWith(`http://moshi.test/api/webhooks/${n.provider.toLowerCase()}/`)])).toEqual([
      ["RAKUTEN", "Tokyo support line", true],
      ["INFOBIP", "Zagreb promotions", true],
      ["VONAGE", "US hotline", true],
      ["TWILIO", "Denver appointments", true],
      ["TELNYX", "Chicago front desk", true],
    ]);
    const number = (provider: string) => result.numbers.find((n) => n.provider === provider)!;
    expect(number("VONAGE").credentials).toEqual({ ...DEMO_VONAGE_CREDENTIALS });
    expect(number("TWILIO").credentials).toEqual({ ...DEMO_TWILIO_CREDENTIALS });
    // Telnyx's public key is stored; `npm run sms:send` is told the private half to sign with.
    expect(number("TELNYX").credentials).toEqual({ publicKey: RFC8032_PUBLISHED_TEST_KEY.publicKey });
    expect(number("TELNYX").signWith).toEqual({ ...RFC8032_PUBLISHED_TEST_KEY });
    expect(number("VONAGE").signWith).toEqual(number("VONAGE").credentials);
    expect(number("RAKUTEN")).toMatchObject({ credentials: null, signWith: null });
    expect(result.traffic!.messages).toBeGreaterThan(200);
    expect(result.traffic!.conversations).toBeGreaterThan(60);

    const first = await prisma.message.findFirstOrThrow({ where: { teamId }, orderBy: { receivedAt: "asc" } });
    expect(now.getTime() - first.receivedAt.getTime()).toBeGreaterThan(25 * DAY);
    expect(await prisma.message.count({ where: { teamId, receivedAt: { gt: now } } })).toBe(0);
    // The numbers' URLs were issued before their first messages came in.
    const numbers = await prisma.phoneNumber.findMany({ where: { teamId }, select: { createdAt: true, tokenRotatedAt: true } });
    expect(numbers.every((n) => n.createdAt < first.receivedAt && n.tokenRotatedAt < first.receivedAt)).toBe(true);
  });

  it("came in through the pipeline: every planned request is in the delivery log, every message has its raw parts", async () => {
    expect(await prisma.delivery.count({ where: { teamId } })).toBe(result.traffic!.deliveries);
    expect(await prisma.message.count({ where: { teamId, parts: { none: {} } } })).toBe(0);
    const parts = await prisma.messagePart.findMany({ where: { phoneNumber: { teamId } }, select: { delivery: { select: { body: true, query: true, outcome: true } } } });
    expect(parts.every(({ delivery }) => delivery.outcome === "STORED" && (delivery.body.length > 0 || delivery.query !== ""))).toBe(true);
    // Where the number has credentials, what was stored carried a valid signature, a few
    // seconds old where the scheme has a time (Twilio signs the URL and fields, without one).
    for (const provider of ["VONAGE", "TWILIO", "TELNYX"] as const) {
      const stored = await prisma.delivery.findMany({ where: { teamId, provider, outcome: { in: ["STORED", "DUPLICATE", "IGNORED"] } }, select: { signed: true, signatureAgeSeconds: true } });
      expect(stored.length, provider).toBeGreaterThan(10);
      expect(stored.every((d) => d.signed), provider).toBe(true);
      const aged = provider !== "TWILIO";
      expect(stored.every((d) => (aged ? d.signatureAgeSeconds !== null && d.signatureAgeSeconds >= 0 && d.signatureAgeSeconds < 120 : d.signatureAgeSeconds === null)), provider).toBe(true);
    }
    const unsigned = await prisma.delivery.count({ where: { teamId, provider: { in: ["RAKUTEN", "INFOBIP"] }, signed: true } });
    expect(unsigned).toBe(0);
  });

  it("absorbs provider retries as duplicates", async () => {
    const duplicates = await prisma.delivery.findMany({ where: { teamId, outcome: "DUPLICATE" }, select: { duplicateCount: true, storedCount: true, provider: true } });
    expect(duplicates.length).toBeGreaterThanOrEqual(3);
    expect(duplicates.every((d) => d.duplicateCount > 0 && d.storedCount === 0)).toBe(true);
    expect(new Set(duplicates.map((d) => d.provider)).size).toBeGreaterThan(1);
    expect(duplicates.map((d) => d.provider)).toContain("TWILIO");
  });

  it("shows refused and ignored deliveries with their reasons", async () => {
    const rejections = await countRejectionsByReason(prisma, month());
    expect(rejections.map((r) => r.status).sort()).toEqual([400, 401, 401, 401, 405]);
    expect(rejections.find((r) => r.status === 401 && /does not match/.test(r.reason ?? ""))?.count).toBe(3);
    expect(rejections.some((r) => r.status === 401 && /signature missing/i.test(r.reason ?? ""))).toBe(true);
    expect(rejections.some((r) => r.status === 400 && /not a JSON object/.test(r.reason ?? ""))).toBe(true);
    // A Telnyx webhook replayed by hand long after it was signed; the message itself was stored.
    const stale = await prisma.delivery.findMany({ where: { teamId, reasonCode: "signature_stale" }, select: { provider: true, status: true, reason: true, body: true } });
    expect(stale).toEqual([{ provider: "TELNYX", status: 401, reason: expect.stringMatching(/genuine but was made \d+ seconds ago/), body: expect.any(Uint8Array) }]);
    expect(await prisma.delivery.count({ where: { teamId, provider: "TELNYX", outcome: "STORED", body: stale[0]!.body } })).toBe(1);

    const ignored = await prisma.delivery.findMany({ where: { teamId, outcome: "IGNORED" }, select: { provider: true, reason: true, status: true, reasonCode: true } });
    expect(ignored.map((d) => d.provider).sort()).toEqual(["INFOBIP", "TWILIO", "VONAGE", "VONAGE"]);
    expect(ignored.every((d) => d.status === 200 && d.reasonCode === "delivery_receipt" && /delivery (receipt|report)|status callback/.test(d.reason ?? ""))).toBe(true);
  });

  it("holds long messages: joined from parts, one incomplete per parted provider, one still arriving", async () => {
    const multipart = await prisma.message.findMany({ where: { teamId, partsExpected: { gt: 1 } }, select: { provider: true, status: true, partsReceived: true, receivedAt: true } });
    const complete = multipart.filter((m) => m.status === "COMPLETE");
    expect(new Set(complete.map((m) => m.provider))).toEqual(new Set(["RAKUTEN", "VONAGE"]));
    // Older than a day and still missing parts: incomplete (lib/sms/incomplete.ts).
    const incomplete = multipart.filter((m) => effectiveStatus(m, now) === "INCOMPLETE");
    expect(incomplete.map((m) => m.provider).sort()).toEqual(["RAKUTEN", "VONAGE"]);
    expect(incomplete.every((m) => now.getTime() - m.receivedAt.getTime() > DAY)).toBe(true);
    // Providers that join long messages send them whole, with the number of SMS they took.
    const joined = await prisma.message.findMany({ where: { teamId, provider: { in: ["INFOBIP", "TWILIO"] }, smsCount: { gt: 1 } }, select: { provider: true, status: true } });
    expect(joined).toEqual(expect.arrayContaining([{ provider: "INFOBIP", status: "COMPLETE" }, { provider: "TWILIO", status: "COMPLETE" }]));
    const arriving = multipart.filter((m) => effectiveStatus(m, now) === "PARTIAL");
    expect(arriving).toEqual([{ provider: "VONAGE", status: "PARTIAL", partsReceived: 2, receivedAt: expect.any(Date) }]);
    expect(now.getTime() - arriving[0]!.receivedAt.getTime()).toBeLessThan(60 * 60_000);

    const [summary] = await summarizeByProvider(prisma, { ...month(), phoneNumberId: null }).then((rows) => rows.filter((r) => r.provider === "VONAGE"));
    expect(summary).toMatchObject({ incomplete: 1 });
    expect(summary!.lagMedianSeconds).toBeGreaterThan(0.5);
    expect(summary!.lagMedianSeconds).toBeLessThan(10);
  });

  it("has Japanese, emoji and binary messages, all decoded cleanly", async () => {
    const ucs2 = await prisma.message.findMany({ where: { teamId, encoding: "UCS2" }, select: { text: true, provider: true } });
    expect(ucs2.some((m) => m.provider === "RAKUTEN" && /[\u3040-\u30ff]/.test(m.text ?? ""))).toBe(true);
    expect(ucs2.some((m) => /\p{Extended_Pictographic}/u.test(m.text ?? ""))).toBe(true);
    expect(new Set(ucs2.map((m) => m.provider))).toEqual(new Set(["RAKUTEN", "INFOBIP", "VONAGE", "TWILIO", "TELNYX"]));
    expect(ucs2.some((m) => m.provider === "TELNYX" && /[\uac00-\ud7af]/.test(m.text ?? ""))).toBe(true);

    const [binary] = await prisma.message.findMany({ where: { teamId, encoding: "BINARY" }, select: { binaryHex: true, text: true } });
    expect(Buffer.from(binary!.binaryHex!, "hex").toString("latin1")).toMatch(/^BEGIN:VCARD/);

    const garbled = await prisma.message.count({ where: { teamId, OR: [{ text: { contains: "\uFFFD" } }, { NOT: { warnings: { isEmpty: true } } }] } });
    expect(garbled).toBe(0);
  });

  it("tracks consent: an opt-out that stays, one taken back with START", async () => {
    const conversations = await prisma.conversation.findMany({
      where: { teamId, messages: { some: { keyword: { in: ["STOP", "STOP."] } } } },
      select: { optedOutAt: true, messages: { orderBy: { receivedAt: "asc" }, select: { keyword: true } } },
    });
    const optedOut = conversations.filter((c) => c.optedOutAt !== null);
    expect(optedOut.length).toBeGreaterThanOrEqual(2);
    const backIn = conversations.filter((c) => c.optedOutAt === null);
    expect(backIn).toHaveLength(1);
    expect(backIn[0]!.messages.map((m) => m.keyword)).toContain("START");
  });

  it("trends SALE and WIN over the last week, named by the team", async () => {
    const week = await listTopKeywords(prisma, { teamId, from: new Date(now.getTime() - 7 * DAY), to: new Date(now.getTime() + 1) });
    expect(week.slice(0, 2)).toEqual([
      { keyword: "SALE", count: expect.any(Number), previousCount: 0 },
      { keyword: "WIN", count: expect.any(Number), previousCount: 0 },
    ]);
    expect(week[0]!.count).toBeGreaterThan(30);
    // The first meaningful words: not the greetings, pronouns and question words texts open with.
    for (const word of ["I", "JUST", "THANK", "KADA", "KOJI", "HI", "HELLO", "CAN", "COULD", "HOW", "IS", "DO", "GUTEN", "HVALA"]) {
      expect(week.map((k) => k.keyword)).not.toContain(word);
    }
    const all = await listTopKeywords(prisma, month());
    expect(all.map((k) => k.keyword)).toEqual(expect.arrayContaining(["YES", "NO", "HELP", "STOP"]));
    expect((await listTeamKeywords(prisma, teamId)).map((k) => [k.word, k.label])).toEqual([
      ["SALE", "Sale campaign"],
      ["STOP", "Opt-out"],
      ["WIN", "Prize draw"],
    ]);
  });

  it("has a silent number and an inbox mostly read", async () => {
    const last = await listLastMessagePerNumber(prisma, teamId);
    const age = (label: string) => now.getTime() - last.find((n) => n.label === label)!.lastMessageAt!.getTime();
    expect(age("Tokyo support line")).toBeGreaterThan(DEMO_SILENT_MS);
    expect(age("US hotline")).toBeLessThan(DAY);
    expect(age("Zagreb promotions")).toBeLessThan(DAY);
    expect(age("Denver appointments")).toBeLessThan(DAY);
    expect(age("Chicago front desk")).toBeLessThan(DAY);

    // Read state is each person's: the demo user has read all but the last day's threads.
    const reader = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
    const { count: unread } = await countUnreadConversations(prisma, { teamId, userId: reader.id });
    const total = await prisma.conversation.count({ where: { teamId } });
    expect(unread).toBeGreaterThan(0);
    expect(unread).toBeLessThan(total / 4);
    // The newest thread is the long message still arriving; others show what went missing.
    const inbox = await listConversations(prisma, { teamId, now, take: 200 });
    expect(inbox.items[0]!.latest).toMatchObject({ status: "PARTIAL", partsReceived: 2, partsExpected: 3 });
    expect(inbox.items.filter((c) => c.latest?.status === "INCOMPLETE" || c.hasIncomplete)).toHaveLength(2);
    // The first screen (the inbox shows 30) has an incomplete message and an opt-out among them.
    const firstScreen = inbox.items.slice(0, 30);
    expect(firstScreen.some((c) => c.latest?.status === "INCOMPLETE")).toBe(true);
    expect(firstScreen.some((c) => c.optedOutAt !== null)).toBe(true);
  });

  it("forwards to a local receiver: the last events delivered, a few after a retry, nothing queued", async () => {
    const [endpoint] = await listEndpoints(prisma, teamId, now);
    expect(endpoint).toMatchObject({ url: DEMO_ENDPOINT_URL, enabled: true, eventTypes: [], phoneNumberIds: [] });
    expect(endpoint!.stats).toMatchObject({ attempts: expect.any(Number), pending: 0, failed: 0 });
    expect(endpoint!.stats.successRate).toBeGreaterThan(0.8);
    expect(endpoint!.stats.successRate).toBeLessThan(1);
    const { attempts } = await listAttempts(prisma, teamId, endpoint!.id, { status: "failed" });
    expect(attempts.map((a) => a.statusCode)).toContain(null);
    expect(attempts.map((a) => a.statusCode)).toContain(503);
    // Attempts follow their events, which happened when the traffic did.
    const first = await prisma.endpointAttempt.findFirstOrThrow({ where: { endpointId: endpoint!.id }, orderBy: { startedAt: "asc" } });
    expect(first.startedAt.getTime()).toBeGreaterThan(endpoint!.createdAt.getTime());
    expect(first.startedAt.getTime()).toBeLessThan(now.getTime());
  });

  it("is seeded once: a restart adds nothing", async () => {
    const before = await Promise.all([prisma.message.count({ where: { teamId } }), prisma.delivery.count({ where: { teamId } })]);
    const again = await seed();
    expect(again.created).toBe(false);
    expect(again.traffic).toBeUndefined();
    expect(again.numbers.every((n) => n.webhookUrl !== null)).toBe(true);
    expect(await Promise.all([prisma.message.count({ where: { teamId } }), prisma.delivery.count({ where: { teamId } })])).toEqual(before);
  });
});
