/**
 * Every provider's real request, broken one field at a time, through the webhook route: no
 * answer is a 5xx, every answer has a body, and every request left a delivery row. The requests start from each module's own simulator, so
 * the fuzzing reaches the module's parser and signature check instead of stopping at "not JSON".
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/[provider]/[token]/route";
import { createNumber } from "@/lib/data/numbers";
import type { Provider } from "@/lib/generated/prisma/enums";
import { adapters, pathSegmentOf, PROVIDERS } from "@/lib/sms/registry";
import { buildDeliveries, requestHeaders, type SimulatedRequest } from "@/lib/sms/simulate";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

const handle = POST;

/** Numbers from different countries, so each provider's own example shape fits. */
const TO: Record<Provider, string> = {
  RAKUTEN: "+815012340001",
  INFOBIP: "+385921000001",
  VONAGE: "+12192250001",
  TWILIO: "+13035550001",
  TELNYX: "+13125550001",
  PLIVO: "+14155550001",
  SINCH: "+46700000001",
};

/** A value a provider should never send, of every JSON type and some odd strings. */
const oddValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", "\u0000", "\ud800", "NaN", "-1", "1e309", "9".repeat(400), "ZZ", "0x", "%", "%ZZ", "null"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

type Mutation =
  | { kind: "set"; pick: number; value: unknown }
  | { kind: "drop"; pick: number }
  | { kind: "truncate"; at: number }
  | { kind: "header"; pick: number; value: string }
  | { kind: "valid" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), value: oddValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("header" as const), pick: fc.nat(), value: fc.string({ maxLength: 80 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "valid" as const }) },
);

/** Every path to a leaf of a JSON document (arrays and objects). */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [path];
  const entries = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : Object.entries(value);
  const paths = entries.flatMap(([key, item]) => leafPaths(item, [...path, key]));
  return paths.length > 0 ? paths : [path];
}

function setAt(root: unknown, path: (string | number)[], value: unknown, drop: boolean): unknown {
  if (path.length === 0) return drop ? {} : value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (drop) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

/** The item at `n`, wrapping around: lists here are never empty. */
function nth<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? "";
}

/** The request with one thing broken: a field of its JSON body, form body or query, or a header. */
function broken(request: SimulatedRequest, change: Mutation): { query: URLSearchParams; body: string | null; headers: Record<string, string> } {
  const headers = requestHeaders(request);
  const query = new URLSearchParams(request.query);
  let body = request.body;
  if (change.kind === "valid") return { query, body, headers };
  if (change.kind === "truncate") return { query, body: body === null ? null : body.slice(0, change.at % (body.length + 1)), headers };
  if (change.kind === "header") {
    const names = Object.keys(headers);
    if (names.length > 0) headers[nth(names, change.pick)] = change.value.replace(/[\r\n\0]/g, " ");
    return { query, body, headers };
  }
  const isJson = body !== null && /json/i.test(request.contentType ?? "");
  if (isJson) {
    const document: unknown = JSON.parse(body!);
    const paths = leafPaths(document);
    body = JSON.stringify(setAt(document, nth(paths, change.pick), change.kind === "set" ? change.value : undefined, change.kind === "drop"));
    return { query, body, headers };
  }
  // A form body, or the query of a GET.
  const form = body !== null ? new URLSearchParams(body) : query;
  const keys = [...new Set(form.keys())];
  if (keys.length > 0) {
    const key = nth(keys, change.pick);
    if (change.kind === "drop") form.delete(key);
    else form.set(key, asText(change.value));
  }
  return body !== null ? { query, body: form.toString(), headers } : { query: form, body, headers };
}

describe("every provider's requests, broken one field at a time", () => {
  it.each(PROVIDERS)("%s: never a 5xx it did not mean, and every request to the number is recorded", async (provider) => {
    const adapter = adapters[provider];
    const { team } = await seedTeam();
    // Unsigned, so that broken bodies reach the parser rather than stopping at the signature.
    const { number, token } = await createNumber(prisma, { teamId: team.id, provider, e164: TO[provider], label: provider, credentials: null });
    const segment = pathSegmentOf(provider);
    let sent = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...adapter.formats), fc.integer({ min: 1, max: 3 }), fc.nat(), mutation, async (format, parts, which, change) => {
        const requests = buildDeliveries({ provider, format, from: "+447700900123", to: TO[provider], text: "Fuzz ünïcode 👋 ".repeat(parts * 6), parts });
        const request = nth(requests, which);
        const { query, body, headers } = broken(request, change);
        const url = new URL(`http://moshi.test/api/webhooks/${segment}/${token}`);
        for (const [key, value] of query) url.searchParams.append(key, value);
        const response = await handle(new Request(url, { method: request.method, headers, body: request.method === "GET" ? undefined : body }), {
          params: Promise.resolve({ provider: segment, token }),
        });
        sent++;
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${format} ${JSON.stringify(change)}`).toBeLessThan(500);
        expect((await response.text()).length, "an answer a provider can read").toBeGreaterThan(0);
        if (change.kind === "valid") expect(response.status).toBe(200);
      }),
      { numRuns: 120, seed: 20261202 },
    );
    // The broken requests reached the parser: some were stored, some refused as malformed.
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    const recorded = await prisma.delivery.count({ where: { phoneNumberId: number.id } });
    expect(recorded).toBe(sent);
    // Nothing stored is half-made: every message has its parts and a thread.
    const orphans = await prisma.message.count({ where: { phoneNumberId: number.id, parts: { none: {} } } });
    expect(orphans).toBe(0);
  });
});
