import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/[provider]/[token]/route";
import { countDeliveriesByOutcome, decodeDeliveryCursor, encodeDeliveryCursor, getDelivery, listDeliveries } from "@/lib/data/deliveries";
import { createNumber } from "@/lib/data/numbers";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

/** Posts through the real route handler, as a provider would. */
async function send(provider: string, token: string, body: string, contentType = "application/json") {
  const request = new Request(`http://moshi.test/api/webhooks/${provider}/${token}`, { method: "POST", body, headers: { "content-type": contentType } });
  const response = await POST(request, { params: Promise.resolve({ provider, token }) });
  return response.status;
}

const rakuten = (id: string, text = "Hello") =>
  JSON.stringify({ message_id: id, sender_address: "817012345678", destination_address: "815012345678", content_type: "text", udh: "", message_body: text });
const vonage = (params: Record<string, string>) => new URLSearchParams(params).toString();
const vonageMessage = (id: string) => vonage({ msisdn: "447700900001", to: "12192259404", messageId: id, text: `Hi ${id}`, type: "text" });
const vonageReceipt = (id: string) => vonage({ msisdn: "447700900001", to: "12192259404", messageId: id, status: "delivered", "err-code": "0", price: "0.0057" });
const FORM = "application/x-www-form-urlencoded";

/** Every page of a listing, following nextCursor until it runs out. */
async function allPages(options: Omit<Parameters<typeof listDeliveries>[1], "cursor">) {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await listDeliveries(prisma, { ...options, cursor });
    pages.push(page.items.map((d) => d.id));
    cursor = page.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe("the delivery log", () => {
  // One team with 120 deliveries of every outcome on two numbers, and a second team.
  let teamId: string;
  let otherTeamId: string;
  let vonageId: string;
  let rakutenId: string;
  let otherDeliveryId: string;

  beforeAll(async () => {
    const { team } = await seedTeam("Log team");
    teamId = team.id;
    const v = await createNumber(prisma, { teamId, provider: "VONAGE", e164: "+12192259404", label: "US line" });
    const r = await createNumber(prisma, { teamId, provider: "RAKUTEN", e164: "+815012345678", label: "Tokyo" });
    vonageId = v.number.id;
    rakutenId = r.number.id;

    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push(await send("vonage", v.token, vonageMessage(`v-${i}`), FORM)); // 50 stored
    for (let i = 0; i < 20; i++) statuses.push(await send("vonage", v.token, vonageMessage(`v-${i}`), FORM)); // 20 retries
    for (let i = 0; i < 15; i++) statuses.push(await send("vonage", v.token, vonageReceipt(`r-${i}`), FORM)); // 15 ignored
    for (let i = 0; i < 15; i++) statuses.push(await send("rakuten", r.token, "not json at all")); // 15 rejected
    for (let i = 0; i < 20; i++) statuses.push(await send("rakuten", r.token, rakuten(`rk-${i}`))); // 20 stored
    expect(statuses.filter((s) => s === 200)).toHaveLength(105);
    expect(statuses.filter((s) => s === 400)).toHaveLength(15);

    // Deliveries arriving in the same millisecond are common under load; force many ties so
    // that the id tiebreak is what keeps pages apart.
    await prisma.$executeRaw`
      UPDATE "Delivery" SET "receivedAt" = timestamp '2026-01-01 12:00:00' + (floor(random() * 8) * interval '1 second')
      WHERE "teamId" = ${teamId}`;

    const other = await seedTeam("Other team");
    otherTeamId = other.team.id;
    const o = await createNumber(prisma, { teamId: otherTeamId, provider: "RAKUTEN", e164: "+815012345678", label: "Other Tokyo" });
    await send("rakuten", o.token, rakuten("rk-other"));
    otherDeliveryId = (await prisma.delivery.findFirstOrThrow({ where: { teamId: otherTeamId } })).id;
  });

  it("pages through every delivery newest first, without gaps or repeats, across tied timestamps", async () => {
    const expected = await prisma.delivery.findMany({ where: { teamId }, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(expected).toHaveLength(120);
    // At most 8 distinct times for 120 rows: every page boundary falls inside a tie.
    const times = await prisma.delivery.groupBy({ by: ["receivedAt"], where: { teamId } });
    expect(times.length).toBeLessThanOrEqual(8);

    const pages = await allPages({ teamId, take: 25 });
    expect(pages.map((p) => p.length)).toEqual([25, 25, 25, 25, 20]);
    expect(pages.flat()).toEqual(expected.map((d) => d.id));

    // Paging twice gives the same pages: the order is total, not left to the planner.
    expect(await allPages({ teamId, take: 25 })).toEqual(pages);
  });

  it("lists without the raw request and ends with no cursor", async () => {
    const { items, nextCursor } = await listDeliveries(prisma, { teamId, take: 500 });
    expect(items).toHaveLength(120);
    expect(nextCursor).toBeNull();
    expect(items[0]).not.toHaveProperty("body");
    expect(items[0]).not.toHaveProperty("headers");
    expect(items[0]!.phoneNumber).toEqual({ id: expect.any(String), label: expect.any(String), e164: expect.any(String) });
  });

  it("filters by outcome and by number, page after page", async () => {
    const count = async (options: Omit<Parameters<typeof listDeliveries>[1], "cursor" | "teamId">) => (await allPages({ teamId, take: 7, ...options })).flat();
    const rejected = await count({ outcome: "REJECTED" });
    expect(rejected).toHaveLength(15);
    expect(new Set(rejected).size).toBe(15);
    expect(await count({ outcome: "DUPLICATE" })).toHaveLength(20);
    expect(await count({ outcome: "IGNORED" })).toHaveLength(15);
    expect(await count({ outcome: "STORED" })).toHaveLength(70);
    expect(await count({ phoneNumberId: vonageId })).toHaveLength(85);
    expect(await count({ phoneNumberId: rakutenId })).toHaveLength(35);
    expect(await count({ phoneNumberId: rakutenId, outcome: "STORED" })).toHaveLength(20);
    expect(await count({ phoneNumberId: vonageId, outcome: "REJECTED" })).toHaveLength(0);

    const { items } = await listDeliveries(prisma, { teamId, outcome: "IGNORED" });
    expect(items.every((d) => d.outcome === "IGNORED" && d.status === 200 && /receipt/.test(d.reason ?? ""))).toBe(true);
  });

  it("counts deliveries per outcome, for the team or one number", async () => {
    expect(await countDeliveriesByOutcome(prisma, teamId)).toEqual({ STORED: 70, DUPLICATE: 20, IGNORED: 15, REJECTED: 15 });
    expect(await countDeliveriesByOutcome(prisma, teamId, { phoneNumberId: rakutenId })).toEqual({ STORED: 20, DUPLICATE: 0, IGNORED: 0, REJECTED: 15 });
    // Another team's number counts nothing here.
    const otherNumber = await prisma.phoneNumber.findFirstOrThrow({ where: { teamId: otherTeamId } });
    expect(await countDeliveriesByOutcome(prisma, teamId, { phoneNumberId: otherNumber.id })).toEqual({ STORED: 0, DUPLICATE: 0, IGNORED: 0, REJECTED: 0 });
  });

  it("returns a delivery with its raw request and the messages it stored", async () => {
    const [stored] = (await listDeliveries(prisma, { teamId, outcome: "STORED", phoneNumberId: rakutenId, take: 1 })).items;
    const detail = await getDelivery(prisma, { teamId, deliveryId: stored!.id });
    expect(detail).toMatchObject({
      id: stored!.id,
      method: "POST",
      contentType: "application/json",
      headers: { "content-type": "application/json" },
      phoneNumber: { id: rakutenId, label: "Tokyo", e164: "+815012345678", provider: "RAKUTEN" },
    });
    expect(Buffer.from(detail!.body).toString("utf8")).toContain("message_body");
    expect(detail!.messages).toEqual([
      expect.objectContaining({ snippet: "Hello", status: "COMPLETE", from: "+817012345678", partIndexes: [1], conversationId: expect.any(String) }),
    ]);

    const [rejected] = (await listDeliveries(prisma, { teamId, outcome: "REJECTED", take: 1 })).items;
    const refused = await getDelivery(prisma, { teamId, deliveryId: rejected!.id });
    expect(refused).toMatchObject({ status: 400, reasonCode: "invalid_payload", messages: [] });
    expect(Buffer.from(refused!.body).toString("utf8")).toBe("not json at all");
  });

  it("keeps every team to its own deliveries", async () => {
    expect(await getDelivery(prisma, { teamId, deliveryId: otherDeliveryId })).toBeNull();
    expect(await getDelivery(prisma, { teamId, deliveryId: "does-not-exist" })).toBeNull();
    expect(await getDelivery(prisma, { teamId: otherTeamId, deliveryId: otherDeliveryId })).not.toBeNull();

    const everything = (await allPages({ teamId, take: 50 })).flat();
    expect(everything).not.toContain(otherDeliveryId);
    const theirs = await listDeliveries(prisma, { teamId: otherTeamId });
    expect(theirs.items.map((d) => d.id)).toEqual([otherDeliveryId]);
    // A cursor carries no team: one taken from this team's listing reads only the other team's rows there.
    const { nextCursor } = await listDeliveries(prisma, { teamId, take: 10 });
    const foreign = await listDeliveries(prisma, { teamId: otherTeamId, cursor: nextCursor, take: 500 });
    expect(foreign.items.filter((d) => everything.includes(d.id))).toEqual([]);
  });

  it("reads only cursors it wrote, and starts over on anything else", async () => {
    const at = new Date("2026-01-01T12:00:03.000Z");
    expect(decodeDeliveryCursor(encodeDeliveryCursor({ receivedAt: at, id: "cm123abc" }))).toEqual({ receivedAt: at, id: "cm123abc" });
    for (const junk of ["", "???", Buffer.from("12:'; DROP TABLE").toString("base64url"), Buffer.from("x:abc").toString("base64url")]) {
      expect(decodeDeliveryCursor(junk)).toBeNull();
    }
    const first = await listDeliveries(prisma, { teamId, take: 5 });
    expect((await listDeliveries(prisma, { teamId, take: 5, cursor: "not-a-cursor" })).items).toEqual(first.items);
    // A date in the year 33658 used to reach the query and fail it with an error page.
    expect((await listDeliveries(prisma, { teamId, take: 5, cursor: Buffer.from("999999999999999:cm123").toString("base64url") })).items).toEqual(first.items);
  });
});
