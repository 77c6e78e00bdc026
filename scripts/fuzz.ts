/**
 * `npm run fuzz`: hostile requests against the webhook of the production server. Needs
 * DATABASE_URL (a PostgreSQL server); works in a fresh database of its own.
 *
 *   tsx scripts/fuzz.ts [--bodies 10000] [--seed 1] [--concurrency 8] [--case <id>] [--no-build]
 *
 * Per provider, --bodies requests to the number's own URL, built from real payloads
 * (lib/sms/simulate.ts) and broken in one way each: random bytes, truncated JSON, deep nesting,
 * NUL (escaped and raw), lone surrogates in every field, invalid UTF-8, wrong field types, odd
 * methods and content types, bad UDH and concatenation fields, odd query encodings; a few
 * unbroken ones too. Then, one at a time, the heavy ones: huge arrays, bodies over 256 KiB
 * (with Content-Length, and chunked on a keep-alive connection that must still answer the next
 * request), a slow body. One in twenty more go to unknown tokens and unknown providers.
 *
 * A run fails on any 5xx, on any request without an answer within its time limit, on a request
 * to the number that left no delivery row (each request names its case in User-Agent, which
 * the delivery log keeps), on a row left by a request to an unknown token or provider (those
 * must answer 404), and on an unbroken delivery that is not accepted. Everything comes from a
 * seeded generator: `--seed S --case <id>` sends one case again and prints it whole.
 */
import net from "node:net";
import http from "node:http";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Provider } from "@/lib/sms/types";
import {
  createMigratedDatabase,
  delay,
  ensureBuild,
  formatCount,
  formatTable,
  type HarnessProvider,
  NUMBERS,
  PROVIDERS,
  requireServerUrl,
  resultLabel,
  runHarness,
  seedTeam,
  sendHttp,
  serverSecrets,
  startServer,
  VONAGE_SECRET,
  webhookPath,
  type HarnessNumber,
  type HttpResult,
} from "./lib/harness";
import { allowServerOnlyImports } from "./lib/server-only";

allowServerOnlyImports();
const { buildDeliveries } = await import("@/lib/sms/simulate");
const { seededRandom } = await import("@/lib/demo-traffic");
const { signVonageParams } = await import("@/lib/sms/providers/vonage/signature");

/** Longer than any provider waits for an answer: a request still unanswered by then has hung. */
const TIMEOUT_MS = 15_000;
const OVERSIZE_BYTES = 300 * 1024;
/** Stands for raw bytes while a body is still text; replaced when it becomes bytes. */
const RAW = "RAWBYTESHERE";
const FIXED_NOW = new Date("2026-11-30T09:15:00Z");
/** The body recorded for an answer that came from Node's HTTP parser, not from the app. */
const FROM_PARSER = "(refused by the HTTP parser)";

type Random = () => number;

/** Everything needed to send a case again exactly. */
type FuzzCase = {
  id: string;
  provider: HarnessProvider;
  kind: string;
  detail: string;
  target: "known" | "unknown-token" | "unknown-provider";
  method: string;
  /** Path and query, relative to the webhook URL: `<segment>/<token>` is filled in when sent. */
  query: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** How it is sent: node:http, a raw socket (methods node:http refuses, chunked framing), slowly. */
  transport: "http" | "raw" | "chunked-keep-alive" | "chunked-await-answer" | "slow";
  heavy: boolean;
  /** Unbroken deliveries must be accepted. */
  expectOk?: boolean;
};

type Outcome = { fuzzCase: FuzzCase; result: HttpResult; ms: number; followUp?: HttpResult | "closed" };

type Failure = { type: string; fuzzCase: FuzzCase; got: string };

/** Weights of the everyday mutations; the heavy ones are added per provider at a fixed count. */
const KINDS = {
  "random-bytes": 2,
  "truncated-json": 2,
  "deep-nesting": 1,
  nul: 2,
  "lone-surrogate": 2,
  "invalid-utf8": 2,
  "field-types": 2,
  "odd-method": 1,
  "content-type": 1,
  "bad-udh": 1,
  "query-encoding": 1,
  valid: 1,
} as const;
type Kind = keyof typeof KINDS;

async function main(): Promise<number> {
  const options = parseCommandLine();
  const serverUrl = requireServerUrl("npm run fuzz");
  let cases = planCases(options.bodies, options.seed);
  if (options.only) {
    // An id, or the start of ids (`--case infobip-heavy` sends Infobip's heavy cases).
    cases = cases.filter((c) => c.id === options.only || c.id.startsWith(`${options.only}-`));
    if (cases.length === 0) throw new Error(`No case ${options.only} with --seed ${options.seed} --bodies ${options.bodies}`);
  }
  await ensureBuild(options.build);
  const databaseUrl = await createMigratedDatabase(serverUrl, "moshi_fuzz");
  const secrets = serverSecrets();
  const numbers = await seedTeam(databaseUrl, secrets.MOSHI_ENCRYPTION_KEY);
  const server = await startServer({ databaseUrl, secrets, name: "fuzz" });

  const light = cases.filter((c) => !c.heavy);
  const heavy = cases.filter((c) => c.heavy);
  console.log(
    `Fuzz: seed ${options.seed}, ${formatCount(options.bodies)} bodies per provider, ${formatCount(cases.length)} requests ` +
      `(${formatCount(heavy.length)} heavy, sent one at a time), concurrency ${options.concurrency}\nServer: ${server.origin} (log: ${server.logFile})`,
  );

  const started = Date.now();
  const outcomes: Outcome[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  let next = 0;
  const progress = setInterval(() => console.log(`  ${formatCount(outcomes.length)} / ${formatCount(cases.length)} answered`), 10_000);
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < light.length) {
        const fuzzCase = light[next++]!;
        outcomes.push(await send(server.origin, numbers, fuzzCase, agent));
      }
    }),
  );
  agent.destroy();
  // One at a time, so a stall is pinned on the request that caused it.
  for (const fuzzCase of heavy) {
    const outcome = await send(server.origin, numbers, fuzzCase, undefined);
    outcomes.push(outcome);
    if (!("status" in outcome.result) && !(await waitUntilAnswering(server.origin))) {
      console.log(`  the server stopped answering after ${fuzzCase.id} (${fuzzCase.kind}); the remaining heavy cases are skipped`);
      break;
    }
  }
  clearInterval(progress);
  const seconds = (Date.now() - started) / 1000;

  await waitUntilAnswering(server.origin);
  const rows = await countRowsByCase(databaseUrl);
  const failures = judge(outcomes, rows);
  printReport({ outcomes, failures, seconds, options });
  if (options.only) for (const outcome of outcomes) printCase(outcome.fuzzCase, outcome);
  return failures.length ? 1 : 0;
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      bodies: { type: "string", default: "10000" },
      seed: { type: "string", default: "1" },
      concurrency: { type: "string", default: "8" },
      case: { type: "string" },
      "no-build": { type: "boolean", default: false },
    },
  });
  const count = (name: "bodies" | "seed" | "concurrency", min: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}, got "${values[name]}"`);
    return value;
  };
  return { bodies: count("bodies", 1), seed: count("seed", 0), concurrency: count("concurrency", 1), only: values.case, build: !values["no-build"] };
}

// ---------------------------------------------------------------------------------------------
// The cases

function planCases(bodies: number, seed: number): FuzzCase[] {
  const cases: FuzzCase[] = [];
  PROVIDERS.forEach((provider, p) => {
    for (let i = 0; i < bodies; i++) {
      const random = seededRandom(mix(seed, p, i));
      cases.push({ ...mutate(provider, pickWeighted(random, provider), random), id: `${provider.toLowerCase()}-${i}` });
    }
    // One in twenty more to URLs that belong to nobody: 404 and nothing kept.
    for (let i = 0; i < Math.max(1, Math.round(bodies / 20)); i++) {
      const random = seededRandom(mix(seed, p, 1_000_000 + i));
      const fuzzCase = mutate(provider, pickWeighted(random, provider, ["odd-method"]), random);
      cases.push({ ...fuzzCase, id: `${provider.toLowerCase()}-unknown-${i}`, target: i % 2 ? "unknown-provider" : "unknown-token", expectOk: false });
    }
    // The heavy ones: a couple per provider whatever the size of the run.
    const repeats = Math.max(1, Math.round(bodies / 5000));
    for (let r = 0; r < repeats; r++) {
      heavyCases(provider, seededRandom(mix(seed, p, 2_000_000 + r))).forEach((fuzzCase, k) =>
        cases.push({ ...fuzzCase, id: `${provider.toLowerCase()}-heavy-${r}-${k}` }),
      );
    }
  });
  return cases;
}

function pickWeighted(random: Random, provider: HarnessProvider, excluded: Kind[] = []): Kind {
  // UDH and concatenation fields are Rakuten's and Vonage's; Infobip joins parts itself.
  const kinds = (Object.entries(KINDS) as [Kind, number][]).filter(([kind]) => !excluded.includes(kind) && !(kind === "bad-udh" && provider === "INFOBIP"));
  let roll = random() * kinds.reduce((sum, [, w]) => sum + w, 0);
  for (const [kind, weight] of kinds) if ((roll -= weight) < 0) return kind;
  return kinds[0]![0];
}

type Draft = Omit<FuzzCase, "id">;

/** The fields of a real delivery, and how to turn (mutated) fields back into a request. */
type Base = {
  fields: Record<string, unknown>;
  /** Builds the request; `transport` overrides Vonage's (and Infobip's legacy GET). */
  /** `rawAs`: what the RAW marker reads as on the server, for Vonage's signature. */
  encode(fields: Record<string, unknown>, transport?: "get" | "form" | "json", rawAs?: string): { method: string; query: string; body: string | null; contentType: string | null };
  transport: "get" | "form" | "json";
};

function realDelivery(provider: HarnessProvider, random: Random, parts = 1 + Math.floor(random() * 2)): Base {
  const texts = ["Hello, is the shop open?", "予約の変更をお願いします。明日の午後三時は空いていますか？", "STOP", "ありがとう 🙏🎉 see you 👍🏽", "WIN 4711"];
  const transport = (["get", "form", "json"] as const)[Math.floor(random() * 3)]!;
  const requests = buildDeliveries({
    provider,
    from: `4477${String(Math.floor(random() * 1e8)).padStart(8, "0")}`,
    to: NUMBERS[provider],
    text: texts[Math.floor(random() * texts.length)]!,
    parts,
    ...(provider === "VONAGE" ? { format: transport } : {}),
    credentials: provider === "VONAGE" ? { signatureMethod: "SHA256", signatureSecret: VONAGE_SECRET } : null,
    now: FIXED_NOW,
    random,
  });
  const request = requests[Math.floor(random() * requests.length)]!;
  switch (provider) {
    case "RAKUTEN":
      return { fields: JSON.parse(request.body!) as Record<string, unknown>, transport: "json", encode: (fields) => jsonRequest(fields) };
    case "INFOBIP": {
      const body = JSON.parse(request.body!) as { results: Record<string, unknown>[] };
      const legacy = random() < 0.15;
      return {
        fields: body.results[0]!,
        transport: legacy ? "get" : "json",
        encode: (fields, as = legacy ? "get" : "json") =>
          as === "get" ? { method: "GET", query: formEncode(fields), body: null, contentType: null } : jsonRequest({ ...body, results: [fields] }),
      };
    }
    case "VONAGE": {
      const params = Object.fromEntries(request.method === "GET" ? request.query : request.body!.startsWith("{") ? Object.entries(JSON.parse(request.body!) as object) : new URLSearchParams(request.body!));
      delete params.sig;
      return {
        fields: params,
        transport,
        encode: (fields, as = transport, rawAs = RAW) => {
          // Signed again after the mutation, so the request gets past the signature check into parsing.
          const signed = { ...fields, sig: signVonageParams(signatureView(fields, rawAs), VONAGE_SECRET, "SHA256") };
          if (as === "get") return { method: "GET", query: formEncode(signed), body: null, contentType: null };
          if (as === "json") return jsonRequest(signed);
          return { method: "POST", query: "", body: formEncode(signed), contentType: "application/x-www-form-urlencoded" };
        },
      };
    }
  }
}

function mutate(provider: HarnessProvider, kind: Kind, random: Random): Draft {
  const base = realDelivery(provider, random);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const keys = Object.keys(base.fields);
  const draft = (detail: string, request: ReturnType<Base["encode"]>, extra: Partial<Draft> = {}): Draft => draftOf(provider, kind, detail, request, { heavy: false, ...extra });

  switch (kind) {
    case "valid":
      return draft(`unbroken ${base.transport}`, base.encode(base.fields), { expectOk: true });

    case "random-bytes": {
      const length = pick([0, 1, 2, 16, 100, 1000, 4096]);
      const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      const contentType = pick(["application/json", "application/x-www-form-urlencoded", "text/plain", "application/octet-stream", null]);
      return { ...draft(`${length} random bytes as ${contentType ?? "no content type"}`, { method: "POST", query: "", body: null, contentType }), body: bytes };
    }

    case "truncated-json": {
      const json = JSON.stringify(provider === "INFOBIP" ? JSON.parse(base.encode(base.fields, "json").body!) : base.fields);
      const at = Math.floor(random() * json.length);
      return draft(`JSON cut at ${at} of ${json.length}`, { method: "POST", query: "", body: json.slice(0, at), contentType: pick(["application/json", null]) });
    }

    case "deep-nesting": {
      const depth = pick([64, 1000, 10_000, 40_000]);
      const style = pick(["array", "object", "in-field"] as const);
      const nested = style === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
      if (style !== "in-field") return draft(`${style} nested ${depth} deep`, { method: "POST", query: "", body: nested, contentType: "application/json" });
      const key = pick(keys);
      const marker = "NESTEDHERE";
      const request = base.encode({ ...base.fields, [key]: marker }, "json");
      return draft(`${key} nested ${depth} deep`, { ...request, body: request.body!.replace(`"${marker}"`, nested) });
    }

    case "nul": {
      const every = random() < 0.3;
      const raw = random() < 0.4;
      const chosen = every ? keys : [pick(keys)];
      const value = (key: string) => `${String(base.fields[key]).slice(0, 3)}${raw ? RAW : "\u0000"}${String(base.fields[key]).slice(3)}`;
      const fields = { ...base.fields, ...Object.fromEntries(chosen.map((key) => [key, value(key)])) };
      const request = base.encode(fields, undefined, "\u0000");
      const detail = `${raw ? "raw 0x00" : "\\u0000"} in ${every ? "every field" : chosen[0]} (${base.transport})`;
      return raw ? { ...draft(detail, request), body: rawBytes(request.body, [0]), query: rawQuery(request.query, "%00") } : draft(detail, request);
    }

    case "lone-surrogate": {
      const every = random() < 0.5;
      const chosen = every ? keys : [pick(keys)];
      const surrogate = String.fromCharCode(pick([0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d]));
      const fields = { ...base.fields, ...Object.fromEntries(chosen.map((key) => [key, `${String(base.fields[key])}${surrogate}`])) };
      // Only JSON can carry a lone surrogate (as an escape); forms and queries would replace it.
      const code = surrogate.charCodeAt(0).toString(16);
      return draft(`"\\u${code}" in ${every ? "every field" : chosen[0]}`, base.encode(fields, "json"));
    }

    case "invalid-utf8": {
      const sequence = pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe3, 0x81], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xfe, 0xff]]);
      const key = pick(keys);
      const request = base.encode({ ...base.fields, [key]: `${String(base.fields[key])}${RAW}` }, undefined, Buffer.from(sequence).toString());
      const hex = sequence.map((b) => b.toString(16).padStart(2, "0")).join(" ");
      const percent = sequence.map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
      return { ...draft(`bytes ${hex} in ${key} (${base.transport})`, request), body: rawBytes(request.body, sequence), query: rawQuery(request.query, percent) };
    }

    case "field-types": {
      const key = pick(keys);
      const replacement = pick<unknown>([12345, 1e308, -1, 0.5, true, null, [], {}, [1, 2], { a: "b" }, "", " ", "x".repeat(100_000), "９０１２３４５６７８", "+", "0".repeat(40)]);
      const described = typeof replacement === "string" && replacement.length > 40 ? `"x" × ${replacement.length}` : JSON.stringify(replacement);
      if (random() < 0.15) {
        const polluted = JSON.stringify(base.fields).replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
        return draft("__proto__ and constructor keys", { method: "POST", query: "", body: polluted, contentType: "application/json" });
      }
      if (provider === "INFOBIP" && random() < 0.3) {
        const results = pick<unknown>([{}, "x", [null], [1], [[]], [{ text: null }], null]);
        return draft(`results = ${JSON.stringify(results)}`, jsonRequest({ results, messageCount: "many" }));
      }
      return draft(`${key} = ${described}`, base.encode({ ...base.fields, [key]: replacement }, base.transport === "get" ? "json" : undefined));
    }

    case "odd-method": {
      const method = pick(["OPTIONS", "HEAD", "TRACE", "PUT", "PATCH", "DELETE", "FOO"]);
      const request = base.encode(base.fields);
      // node:http sends neither TRACE nor made-up methods with a body; a socket can.
      const noBody = method === "HEAD" || method === "TRACE";
      return draft(`${method} with the ${base.transport} delivery`, { ...request, method, body: noBody ? null : request.body }, { transport: method === "TRACE" || method === "FOO" ? "raw" : "http" });
    }

    case "content-type": {
      const request = base.encode(base.fields, base.transport === "get" ? "json" : undefined);
      const contentType = pick([
        "",
        "text/plain",
        "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1",
        "application/x-www-form-urlencoded",
        "application/json",
        "multipart/form-data; boundary=----x",
        "application/xml",
        "*/*",
        "application/json, application/json",
        "APPLICATION/JSON",
        "application/json;;;",
        `text/html; charset="utf-8"`,
        "x".repeat(4000),
      ]);
      const encoding = pick(["utf-8", "utf-8 with BOM", "utf-16le with BOM"] as const);
      const text = request.body!;
      const body =
        encoding === "utf-8" ? Buffer.from(text) : encoding === "utf-8 with BOM" ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
      const shown = contentType.length > 40 ? `"x" × ${contentType.length}` : JSON.stringify(contentType);
      return { ...draft(`${shown}, ${encoding} ${base.transport} body`, request), headers: { "content-type": contentType }, body };
    }

    case "bad-udh": {
      const udh = pick(["05000300", "0500030000", "050003FF0203", "050003FF0200", "0B", "ZZ", "FF".repeat(200), "0A0003FF0201", "060804FFFF0000", "00", "050003", "0003FF0201", ""]);
      if (provider === "RAKUTEN") {
        const contentType = pick(["text", "unicode", "binary"]);
        const body = pick([String(base.fields.message_body), "ABC", "", "0".repeat(281), "D83D"]);
        return draft(`udh ${JSON.stringify(udh.slice(0, 16))} ${contentType} body ${JSON.stringify(body.slice(0, 8))}`, base.encode({ ...base.fields, udh, content_type: contentType, message_body: body }));
      }
      const concat = pick([{ udh, type: "binary", data: pick(["0102", "ABC", "", "ZZ"]) }, { concat: "true", "concat-ref": pick(["-1", "99999999", "1e3", "", "0x10"]), "concat-total": pick(["0", "256", "2", "NaN"]), "concat-part": pick(["0", "3", "-1", "1"]) }]);
      return draft(`${JSON.stringify(concat).slice(0, 80)}`, base.encode({ ...base.fields, ...concat }));
    }

    case "query-encoding": {
      const odd = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        pick(["%", "%zz", "%0", "%00", "%FF%FE", "%ED%A0%80", "%C0%AF", "a=1&a=2", "text=%F0%9F", ";x=1", "+%2B+", "%E3%81%82=%E3%81%82", "key%00=v", "=", "&&&", "msisdn[]=1", "__proto__[x]=1", "to=%2B%2B", `text=${"%25".repeat(1000)}`]),
      );
      const request = base.encode(base.fields);
      const query = [request.query, ...odd].filter(Boolean).join("&");
      return draft(`query + ${odd.join(" & ").slice(0, 60)}`, { ...request, query });
    }
  }
}

/** A request to the number's own URL, built from an encoded delivery. */
function draftOf(provider: HarnessProvider, kind: string, detail: string, request: ReturnType<Base["encode"]>, extra: Partial<Draft>): Draft {
  return {
    provider,
    kind,
    detail,
    target: "known",
    method: request.method,
    query: request.query,
    headers: request.contentType === null ? {} : { "content-type": request.contentType },
    body: request.body === null ? null : Buffer.from(request.body),
    transport: "http",
    heavy: false,
    ...extra,
  };
}

/** The cases that are slow or large by design, sent one at a time after the others. */
function heavyCases(provider: HarnessProvider, random: Random): Draft[] {
  const base = realDelivery(provider, random, 1);
  const heavy = (kind: string, detail: string, request: ReturnType<Base["encode"]>, extra: Partial<Draft> = {}): Draft => draftOf(provider, kind, detail, request, { heavy: true, ...extra });
  const emptyResults = JSON.stringify({ results: Array.from({ length: 20_000 }, () => ({})) });
  // Short texts and only the required fields, so 1,500 of them stay under the 256 KiB limit.
  const id = () => Math.floor(random() * 1e12).toString(36);
  const valid = (i: number) => {
    const from = `4477${String(i).padStart(8, "0")}`;
    if (provider === "INFOBIP") return { messageId: `b${id()}`, from, to: NUMBERS.INFOBIP.slice(1), text: `Batch ${i}` };
    if (provider === "RAKUTEN") return { message_id: `b${id()}`, sender_address: from, destination_address: NUMBERS.RAKUTEN.slice(1), content_type: "text", udh: "", message_body: `Batch ${i}` };
    return { msisdn: from, to: NUMBERS.VONAGE.slice(1), messageId: `B${id()}`, text: `Batch ${i}`, type: "text" };
  };
  const manyValid = provider === "INFOBIP" ? { results: Array.from({ length: 1_500 }, (_, i) => valid(i)), messageCount: 1_500 } : Array.from({ length: 1_500 }, (_, i) => valid(i));
  const oversize = JSON.stringify({ ...base.fields, padding: "x".repeat(OVERSIZE_BYTES) });
  const signed = base.encode(base.fields, base.transport === "get" ? "form" : undefined);
  return [
    heavy("huge-array", '{"results":[{}, … 20,000 empty objects]}', jsonRequest(JSON.parse(emptyResults) as object)),
    heavy("huge-array", provider === "INFOBIP" ? "1,500 valid results" : "an array of 1,500 valid payloads", jsonRequest(manyValid)),
    heavy("oversize", `${OVERSIZE_BYTES / 1024} KiB with Content-Length`, { method: "POST", query: "", body: oversize, contentType: "application/json" }),
    heavy("oversize", `${OVERSIZE_BYTES / 1024} KiB chunked, then a delivery on the same keep-alive connection`, { method: "POST", query: "", body: oversize, contentType: "application/json" }, { transport: "chunked-keep-alive" }),
    heavy("oversize", `${OVERSIZE_BYTES / 1024} KiB chunked, the rest sent after the answer, then a delivery on the same connection`, { method: "POST", query: "", body: oversize, contentType: "application/json" }, { transport: "chunked-await-answer" }),
    heavy("slow-body", "an unbroken delivery sent in 8 slices, 250 ms apart", signed, { transport: "slow" }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Sending

async function send(origin: string, numbers: Record<Provider, HarnessNumber>, fuzzCase: FuzzCase, agent: http.Agent | undefined): Promise<Outcome> {
  const { provider, target } = fuzzCase;
  const token = target === "unknown-token" ? `unknown${fuzzCase.id.replace(/\W/g, "")}0000000000000000000000000000` : numbers[provider].token;
  const segment = target === "unknown-provider" ? "twilio" : provider.toLowerCase();
  const path = webhookPath(segment, token) + (fuzzCase.query ? `?${fuzzCase.query}` : "");
  const headers = { ...fuzzCase.headers, "user-agent": userAgent(fuzzCase.id) };
  const timeoutMs = TIMEOUT_MS;
  const started = performance.now();
  const ms = () => performance.now() - started;
  switch (fuzzCase.transport) {
    case "http": {
      const result = await sendHttp(origin, { method: fuzzCase.method, path, headers, body: fuzzCase.body }, { agent, timeoutMs });
      return { fuzzCase, result, ms: ms() };
    }
    case "raw": {
      const result = await rawOnce(origin, rawRequest(fuzzCase.method, path, headers, fuzzCase.body, true), timeoutMs, fuzzCase.method === "HEAD");
      return { fuzzCase, result, ms: ms() };
    }
    case "slow": {
      const body = fuzzCase.body ?? Buffer.alloc(0);
      const result = await slowRequest(origin, rawRequest(fuzzCase.method, path, headers, body, true), body.length, timeoutMs);
      return { fuzzCase, result, ms: ms() };
    }
    case "chunked-keep-alive":
    case "chunked-await-answer": {
      // The follow-up is an unbroken delivery of the same number, so it must be accepted (200).
      const unbroken = realDelivery(provider, seededRandom(fuzzCase.id.length), 1);
      const followUp = unbroken.encode(unbroken.fields, "json");
      const next = rawRequest("POST", path.replace(/\?.*$/, ""), { "content-type": "application/json", "user-agent": userAgent(`${fuzzCase.id}/follow-up`) }, Buffer.from(followUp.body!), true);
      const { first, followUp: answer } = await chunkedThenNext(origin, path, headers, fuzzCase.body!, next, fuzzCase.transport === "chunked-await-answer", timeoutMs);
      return { fuzzCase, result: first, ms: ms(), followUp: answer };
    }
  }
}

const userAgent = (id: string) => `moshi-fuzz/${id}`;

function rawRequest(method: string, path: string, headers: Record<string, string>, body: Buffer | null, close: boolean): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push(`content-length: ${body.length}`);
  lines.push(`connection: ${close ? "close" : "keep-alive"}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), body ?? Buffer.alloc(0)]);
}

/**
 * One HTTP/1.1 connection driven by hand, for what node:http will not send: made-up methods,
 * TRACE, chunked framing paced by the answers, bodies in slices.
 */
class RawConnection {
  private buffer = Buffer.alloc(0);
  private closed = false;
  private error: string | null = null;
  private wake: () => void = () => {};
  private readonly socket: net.Socket;
  readonly ready: Promise<void>;

  constructor(origin: string) {
    const url = new URL(origin);
    this.socket = net.connect(Number(url.port), url.hostname);
    this.ready = new Promise((resolve) => this.socket.once("connect", () => resolve()));
    this.socket.on("data", (data) => {
      this.buffer = Buffer.concat([this.buffer, data]);
      this.wake();
    });
    this.socket.on("error", (error) => {
      this.error = (error as NodeJS.ErrnoException).code ?? error.message;
      this.wake();
    });
    this.socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** The next answer, `closed` when the server closed the connection first, or a timeout. */
  async nextResponse(timeoutMs: number, head = false): Promise<(HttpResult & { close?: boolean }) | "closed"> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = readResponse(this.buffer, head);
      if (response && (response.length <= this.buffer.length || this.closed)) {
        this.buffer = this.buffer.subarray(response.length);
        return { status: response.status, body: response.fromParser ? FROM_PARSER : "", close: response.close };
      }
      if (this.error) return { error: this.error };
      if (this.closed) return "closed";
      const left = deadline - Date.now();
      if (left <= 0) return { error: "timeout" };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One request on a connection of its own. */
async function rawOnce(origin: string, request: Buffer, timeoutMs: number, head: boolean): Promise<HttpResult> {
  const connection = new RawConnection(origin);
  try {
    await connection.ready;
    connection.write(request);
    const answer = await connection.nextResponse(timeoutMs, head);
    return answer === "closed" ? { error: "closed without an answer" } : answer;
  } finally {
    connection.close();
  }
}

/**
 * A chunked body over the limit on a keep-alive connection, then an unbroken delivery on the same
 * connection. With `awaitAnswer`, the client stops after 272 KiB until the server has answered,
 * then sends the rest of the body and the next request, as a client reading the early 413 does.
 * The second answer must come, unless the server closed the connection (a client then opens
 * another).
 */
async function chunkedThenNext(origin: string, path: string, headers: Record<string, string>, body: Buffer, next: Buffer, awaitAnswer: boolean, timeoutMs: number) {
  const connection = new RawConnection(origin);
  try {
    await connection.ready;
    const head = [`POST ${path} HTTP/1.1`, "host: 127.0.0.1", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "transfer-encoding: chunked", "connection: keep-alive"];
    connection.write(Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"));
    const pauseAt = 272 * 1024;
    let first: Awaited<ReturnType<RawConnection["nextResponse"]>> | null = null;
    for (let at = 0; at < body.length; at += 16 * 1024) {
      const chunk = body.subarray(at, at + 16 * 1024);
      connection.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
      if (awaitAnswer && first === null && at + chunk.length >= pauseAt) first = await connection.nextResponse(timeoutMs);
    }
    connection.write(Buffer.from("0\r\n\r\n"));
    first ??= await connection.nextResponse(timeoutMs);
    if (first === "closed") return { first: { error: "closed without an answer" } as HttpResult, followUp: "closed" as const };
    if ("error" in first) return { first, followUp: undefined };
    // An answer that says it closes the connection is the end of it: a client opens another.
    if (first.close) return { first, followUp: "closed" as const };
    connection.write(next);
    return { first, followUp: await connection.nextResponse(timeoutMs) };
  } finally {
    connection.close();
  }
}

/** One complete response at the start of `buffer`, or null while incomplete. */
function readResponse(buffer: Buffer, head: boolean): { status: number; length: number; close: boolean; fromParser: boolean } | null {
  const end = buffer.indexOf("\r\n\r\n");
  if (end === -1) return null;
  const lines = buffer.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
  const header = (name: string) => lines.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim().toLowerCase();
  const close = header("connection") === "close";
  // Node's HTTP parser refuses malformed requests itself, with a bare 400 and no Date header;
  // Next (and so the webhook handler) never sees them.
  const fromParser = status === 400 && header("date") === undefined;
  let length = end + 4;
  if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) return { status, length, close, fromParser };
  if (header("transfer-encoding")?.includes("chunked")) {
    for (;;) {
      const lineEnd = buffer.indexOf("\r\n", length);
      if (lineEnd === -1) return null;
      const size = parseInt(buffer.subarray(length, lineEnd).toString("latin1"), 16);
      length = lineEnd + 2 + size + 2;
      if (buffer.length < length) return null;
      if (size === 0) return { status, length, close, fromParser };
    }
  }
  const declared = header("content-length");
  if (declared !== undefined) return buffer.length >= length + Number(declared) ? { status, length: length + Number(declared), close, fromParser } : null;
  // Neither: the body runs until the server closes; the status is all we need.
  return { status, length: buffer.length, close: true, fromParser };
}

/** An unbroken request whose body arrives in slices, as over a poor connection. */
async function slowRequest(origin: string, request: Buffer, bodyLength: number, timeoutMs: number): Promise<HttpResult> {
  const connection = new RawConnection(origin);
  try {
    await connection.ready;
    const headLength = request.length - bodyLength;
    connection.write(request.subarray(0, headLength));
    const slice = Math.ceil(bodyLength / 8);
    for (let at = headLength; at < request.length; at += slice) {
      await delay(250);
      connection.write(request.subarray(at, at + slice));
    }
    const answer = await connection.nextResponse(timeoutMs);
    return answer === "closed" ? { error: "closed without an answer" } : answer;
  } finally {
    connection.close();
  }
}

/** After a request without an answer: is the server answering again (within two minutes)? */
async function waitUntilAnswering(origin: string): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const result = await sendHttp(origin, { method: "GET", path: webhookPath("rakuten", "fuzz-probe") }, { timeoutMs: 5_000 });
    if ("status" in result && result.status === 404) return true;
    await delay(500);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Judging

/** Delivery rows per case, read from the User-Agent each request carried. */
async function countRowsByCase(databaseUrl: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // A request still being handled (a stalled one) may add its row late: wait for a quiet second.
    let last = -1;
    for (let i = 0; i < 30; i++) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "Delivery"`);
      if (Number(rows[0]!.n) === last) break;
      last = Number(rows[0]!.n);
      await delay(1_000);
    }
    const { rows } = await client.query<{ agent: string | null; n: string }>(`SELECT "headers"->>'user-agent' AS agent, count(*) AS n FROM "Delivery" GROUP BY 1`);
    return new Map(rows.map((row) => [row.agent?.replace(/^moshi-fuzz\//, "") ?? "(none)", Number(row.n)]));
  } finally {
    await client.end();
  }
}

function judge(outcomes: Outcome[], rows: Map<string, number>): Failure[] {
  const failures: Failure[] = [];
  for (const { fuzzCase, result, followUp } of outcomes) {
    const fail = (type: string, got = resultLabel(result)) => failures.push({ type, fuzzCase, got });
    const label = resultLabel(result);
    if ("error" in result) fail(result.error === "timeout" ? "hang (no answer in time)" : `no answer (${result.error})`);
    else if (result.status >= 500) fail(`${result.status}`);
    const found = rows.get(fuzzCase.id) ?? 0;
    // A request Node's HTTP parser refused (a made-up method) never reached any token.
    const reached = !("status" in result && result.body === FROM_PARSER);
    if (fuzzCase.target === "known") {
      if (found === 0 && reached) fail("no delivery row", label);
      if (found > 1) fail("more than one delivery row", `${found} rows`);
      if (fuzzCase.expectOk && "status" in result && result.status !== 200) fail("unbroken delivery not accepted");
    } else {
      if ("status" in result && result.status !== 404) fail(`${fuzzCase.target}: not 404`);
      if (found > 0) fail(`${fuzzCase.target}: left a delivery row`, `${found} rows`);
    }
    if (followUp !== undefined) {
      const followUpId = `${fuzzCase.id}/follow-up`;
      if (followUp === "closed") continue; // The server closed the connection: a client opens another.
      if ("error" in followUp) fail(`keep-alive: next request ${followUp.error === "timeout" ? "hangs" : `fails (${followUp.error})`}`, resultLabel(followUp));
      else if (followUp.status !== 200) fail("keep-alive: next request not accepted", String(followUp.status));
      else if ((rows.get(followUpId) ?? 0) !== 1) fail("keep-alive: next request left no delivery row", String(followUp.status));
    }
  }
  return failures;
}

function printReport({ outcomes, failures, seconds, options }: { outcomes: Outcome[]; failures: Failure[]; seconds: number; options: ReturnType<typeof parseCommandLine> }) {
  const byKind = new Map<string, Map<string, number>>();
  const times = new Map<string, number[]>();
  const statuses = new Set<string>();
  for (const { fuzzCase, result, ms } of outcomes) {
    const kind = fuzzCase.target === "known" ? fuzzCase.kind : fuzzCase.target;
    const label = resultLabel(result);
    statuses.add(label);
    const counts = byKind.get(kind) ?? new Map<string, number>();
    counts.set(label, (counts.get(label) ?? 0) + 1);
    byKind.set(kind, counts);
    times.set(kind, [...(times.get(kind) ?? []), ms]);
  }
  const columns = [...statuses].sort();
  const failedCases = new Map<string, Set<string>>();
  for (const failure of failures) {
    const kind = failure.fuzzCase.target === "known" ? failure.fuzzCase.kind : failure.fuzzCase.target;
    failedCases.set(kind, (failedCases.get(kind) ?? new Set()).add(failure.fuzzCase.id));
  }
  const table: (string | number)[][] = [["kind", "requests", ...columns, "median ms", "max ms", "failed"]];
  for (const [kind, counts] of [...byKind].sort()) {
    const sorted = times.get(kind)!.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    table.push([kind, [...counts.values()].reduce((a, b) => a + b, 0), ...columns.map((c) => counts.get(c) ?? 0), Math.round(median), Math.round(sorted.at(-1)!), failedCases.get(kind)?.size ?? 0]);
  }
  console.log(`\nStatuses by mutation kind (${formatCount(outcomes.length)} requests in ${seconds.toFixed(1)} s, ${(outcomes.length / seconds).toFixed(0)}/s):\n${formatTable(table)}`);
  const refused = outcomes.filter(({ result }) => "status" in result && result.body === FROM_PARSER);
  if (refused.length) {
    const methods = [...new Set(refused.map(({ fuzzCase }) => fuzzCase.method))].join(", ");
    console.log(`(${formatCount(refused.length)} refused by Node's HTTP parser before reaching the app, so no row is expected: ${methods})`);
  }

  if (failures.length === 0) {
    console.log("\nOK: no 5xx, no hang, every request to the number logged, every unknown URL a 404 that kept nothing.");
    return;
  }
  // One line per way of failing: the failures of one request read together ("503 + no delivery row").
  const byCase = new Map<string, { fuzzCase: FuzzCase; types: string[]; got: string }>();
  for (const failure of failures) {
    const entry = byCase.get(failure.fuzzCase.id) ?? { fuzzCase: failure.fuzzCase, types: [], got: failure.got };
    entry.types.push(failure.type);
    byCase.set(failure.fuzzCase.id, entry);
  }
  const groups = new Map<string, { count: number; first: FuzzCase }>();
  for (const { fuzzCase, types, got } of byCase.values()) {
    const kind = fuzzCase.target === "known" ? fuzzCase.kind : fuzzCase.target;
    const key = `${types.join(" + ")}\u0000${kind}\u0000${got}\u0000${groupDetail(fuzzCase)}`;
    const group = groups.get(key) ?? { count: 0, first: fuzzCase };
    group.count++;
    groups.set(key, group);
  }
  const failureTable: (string | number)[][] = [["failure", "kind", "answer", "what", "requests", "e.g."]];
  for (const [key, { count, first }] of [...groups].sort((a, b) => b[1].count - a[1].count)) {
    const [type, kind, got, what] = key.split("\u0000");
    failureTable.push([type!, kind!, got!, what!, count, first.id]);
  }
  console.log(`\nFAILED: ${formatCount(byCase.size)} of ${formatCount(outcomes.length)} requests:\n${formatTable(failureTable)}`);
  console.log(`\nFirst failures (send one again, printed whole: npm run fuzz -- --no-build --seed ${options.seed} --bodies ${options.bodies} --case <id>):`);
  for (const { fuzzCase: c, types, got } of [...byCase.values()].slice(0, 8)) {
    console.log(`  ${c.id}: ${types.join(" + ")} (answer ${got}): ${c.method} to ${c.target === "known" ? "the number" : `an ${c.target}`}, ${c.kind}: ${c.detail}`);
  }
}

/** The part of a case's description that names what broke it, without its random specifics. */
function groupDetail(fuzzCase: FuzzCase): string {
  switch (fuzzCase.kind) {
    case "odd-method":
      return fuzzCase.method;
    case "nul":
    case "lone-surrogate":
    case "invalid-utf8":
      return fuzzCase.detail.replace(/ in .*$/, "").replace(/bytes .*/, "bytes");
    case "huge-array":
    case "oversize":
    case "slow-body":
      return fuzzCase.detail.slice(0, 40);
    default:
      return "";
  }
}

function printCase(fuzzCase: FuzzCase, outcome: Outcome) {
  const body = fuzzCase.body ?? Buffer.alloc(0);
  console.log(`\nCase ${fuzzCase.id}: ${fuzzCase.kind}, ${fuzzCase.detail}`);
  console.log(`  ${fuzzCase.method} ${fuzzCase.target} ?${fuzzCase.query.slice(0, 500)} via ${fuzzCase.transport}`);
  console.log(`  headers: ${JSON.stringify(fuzzCase.headers).slice(0, 500)}`);
  console.log(`  body (${body.length} bytes, first 600 as JSON): ${JSON.stringify(body.subarray(0, 600).toString("latin1"))}`);
  console.log(`  answer: ${resultLabel(outcome.result)}${outcome.followUp ? `, follow-up: ${typeof outcome.followUp === "string" ? outcome.followUp : resultLabel(outcome.followUp)}` : ""}`);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function jsonRequest(value: unknown) {
  return { method: "POST", query: "", body: JSON.stringify(value), contentType: "application/json" };
}

function formEncode(fields: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v) ?? ""])).toString();
}

/** Vonage signs the values as the server reads them: strings, with raw bytes as decoded text. */
function signatureView(fields: Record<string, unknown>, rawAs: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, v]) => v !== null && typeof v !== "object")
      .map(([k, v]) => [k, String(v).split(RAW).join(rawAs)]),
  );
}

/** Replaces the RAW marker in a body with raw bytes. */
function rawBytes(body: string | null, bytes: number[]): Buffer | null {
  if (body === null) return null;
  return Buffer.concat(body.split(RAW).flatMap((piece, i) => (i === 0 ? [Buffer.from(piece)] : [Buffer.from(bytes), Buffer.from(piece)])));
}

/** Replaces the RAW marker in a query string with percent-encoded bytes. */
function rawQuery(query: string, percent: string): string {
  return query.split(RAW).join(percent);
}

/** A 32-bit seed per case from the run's seed, the provider and the case number. */
function mix(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = Math.imul(h ^ (value & 0xffff), 0x01000193);
    h = Math.imul(h ^ (value >>> 16), 0x01000193);
  }
  return h >>> 0;
}

// Started last, once every constant above is initialized.
await runHarness(main);
