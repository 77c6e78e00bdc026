import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plivoAdapter, plivoReplayKey } from "@/lib/sms/providers/plivo";
import { plivoCredentialsSchema } from "@/lib/sms/providers/plivo/schema";
import {
  isValidPlivoV2Signature,
  isValidPlivoV3Signature,
  plivoBaseUrl,
  plivoV3SignedString,
  signPlivoV2,
  signPlivoV3,
} from "@/lib/sms/providers/plivo/signature";
import { segmentCount as plivoUnits } from "@/lib/sms/providers/simulation";
import type { InboundPart, ParseResult, RawDelivery, SimulatedMessage, SimulatedRequest, VerifyResult } from "@/lib/sms/types";
import { VERIFICATION_FAILURES } from "@/lib/sms/types";
import { readJsonFixture } from "../helpers/http-fixture";

type Vector = {
  id: string;
  status: string;
  scheme: "v3" | "v2" | "v1_legacy";
  method?: "GET" | "POST";
  url: string;
  nonce?: string;
  auth_token: string;
  params?: Record<string, string>;
  signature: string;
  expect: boolean;
};
type Sample = { id: string; status: string; raw_form: string };

const { vectors } = readJsonFixture<{ vectors: Vector[] }>("plivo/signature-vectors.json");
const { samples } = readJsonFixture<{ samples: Sample[] }>("plivo/inbound-sms-samples.json");

const FORM = "application/x-www-form-urlencoded";
/** A token shaped like Plivo's (40 letters and digits). */
const TOKEN = "Y2Q2ZDgxZmY5YWRiOTI5YmQ1Njg0MTAxZWIyOTc4";
const OTHER_TOKEN = "ZTFhNmUyYjQ4ZjlkMzMwYzE1ODdhMGE5NGYzYjQ5";
const URL_ = "https://moshi.example.com/api/webhooks/plivo/t0k3n";
const now = new Date("2026-12-03T10:00:00Z");
const unsigned = { credentials: null, now };
const withToken = (authToken: unknown = TOKEN) => ({ credentials: { authToken } as Record<string, unknown>, now });

function sample(id: string): Sample {
  const found = samples.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`No sample ${id}`);
  return found;
}

function vector(id: string): Vector {
  const found = vectors.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`No vector ${id}`);
  return found;
}

function post(body: string, extra: Partial<RawDelivery> = {}): RawDelivery {
  return { method: "POST", contentType: FORM, headers: {}, query: new URLSearchParams(), body, urls: [URL_], ...extra };
}

function get(query: string | URLSearchParams, extra: Partial<RawDelivery> = {}): RawDelivery {
  return { method: "GET", contentType: null, headers: {}, query: new URLSearchParams(query), body: "", urls: [URL_], ...extra };
}

function onlyPart(result: ParseResult): InboundPart {
  if (result.kind !== "parts") throw new Error(`Expected parts, got ${result.kind}: ${JSON.stringify(result)}`);
  expect(result.parts).toHaveLength(1);
  return result.parts[0]!;
}

function reasonOf(result: ParseResult | VerifyResult): string {
  if (!("reason" in result)) throw new Error(`Expected a reason, got ${JSON.stringify(result)}`);
  return result.reason;
}

/** The delivery a vector describes, as Plivo would send it to the vector's URL. */
function vectorDelivery(v: Vector, headers: Record<string, string>): RawDelivery {
  const url = new URL(v.url);
  const params = Object.entries(v.params ?? {});
  if (v.method === "GET") {
    const query = new URLSearchParams(url.search);
    for (const [key, value] of params) query.append(key, value);
    return { method: "GET", contentType: null, headers, query, body: "", urls: [v.url] };
  }
  return { method: "POST", contentType: FORM, headers, query: new URLSearchParams(url.search), body: new URLSearchParams(params).toString(), urls: [v.url] };
}

/** A simulated request as the webhook would receive it at `url` (query joined as the sender joins it). */
function received(request: SimulatedRequest, url: string): RawDelivery {
  const target = new URL(url);
  for (const [key, value] of request.query) target.searchParams.set(key, value);
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: request.method, contentType: request.contentType, headers, query: target.searchParams, body: request.body ?? "", urls: [url] };
}

function simulateOne(message: Partial<SimulatedMessage> = {}): SimulatedRequest {
  const requests = plivoAdapter.simulate({ provider: "PLIVO", from: "+14155551234", to: "+12025550143", text: "Hello from Plivo", now, ...message });
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

describe("the Plivo module", () => {
  it("describes Plivo for the app", () => {
    expect(plivoAdapter).toMatchObject({
      provider: "PLIVO",
      name: "Plivo",
      pathSegments: ["plivo"],
      methods: ["POST", "GET"],
      formats: ["form", "get"],
      keptHeaders: [
        "x-plivo-signature-v2",
        "x-plivo-signature-ma-v2",
        "x-plivo-signature-v2-nonce",
        "x-plivo-signature-v3",
        "x-plivo-signature-ma-v3",
        "x-plivo-signature-v3-nonce",
        "user-agent",
      ],
    });
    expect(plivoAdapter.colour).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(plivoAdapter.exampleNumber).toMatch(/^\+1\d{10}$/);
    expect(plivoAdapter.setup).toMatch(/Message URL/);
    expect(plivoAdapter.credentialsHelp).toMatch(/main account's Auth Token works for every number/);
    expect(plivoAdapter.acknowledge).toBeUndefined();
    for (const header of plivoAdapter.keptHeaders) expect(header).not.toMatch(/authorization|cookie/);
  });

  it("explains every verification failure it can return", () => {
    const returned = ["signature_missing", "signature_mismatch", "signature_malformed", "credentials_invalid"] as const;
    expect(Object.keys(plivoAdapter.explain.failures).sort()).toEqual([...returned].sort());
    for (const code of returned) expect(VERIFICATION_FAILURES).toContain(code);
    expect(plivoAdapter.explain.format).toMatch(/Message URL/);
  });
});

describe("Plivo signature vectors", () => {
  it("covers every vector in the reference file", () => {
    expect(vectors.map((v) => v.id)).toEqual(["PV3-01", "PV3-02", "PV3-03", "PV3-05", "PV2-01", "PV2-02", "PV1-01", "PV1-02", "PV1-03"]);
  });

  const v3 = vectors.filter((v) => v.scheme === "v3");
  const v2 = vectors.filter((v) => v.scheme === "v2");
  const v1 = vectors.filter((v) => v.scheme === "v1_legacy");

  it.each(v3.filter((v) => !v.signature.includes(",")))("$id: signs to the published V3 signature", (v) => {
    expect(signPlivoV3(v.auth_token, v.method!, v.url, Object.entries(v.params!), v.nonce!)).toBe(v.signature);
  });

  it.each(v3)("$id: the V3 header is judged as expected ($expect)", (v) => {
    expect(isValidPlivoV3Signature(v.signature, v.auth_token, v.method!, v.url, Object.entries(v.params!), v.nonce!)).toBe(v.expect);
  });

  it.each(v3)("$id: a request carrying it verifies, in the plain and the -Ma- header", (v) => {
    for (const header of ["x-plivo-signature-v3", "x-plivo-signature-ma-v3"]) {
      const delivery = vectorDelivery(v, { [header]: v.signature, "x-plivo-signature-v3-nonce": v.nonce! });
      const result = plivoAdapter.verify(delivery, withToken(v.auth_token));
      expect(result).toEqual(
        v.expect
          ? { ok: true, signed: true, signatureAgeSeconds: null, scheme: "v3", replayKey: v.nonce }
          : { ok: false, code: "signature_mismatch", reason: expect.any(String) },
      );
    }
  });

  it.each(v3)("$id: a changed parameter, query, method, nonce or token does not verify", (v) => {
    const headers = { "x-plivo-signature-v3": v.signature, "x-plivo-signature-v3-nonce": v.nonce! };
    const delivery = vectorDelivery(v, headers);
    const params = Object.entries(v.params!);
    const changed = params.map(([key, value]): [string, string] => [key, key === "CallStatus" ? "completed" : value]);
    expect(isValidPlivoV3Signature(v.signature, v.auth_token, v.method!, v.url, changed, v.nonce!)).toBe(false);
    expect(isValidPlivoV3Signature(v.signature, v.auth_token, v.method!, `${v.url.split("?")[0]}?a=b&c=e`, params, v.nonce!)).toBe(false);
    expect(isValidPlivoV3Signature(v.signature, v.auth_token, v.method === "GET" ? "POST" : "GET", v.url, params, v.nonce!)).toBe(false);
    expect(isValidPlivoV3Signature(v.signature, v.auth_token, v.method!, v.url, params, `${v.nonce!}0`)).toBe(false);
    expect(plivoAdapter.verify(delivery, withToken(OTHER_TOKEN))).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(plivoAdapter.verify({ ...delivery, urls: ["https://other.example.com/api/v1/validate_signature03.xml/"] }, withToken(v.auth_token))).toMatchObject({
      ok: false,
      code: "signature_mismatch",
    });
  });

  it("PV3-03: the signed string is the reference's, byte for byte", () => {
    const v = vector("PV3-03");
    const expected =
      "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml?ALegRequestUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36ALegUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36BillRate0.002CallStatusin-progressCallUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36DirectionoutboundEventStartAppFrom19792014278ParentAuthIDMANWVLYTK4ZWU1YTY4QARequestUUID3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36SIP-H-To<sip:PlivoSignature382029104058171078704104@52.9.11.55;transport=udp>;tag=1SessionStart2020-04-08 11:34:33.238707Tosip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com";
    expect(plivoV3SignedString("POST", plivoBaseUrl(v.url), [], Object.entries(v.params!))).toBe(expected);
  });

  it("PV3-01 and PV3-02: POST puts the query before a dot, GET sorts everything into the query (upper case before lower)", () => {
    const v = vector("PV3-02");
    const params = Object.entries(v.params!);
    const base = "https://plivobin.non-prod.plivops.com/api/v1/validate_signature03.xml/";
    const query: [string, string][] = [
      ["a", "b"],
      ["c", "d"],
    ];
    const getString = plivoV3SignedString("GET", base, query, params);
    expect(getString.startsWith(`${base}?ALegRequestUUID=3e82ae9d-2c78-4d85-b1a4-6eae7dbafb36&ALegUUID=`)).toBe(true);
    expect(getString.endsWith("&To=sip:PlivoSignature382029104058171078704104@phone-qa.voice.plivodev.com&a=b&c=d")).toBe(true);
    const postString = plivoV3SignedString("POST", base, query, params);
    expect(postString.startsWith(`${base}?a=b&c=d.ALegRequestUUID3e82`)).toBe(true);
  });

  it("builds the POST string with a query and no parameters, and with neither", () => {
    expect(plivoV3SignedString("POST", "https://h/p", [["b", ""], ["a", "1"]], [])).toBe("https://h/p?a=1&b=");
    expect(plivoV3SignedString("POST", "https://h/p", [], [])).toBe("https://h/p");
    expect(plivoV3SignedString("GET", "https://h/p", [], [])).toBe("https://h/p");
    // Empty values are kept, repeated keys sort by value, values are the decoded ones.
    expect(plivoV3SignedString("POST", "https://h/p", [], [["Text", "a b&c"], ["Empty", ""], ["K", "2"], ["K", "1"]])).toBe("https://h/p?EmptyK1K2Texta b&c");
  });

  it.each(v2)("$id: the V2 signature is judged as expected ($expect)", (v) => {
    expect(signPlivoV2(v.auth_token, v.url, v.nonce!) === v.signature).toBe(v.expect);
    expect(isValidPlivoV2Signature(v.signature, v.auth_token, v.url, v.nonce!)).toBe(v.expect);
    const delivery: RawDelivery = { ...post("From=1&To=2"), headers: { "x-plivo-signature-v2": v.signature, "x-plivo-signature-v2-nonce": v.nonce! }, urls: [v.url] };
    expect(plivoAdapter.verify(delivery, withToken(v.auth_token))).toEqual(
      v.expect ? { ok: true, signed: true, signatureAgeSeconds: null, scheme: "v2", replayKey: v.nonce } : { ok: false, code: "signature_mismatch", reason: expect.any(String) },
    );
  });

  it("PV2-01: signs the URL and nonce with nothing between them, and ignores the query", () => {
    const v = vector("PV2-01");
    expect(signPlivoV2(v.auth_token, "https://answer.url?x=1", v.nonce!)).toBe(v.signature);
    expect(signPlivoV2(v.auth_token, "https://answer.url/", v.nonce!)).not.toBe(v.signature);
    expect(createHmac("sha256", v.auth_token).update("https://answer.url12345").digest("base64")).toBe(v.signature);
  });

  // Legacy V1 (HMAC-SHA1 over the URL and the sorted parameters): Plivo's messaging does not
  // send it, so the module does not accept it. The vectors are checked against a reference
  // computation here, then shown to be refused in every header a request could carry them in.
  const legacyV1 = (v: Vector) => {
    const joined = Object.entries(v.params!)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}${value}`)
      .join("");
    return createHmac("sha1", v.auth_token).update(v.url + joined).digest("base64");
  };

  it.each(v1)("$id: is a V1 signature as its expect says ($expect), and is not accepted as V2 or V3", (v) => {
    expect(legacyV1(v) === v.signature).toBe(v.expect);
    const body = new URLSearchParams(v.params).toString();
    // The vectors' token is shaped like an Auth ID, which a number's credentials refuse; the
    // module's answer to the signature itself is checked with a token of Plivo's shape.
    expect(plivoAdapter.verify({ ...post(body), headers: { "x-plivo-signature": v.signature }, urls: [v.url] }, withToken(v.auth_token))).toMatchObject({
      ok: false,
      code: "credentials_invalid",
    });
    const legacyOnly = plivoAdapter.verify({ ...post(body), headers: { "x-plivo-signature": v.signature }, urls: [v.url] }, withToken(TOKEN));
    expect(legacyOnly).toMatchObject({ ok: false, code: "signature_missing" });
    expect(reasonOf(legacyOnly)).toMatch(/legacy X-Plivo-Signature \(V1/);
    for (const scheme of ["v2", "v3"]) {
      const headers = { [`x-plivo-signature-${scheme}`]: v.signature, [`x-plivo-signature-${scheme}-nonce`]: "12345" };
      expect(plivoAdapter.verify({ ...post(body), headers, urls: [v.url] }, withToken(TOKEN))).toMatchObject({ ok: false, code: "signature_malformed" });
    }
  });
});

describe("Plivo samples", () => {
  const s1Part: InboundPart = {
    providerMessageId: "7a242edc-2f57-11e7-98c9-06ab0bf64327",
    from: "+4795961111",
    to: "+4759440448",
    encoding: "GSM7",
    payload: { format: "text", value: "Msg" },
    udhHex: null,
    providerKeyword: null,
    providerTimestamp: null,
    price: null,
    callbackData: null,
    smsCount: 1,
    concat: null,
  };

  const s2Part: InboundPart = {
    providerMessageId: "2f8a3c62-0000-4000-8000-000000000001",
    from: "+14155551234",
    to: "+14155556789",
    encoding: "GSM7",
    payload: { format: "text", value: "This is a long message that Plivo has already concatenated from two parts" },
    udhHex: null,
    providerKeyword: null,
    providerTimestamp: null,
    price: null,
    callbackData: null,
    smsCount: 2,
    concat: null,
  };

  it("holds the two reference samples", () => {
    expect(samples.map((s) => s.id)).toEqual(["PL-S1", "PL-S2"]);
  });

  it("PL-S1 (captured request): reads the form POST into one whole SMS", () => {
    expect(plivoAdapter.parse(post(sample("PL-S1").raw_form))).toEqual({ kind: "parts", parts: [s1Part] });
  });

  it("PL-S1: reads the same fields sent as a GET query", () => {
    expect(plivoAdapter.parse(get(sample("PL-S1").raw_form))).toEqual({ kind: "parts", parts: [s1Part] });
  });

  it("PL-S1: reads a form body without a content type", () => {
    expect(plivoAdapter.parse(post(sample("PL-S1").raw_form, { contentType: null }))).toEqual({ kind: "parts", parts: [s1Part] });
  });

  it("PL-S2 (a long message Plivo joined): one part, Units as the SMS count, no concatenation, no price", () => {
    expect(plivoAdapter.parse(post(sample("PL-S2").raw_form))).toEqual({ kind: "parts", parts: [s2Part] });
  });

  it("reads Unicode text as UCS-2 and keeps an empty text", () => {
    const form = (text: string) => new URLSearchParams({ From: "447700900001", To: "12025550143", Text: text, Type: "sms", MessageUUID: "u-1", Units: "1" }).toString();
    expect(onlyPart(plivoAdapter.parse(post(form("こんにちは 👋"))))).toMatchObject({ encoding: "UCS2", payload: { format: "text", value: "こんにちは 👋" } });
    expect(onlyPart(plivoAdapter.parse(post(form(""))))).toMatchObject({ encoding: "GSM7", payload: { format: "text", value: "" } });
  });

  it("treats a missing Type as sms, as Plivo documents, and reads Units only when it is a count", () => {
    const part = onlyPart(plivoAdapter.parse(post("From=14155551234&To=12025550143&Text=Hi&MessageUUID=u-2&Units=abc")));
    expect(part).toMatchObject({ providerMessageId: "u-2", smsCount: null, payload: { format: "text", value: "Hi" } });
    expect(onlyPart(plivoAdapter.parse(post("From=14155551234&To=12025550143&Text=Hi&MessageUUID=u-2&Units=0"))).smsCount).toBeNull();
  });

  it("keeps an alphanumeric sender and a short code as they are", () => {
    const part = onlyPart(plivoAdapter.parse(post("From=ACME&To=56789&Text=Hi&Type=sms&MessageUUID=u-3")));
    expect(part).toMatchObject({ from: "ACME", to: "56789" });
  });

  it("stores the text of an MMS (Text, or Body as Plivo documents it) without an SMS count", () => {
    const withText = onlyPart(plivoAdapter.parse(post("From=14155551234&To=12025550143&Type=mms&Text=Look&MessageUUID=m-1&Units=1&MediaCount=1&Media1=https%3A%2F%2Fmedia.plivo.com%2Fa.jpg")));
    expect(withText).toMatchObject({ providerMessageId: "m-1", payload: { format: "text", value: "Look" }, smsCount: null, concat: null });
    const withBody = onlyPart(plivoAdapter.parse(post("From=14155551234&To=12025550143&Type=mms&Body=Look+again&MessageUUID=m-2&MediaCount=1")));
    expect(withBody.payload).toEqual({ format: "text", value: "Look again" });
  });
});

describe("Plivo requests that are not incoming SMS", () => {
  it.each(["delivered", "sent", "failed", "undelivered", "queued"])("ignores a status callback (%s) as a delivery receipt, saying how to stop it", (status) => {
    const body = new URLSearchParams({
      MessageUUID: "db3ce55a-7f1d-11e1-8ea7-1231380bc196",
      From: "12025550143",
      To: "14155551234",
      Type: "sms",
      Status: status,
      Units: "1",
      TotalRate: "0.0050",
      TotalAmount: "0.0050",
      MCC: "310",
      MNC: "260",
      ErrorCode: status === "failed" ? "200" : "",
      MessageTime: "2026-12-03 10:00:00.000000",
    }).toString();
    const result = plivoAdapter.parse(post(body));
    expect(result).toMatchObject({ kind: "ignored", code: "delivery_receipt" });
    expect(reasonOf(result)).toContain(`status “${status}”`);
    expect(reasonOf(result)).toMatch(/url parameter of the Send Message API/);
    expect(reasonOf(result)).toMatch(/Message URL/);
  });

  it("ignores a WhatsApp message as not inbound SMS", () => {
    const result = plivoAdapter.parse(post("From=14155551234&To=12025550143&Type=whatsapp&Body=Hi&MessageUUID=w-1&ContentType=text"));
    expect(result).toMatchObject({ kind: "ignored", code: "not_inbound" });
    expect(reasonOf(result)).toMatch(/WhatsApp/);
  });

  it("ignores an MMS with media and no text, saying so", () => {
    const result = plivoAdapter.parse(post("From=14155551234&To=12025550143&Type=mms&Body=&MessageUUID=m-3&MediaCount=2&Media1=a&Media2=b"));
    expect(result).toMatchObject({ kind: "ignored", code: "not_inbound" });
    expect(reasonOf(result)).toMatch(/MMS .* with 2 media files and no text/);
  });

  it("ignores a message of a type Plivo may add later", () => {
    expect(plivoAdapter.parse(post("From=14155551234&To=12025550143&Type=rcs&Text=Hi&MessageUUID=r-1"))).toMatchObject({ kind: "ignored", code: "not_inbound" });
  });

  it("ignores a voice callback (the vectors' parameters), saying the URL is set as a voice URL", () => {
    const result = plivoAdapter.parse(post(new URLSearchParams(vector("PV3-03").params).toString()));
    expect(result).toMatchObject({ kind: "ignored", code: "not_inbound" });
    expect(reasonOf(result)).toMatch(/voice callback \(event StartApp/);
  });
});

describe("bodies that are not Plivo's", () => {
  it.each([
    ["an empty form", post(""), /no parameters at all/],
    ["an empty body with no content type", post("", { contentType: null }), /body is empty/],
    ["an empty GET", get(""), /Missing MessageUUID, From, To: .*no parameters at all/],
    ["plain text", post("hello world", { contentType: "text/plain" }), /not form-encoded/],
    ["another provider's JSON", post(JSON.stringify({ msisdn: "1", text: "x" }), { contentType: "application/json" }), /Missing MessageUUID, From, To/],
    ["a message without From", post("To=12025550143&Text=Hi&MessageUUID=u"), /Missing From/],
    ["an SMS without Text", post("From=1&To=2&Type=sms&MessageUUID=u"), /Missing Text/],
    ["thousands of parameters", post(Array.from({ length: 5000 }, (_, i) => `k${i}=`).join("&")), /5000 parameters/],
  ])("refuses %s with a reason that says what Plivo sends", (_name, delivery, reason) => {
    const result = plivoAdapter.parse(delivery);
    expect(result).toMatchObject({ kind: "invalid" });
    expect(reasonOf(result)).toMatch(reason);
    expect(reasonOf(result)).toMatch(/Plivo/);
  });
});

describe("Plivo credentials", () => {
  it("accepts a token (trimmed), an empty value and no value", () => {
    expect(plivoCredentialsSchema.parse({ authToken: ` ${TOKEN}\n` })).toEqual({ authToken: TOKEN });
    expect(plivoCredentialsSchema.parse({})).toEqual({});
    expect(plivoCredentialsSchema.safeParse({ authToken: "" }).success).toBe(true);
  });

  it.each([
    ["an Auth ID", "MANWVLYTK4ZWU1YTY4QA", /Auth ID/],
    ["a subaccount's Auth ID", "SAODFNMZNZNTG4ZDDJYZ", /Auth ID/],
    ["a token with a space in it", "Y2Q2ZDgxZmY5YWRiOTI5 YmQ1Njg0MTAxZWIyOTc4", /only letters and digits/],
    ["a token cut short", TOKEN.slice(0, 20), /20 characters long; a Plivo Auth Token has 40/],
    ["a token pasted twice", TOKEN + TOKEN, /80 characters long/],
  ])("refuses %s, saying what is wrong", (_name, value, message) => {
    const result = plivoCredentialsSchema.safeParse({ authToken: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it("annotates the field for the number form, as a secret", () => {
    expect(plivoCredentialsSchema.shape.authToken.meta()).toMatchObject({ title: "Auth Token", secret: true, description: expect.stringMatching(/main account/) });
  });
});

describe("verifying Plivo requests", () => {
  const body = sample("PL-S1").raw_form;
  const v3Headers = (token: string, url = URL_, nonce = "31627761595286130198", formBody = body) => ({
    "x-plivo-signature-v3": signPlivoV3(token, "POST", url, [...new URLSearchParams(formBody)], nonce),
    "x-plivo-signature-v3-nonce": nonce,
  });
  const v2Headers = (token: string, url = URL_, nonce = "05429567804466091622") => ({
    "x-plivo-signature-v2": signPlivoV2(token, url, nonce),
    "x-plivo-signature-v2-nonce": nonce,
  });

  it("does not check anything when the number has no token", () => {
    const delivery = post(body, { headers: { "x-plivo-signature-v3": "garbage" } });
    expect(plivoAdapter.verify(delivery, unsigned)).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    expect(plivoAdapter.verify(delivery, { credentials: {}, now })).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
    expect(plivoAdapter.verify(delivery, withToken(""))).toEqual({ ok: true, signed: false, signatureAgeSeconds: null });
  });

  it("verifies V3 with the main account's -Ma- header when the plain one is another account's", () => {
    const headers = { "x-plivo-signature-v3": v3Headers(OTHER_TOKEN)["x-plivo-signature-v3"], "x-plivo-signature-ma-v3": v3Headers(TOKEN)["x-plivo-signature-v3"], "x-plivo-signature-v3-nonce": "31627761595286130198" };
    expect(plivoAdapter.verify(post(body, { headers }), withToken(TOKEN))).toMatchObject({ ok: true, signed: true, scheme: "v3" });
    expect(plivoAdapter.verify(post(body, { headers }), withToken(OTHER_TOKEN))).toMatchObject({ ok: true, signed: true, scheme: "v3" });
  });

  it("verifies V2 with the -Ma- header as well", () => {
    const headers = { "x-plivo-signature-ma-v2": v2Headers(TOKEN)["x-plivo-signature-v2"], "x-plivo-signature-v2-nonce": "05429567804466091622" };
    expect(plivoAdapter.verify(post(body, { headers }), withToken())).toEqual({ ok: true, signed: true, signatureAgeSeconds: null, scheme: "v2", replayKey: "05429567804466091622" });
  });

  it("refuses a request with no signature, even a status callback, since Plivo signs everything", () => {
    for (const delivery of [post(body), post("MessageUUID=x&Status=delivered&From=1&To=2")]) {
      const result = plivoAdapter.verify(delivery, withToken());
      expect(result).toMatchObject({ ok: false, code: "signature_missing" });
      expect(reasonOf(result)).toMatch(/X-Plivo-Signature-V3/);
    }
  });

  it("prefers V3: a wrong V3 signature is refused even when V2 matches, and the reason says V2 matched", () => {
    const headers = { ...v3Headers(TOKEN, URL_, "1", "From=1"), ...v2Headers(TOKEN) };
    const result = plivoAdapter.verify(post(body, { headers }), withToken());
    expect(result).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(reasonOf(result)).toMatch(/X-Plivo-Signature-V2 does match/);
    const bothRight = { ...v3Headers(TOKEN), ...v2Headers(TOKEN) };
    expect(plivoAdapter.verify(post(body, { headers: bothRight }), withToken())).toMatchObject({ ok: true, scheme: "v3" });
  });

  it("says a signed request cannot be checked when no URL is known, without leaking the URL's token", () => {
    const result = plivoAdapter.verify(post(body, { headers: v3Headers(TOKEN), urls: [] }), withToken());
    expect(result).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(reasonOf(result)).toMatch(/cannot be checked/);
    const { urls: _urls, ...noUrls } = post(body, { headers: v2Headers(TOKEN) });
    expect(plivoAdapter.verify(noUrls, withToken())).toMatchObject({ ok: false, code: "signature_mismatch" });
    const wrong = plivoAdapter.verify(post(body, { headers: v3Headers(OTHER_TOKEN) }), withToken());
    expect(reasonOf(wrong)).toMatch(/tried https:\/\/moshi\.example\.com\)/);
    expect(reasonOf(wrong)).not.toContain("t0k3n");
  });

  it("tries each candidate URL, keeping the port as written", () => {
    const proxied = "http://localhost:3000/api/webhooks/plivo/t0k3n";
    const delivery = post(body, { headers: v3Headers(TOKEN, proxied), urls: [URL_, proxied] });
    expect(plivoAdapter.verify(delivery, withToken())).toMatchObject({ ok: true, signed: true });
    const withPort = "https://moshi.example.com:443/api/webhooks/plivo/t0k3n";
    expect(plivoAdapter.verify(post(body, { headers: v2Headers(TOKEN, withPort) }), withToken())).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(plivoAdapter.verify(post(body, { headers: v2Headers(TOKEN, withPort), urls: [withPort] }), withToken())).toMatchObject({ ok: true });
  });

  it("refuses a V3 signature made for other parameters", () => {
    const headers = v3Headers(TOKEN);
    expect(plivoAdapter.verify(post(body.replace("Text=Msg", "Text=Msh"), { headers }), withToken())).toMatchObject({ ok: false, code: "signature_mismatch" });
    expect(plivoAdapter.verify(post(body, { headers, query: new URLSearchParams("x=1") }), withToken())).toMatchObject({ ok: false, code: "signature_mismatch" });
  });

  it("accepts a V2 signature whatever the body, and exposes the nonce so a reuse can be refused", () => {
    const headers = v2Headers(TOKEN);
    const first = plivoAdapter.verify(post(body, { headers }), withToken());
    const forged = plivoAdapter.verify(post(body.replace("Text=Msg", "Text=Forged"), { headers }), withToken());
    // V2 does not cover the body: both verify, and both carry the same replay key.
    expect(first).toEqual({ ok: true, signed: true, signatureAgeSeconds: null, scheme: "v2", replayKey: "05429567804466091622" });
    expect(forged).toEqual(first);
    expect(plivoReplayKey(post(body, { headers }))).toBe("05429567804466091622");
  });

  it("reports malformed signatures", () => {
    const cases: Record<string, string>[] = [
      { "x-plivo-signature-v3": v3Headers(TOKEN)["x-plivo-signature-v3"] },
      { "x-plivo-signature-v2": "not base64!", "x-plivo-signature-v2-nonce": "1" },
      { "x-plivo-signature-v3": ",,,", "x-plivo-signature-v3-nonce": "1" },
      { "x-plivo-signature-v3": v3Headers(TOKEN)["x-plivo-signature-v3"], "x-plivo-signature-v3-nonce": "9".repeat(300) },
    ];
    for (const headers of cases) expect(plivoAdapter.verify(post(body, { headers }), withToken())).toMatchObject({ ok: false, code: "signature_malformed" });
  });

  it("accepts any one of several signatures in a header, and a signature without its padding", () => {
    const good = v3Headers(TOKEN)["x-plivo-signature-v3"];
    const other = v3Headers(OTHER_TOKEN)["x-plivo-signature-v3"];
    const listed = { "x-plivo-signature-v3": `${other}, ${good}`, "x-plivo-signature-v3-nonce": "31627761595286130198" };
    expect(plivoAdapter.verify(post(body, { headers: listed }), withToken())).toMatchObject({ ok: true });
    const unpadded = { "x-plivo-signature-v3": good.replace(/=$/, ""), "x-plivo-signature-v3-nonce": "31627761595286130198" };
    expect(plivoAdapter.verify(post(body, { headers: unpadded }), withToken())).toMatchObject({ ok: true });
  });

  it("refuses credentials that cannot verify anything", () => {
    const delivery = post(body, { headers: v3Headers(TOKEN) });
    expect(plivoAdapter.verify(delivery, withToken("MANWVLYTK4ZWU1YTY4QA"))).toMatchObject({ ok: false, code: "credentials_invalid", reason: expect.stringMatching(/Auth ID/) });
    expect(plivoAdapter.verify(delivery, withToken(42))).toMatchObject({ ok: false, code: "credentials_invalid" });
  });
});

describe("plivoReplayKey", () => {
  it("answers the V2 nonce when there is a V2 signature, else the V3 nonce, else null", () => {
    const both = { "x-plivo-signature-v2": "a", "x-plivo-signature-v2-nonce": "222", "x-plivo-signature-ma-v3": "b", "x-plivo-signature-v3-nonce": "333" };
    expect(plivoReplayKey({ headers: both })).toBe("222");
    expect(plivoReplayKey({ headers: { "x-plivo-signature-ma-v3": "b", "x-plivo-signature-v3-nonce": "333" } })).toBe("333");
    expect(plivoReplayKey({ headers: { "x-plivo-signature-v2-nonce": "222" } })).toBeNull();
    expect(plivoReplayKey({ headers: {} })).toBeNull();
  });
});

describe("simulated Plivo requests", () => {
  const seededRandom = (seed: number) => () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;

  it("sends one form POST with Plivo's fields, numbers without +, and parses back", () => {
    const request = simulateOne({ random: seededRandom(3) });
    expect(request).toMatchObject({ method: "POST", contentType: FORM, signed: false });
    expect(request.headers).toBeUndefined();
    const params = new URLSearchParams(request.body!);
    expect(Object.fromEntries(params)).toEqual({
      From: "14155551234",
      To: "12025550143",
      Type: "sms",
      Text: "Hello from Plivo",
      MessageUUID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      Units: "1",
      TotalRate: "0",
      TotalAmount: "0",
      MessageIntent: "",
    });
    expect(onlyPart(plivoAdapter.parse(received(request, URL_)))).toEqual({
      providerMessageId: params.get("MessageUUID"),
      from: "+14155551234",
      to: "+12025550143",
      encoding: "GSM7",
      payload: { format: "text", value: "Hello from Plivo" },
      udhHex: null,
      providerKeyword: null,
      providerTimestamp: null,
      price: null,
      callbackData: null,
      smsCount: 1,
      concat: null,
    });
  });

  it("sends a GET with the fields in the query", () => {
    const request = simulateOne({ format: "get" });
    expect(request).toMatchObject({ method: "GET", body: null, contentType: null });
    expect(onlyPart(plivoAdapter.parse(received(request, URL_)))).toMatchObject({ from: "+14155551234", payload: { value: "Hello from Plivo" } });
  });

  it("sends a long message in one request, with its Units", () => {
    const text = "A".repeat(400);
    const request = simulateOne({ text, parts: 3 });
    expect(onlyPart(plivoAdapter.parse(received(request, URL_)))).toMatchObject({ smsCount: 3, concat: null, payload: { value: text } });
  });

  it("sets MessageIntent for Plivo's standard keywords", () => {
    expect(new URLSearchParams(simulateOne({ text: "stop" }).body!).get("MessageIntent")).toBe("optout");
    expect(new URLSearchParams(simulateOne({ text: "HELP" }).body!).get("MessageIntent")).toBe("help");
  });

  it.each(["form", "get"])("%s: signs with V3 over the URL when given a token, and verifies", (format) => {
    for (const url of [URL_, "https://moshi.example.com:8443/api/webhooks/plivo/t0k3n?team=a b"]) {
      const request = simulateOne({ format, url, credentials: { authToken: TOKEN }, random: seededRandom(11) });
      expect(request.signed).toBe(true);
      expect(request.headers?.["X-Plivo-Signature-V3-Nonce"]).toMatch(/^\d{20}$/);
      expect(request.headers?.["X-Plivo-Signature-Ma-V3"]).toBe(request.headers?.["X-Plivo-Signature-V3"]);
      const delivery = received(request, url);
      expect(plivoAdapter.verify(delivery, withToken())).toEqual({
        ok: true,
        signed: true,
        signatureAgeSeconds: null,
        scheme: "v3",
        replayKey: request.headers?.["X-Plivo-Signature-V3-Nonce"],
      });
      expect(plivoAdapter.verify(delivery, withToken(OTHER_TOKEN))).toMatchObject({ ok: false, code: "signature_mismatch" });
      expect(plivoAdapter.verify(delivery, unsigned)).toMatchObject({ ok: true, signed: false });
      expect(onlyPart(plivoAdapter.parse(delivery)).payload).toEqual({ format: "text", value: "Hello from Plivo" });
    }
  });

  it("does not sign without a URL or a token, and such a request fails a number that has a token", () => {
    for (const request of [simulateOne({ credentials: { authToken: TOKEN } }), simulateOne({ url: URL_ }), simulateOne({ url: URL_, credentials: {} })]) {
      expect(request.signed).toBe(false);
      expect(plivoAdapter.verify(received(request, URL_), withToken())).toMatchObject({ ok: false, code: "signature_missing" });
    }
  });

  it("is the same every time from the same seed, and differs with another", () => {
    const build = (seed: number) => simulateOne({ url: URL_, credentials: { authToken: TOKEN }, random: seededRandom(seed) });
    expect(build(7)).toEqual(build(7));
    expect(new URLSearchParams(build(8).body!).get("MessageUUID")).not.toBe(new URLSearchParams(build(7).body!).get("MessageUUID"));
    expect(build(8).headers?.["X-Plivo-Signature-V3-Nonce"]).not.toBe(build(7).headers?.["X-Plivo-Signature-V3-Nonce"]);
  });

  it("counts Units as SMS segmentation does", () => {
    expect(plivoUnits("")).toBe(1);
    expect(plivoUnits("a".repeat(160))).toBe(1);
    expect(plivoUnits("a".repeat(161))).toBe(2);
    expect(plivoUnits("a".repeat(306))).toBe(2);
    expect(plivoUnits("a".repeat(307))).toBe(3);
    // Extension characters take two septets.
    expect(plivoUnits("€".repeat(80))).toBe(1);
    expect(plivoUnits("€".repeat(81))).toBe(2);
    // é is in the GSM-7 default alphabet; ж is not.
    expect(plivoUnits("é".repeat(160))).toBe(1);
    expect(plivoUnits("ж".repeat(70))).toBe(1);
    expect(plivoUnits("ж".repeat(71))).toBe(2);
    expect(plivoUnits("ж".repeat(134))).toBe(2);
    expect(plivoUnits("ж".repeat(135))).toBe(3);
  });
});

describe("Plivo parse and verify never throw, whatever arrives", () => {
  const names = ["MessageUUID", "From", "To", "Text", "Body", "Type", "Units", "TotalRate", "TotalAmount", "MessageIntent", "Status", "CallUUID", "Event", "MediaCount"];
  const value = fc.oneof(fc.string(), fc.constantFrom("sms", "mms", "whatsapp", "delivered", "1", "0", "", "14155551234", "7a242edc-2f57-11e7-98c9-06ab0bf64327"));
  const plivoish = fc.record(Object.fromEntries(names.map((name) => [name, value])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
  const params = fc.oneof(plivoish, fc.dictionary(fc.string(), fc.string()));
  const body = fc.oneof(
    fc.string(),
    fc.jsonValue().map((json) => JSON.stringify(json)),
    params.map((record) => new URLSearchParams(record).toString()),
  );
  const headerNames = ["x-plivo-signature-v3", "x-plivo-signature-ma-v3", "x-plivo-signature-v3-nonce", "x-plivo-signature-v2", "x-plivo-signature-ma-v2", "x-plivo-signature-v2-nonce", "x-plivo-signature"];
  const headerValue = fc.oneof(fc.string(), fc.constantFrom("k7Pusd4OxCIjR5IfA9iedDNu/h/gbdYqdzG/MiYtd1c=", "31627761595286130198", "a,b,,", ""));
  const headers = fc.oneof(
    fc.dictionary(fc.string(), fc.string()),
    fc.record(Object.fromEntries(headerNames.map((name) => [name, headerValue])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>,
  );
  const delivery = fc.record({
    method: fc.oneof(fc.constantFrom("GET", "POST", "get", "PUT", ""), fc.string()),
    contentType: fc.option(fc.oneof(fc.constantFrom(FORM, "application/json", "text/plain"), fc.string())),
    headers,
    query: params.map((record) => new URLSearchParams(record)),
    body,
    urls: fc.option(fc.array(fc.oneof(fc.string(), fc.constant(URL_), fc.webUrl())), { nil: undefined }),
  });
  const credentials = fc.option(fc.oneof(fc.record({ authToken: fc.oneof(fc.string(), fc.constant(TOKEN)) }, { requiredKeys: [] }), fc.record({ authToken: fc.anything() })));

  it("always answers", () => {
    fc.assert(
      fc.property(delivery, credentials, (raw, creds) => {
        const parsed = plivoAdapter.parse(raw);
        expect(["parts", "ignored", "invalid"]).toContain(parsed.kind);
        if (parsed.kind === "parts") for (const part of parsed.parts) expect(part.providerMessageId).not.toBe("");
        else expect(reasonOf(parsed).length).toBeGreaterThan(10);
        const verified = plivoAdapter.verify(raw, { credentials: creds as Record<string, unknown> | null, now });
        expect(typeof verified.ok).toBe("boolean");
        if (!verified.ok) expect(VERIFICATION_FAILURES).toContain(verified.code);
        plivoReplayKey(raw);
      }),
      { numRuns: 2000 },
    );
  });
});
