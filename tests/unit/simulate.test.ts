import { describe, expect, it } from "vitest";
import { decodePayload, isGsm7Text, joinPayloads } from "@/lib/sms/decode";
import { adapters } from "@/lib/sms/registry";
import { buildDeliveries, splitCodeUnits } from "@/lib/sms/simulate";
import type { Provider, RawDelivery } from "@/lib/sms/types";

function toRaw(request: ReturnType<typeof buildDeliveries>[number]): RawDelivery {
  return { method: request.method, contentType: request.contentType, headers: {}, query: request.query, body: request.body ?? "" };
}

describe("isGsm7Text", () => {
  it("accepts the default alphabet and extension table, refuses the rest", () => {
    expect(isGsm7Text("Hello @ £5 {ok} [€] ~^|\\")).toBe(true);
    expect(isGsm7Text("こんにちは")).toBe(false);
    expect(isGsm7Text("👋")).toBe(false);
    expect(isGsm7Text("\u001b")).toBe(false);
  });
});

describe("simulated deliveries", () => {
  const text = "Order #4521 shipped 📦 — お届けは明日です";

  it("split on code units, cutting a surrogate pair like real segmentation", () => {
    const parts = splitCodeUnits("ab😀cd", 3);
    expect(parts).toEqual(["ab", "\uD83D\uDE00", "cd"]);
    expect(splitCodeUnits("a😀b", 2)).toEqual(["a\uD83D", "\uDE00b"]);
  });

  it.each<Provider>(["RAKUTEN", "INFOBIP", "VONAGE"])("%s: parse back to the original text, in any order", (provider) => {
    const requests = buildDeliveries({ provider, from: "447700900001", to: "12192259404", text, parts: 3, credentials: null });
    const parts = requests.reverse().flatMap((request) => {
      const parsed = adapters[provider].parse(toRaw(request));
      if (parsed.kind !== "parts") throw new Error(`${provider}: ${parsed.kind} ${"reason" in parsed ? parsed.reason : ""}`);
      return parsed.parts;
    });
    expect(parts).toHaveLength(provider === "INFOBIP" ? 1 : 3);
    const ordered = parts.toSorted((a, b) => (a.concat?.index ?? 1) - (b.concat?.index ?? 1));
    expect(new Set(ordered.map((p) => p.concat?.reference)).size).toBe(1);
    const decoded = decodePayload(joinPayloads(ordered.map((p) => p.payload)), ordered[0]!.encoding);
    expect(decoded.text).toBe(text);
    expect(ordered.every((p) => p.from === "+447700900001" && p.to === "+12192259404")).toBe(true);
  });

  it.each(["get", "form", "json"] as const)("Vonage over %s verifies with the secret it was signed with", (transport) => {
    const [request] = buildDeliveries({ provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Hi", format: transport, credentials: { signatureMethod: "SHA256", signatureSecret: "s3cret" } });
    const now = new Date();
    expect(adapters.VONAGE.verify(toRaw(request!), { credentials: { signatureSecret: "s3cret", signatureMethod: "SHA256" }, now })).toMatchObject({ ok: true, signed: true });
    expect(adapters.VONAGE.verify(toRaw(request!), { credentials: { signatureSecret: "other", signatureMethod: "SHA256" }, now })).toMatchObject({ ok: false });
  });
});

describe("simulated deliveries from a seeded source", () => {
  // MINSTD, a tiny linear congruential generator: any repeatable source will do.
  const seededRandom = (seed: number) => () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;

  it("are the same every time, ids and nonces included, and still verify and parse", () => {
    const now = new Date("2026-03-01T09:00:00Z");
    const build = () => buildDeliveries({ provider: "VONAGE", from: "447700900001", to: "12192259404", text: "A".repeat(400), parts: 3, now, credentials: { signatureMethod: "SHA256", signatureSecret: "s3cret" }, random: seededRandom(7) });
    const first = build();
    expect(build()).toEqual(first);
    const params = new URLSearchParams(first[0]!.body!);
    expect(params.get("nonce")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(params.get("messageId")).toMatch(/^[0-9A-F]{16}$/);
    for (const request of first) {
      expect(adapters.VONAGE.verify(toRaw(request), { credentials: { signatureSecret: "s3cret", signatureMethod: "SHA256" }, now })).toMatchObject({ ok: true, signed: true });
      expect(adapters.VONAGE.parse(toRaw(request))).toMatchObject({ kind: "parts" });
    }
    const other = buildDeliveries({ provider: "VONAGE", from: "447700900001", to: "12192259404", text: "Hi", random: seededRandom(8) });
    expect(new URLSearchParams(other[0]!.body!).get("messageId")).not.toBe(params.get("messageId"));
  });
});
