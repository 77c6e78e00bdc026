/**
 * The provider boundary. Each provider module turns a raw HTTP delivery into this shape;
 * nothing downstream of `lib/sms/providers/` knows a provider's field names.
 */
import type { Provider, SignatureMethod } from "@/lib/generated/prisma/enums";

export type { Provider, SignatureMethod };

/** How a part's text travels: GSM-7 text, UCS-2/UTF-16 text, or 8-bit binary data. */
export type Encoding = "GSM7" | "UCS2" | "BINARY";

/**
 * A part's payload as delivered, before joining. Parts of one message are joined in index
 * order *before* decoding, so a UTF-16 surrogate pair or a multi-byte sequence split across
 * two parts comes out whole.
 * - `text`: already a string (UTF-16 code units; a lone surrogate may end one part).
 * - `utf16-hex`: hex of UTF-16BE code units.
 * - `binary-hex`: hex of octets.
 * - `text-hex`: a `text` payload as stored when PostgreSQL could not store it as it is (it held
 *   U+0000 or a lone surrogate): the hex of its UTF-16 code units, joined like `text`.
 */
export type Payload =
  | { format: "text"; value: string }
  | { format: "utf16-hex"; value: string }
  | { format: "binary-hex"; value: string }
  | { format: "text-hex"; value: string };

/** Where a part sits in a concatenated message. `index` is 1-based. */
export type ConcatInfo = { reference: number; referenceBits: 8 | 16; total: number; index: number };

/** One inbound SMS (or one part of a long one), provider-neutral. */
export type InboundPart = {
  providerMessageId: string;
  /** The sender: E.164 when it is a phone number, otherwise as sent (alphanumeric sender IDs). */
  from: string;
  /** Our number, E.164 when it parses. */
  to: string;
  encoding: Encoding;
  payload: Payload;
  /** The User Data Header as hex, when the provider passed one on. */
  udhHex: string | null;
  /** The keyword the provider computed, if any (Vonage per part, Infobip per configured keyword). */
  providerKeyword: string | null;
  /** When the provider says it received the message. */
  providerTimestamp: Date | null;
  price: { amount: string; currency: string } | null;
  callbackData: string | null;
  /** How many SMS the provider says the message used (Infobip sends it already joined). */
  smsCount: number | null;
  concat: ConcatInfo | null;
};

/** The parts of an HTTP request a provider module may read. The body is the raw bytes' text. */
export type RawDelivery = {
  method: string;
  contentType: string | null;
  headers: Record<string, string>;
  query: URLSearchParams;
  body: string;
};

/**
 * What a provider module makes of one delivery:
 * - `parts`: inbound SMS to store (Infobip batches carry several);
 * - `ignored`: a well-formed request that is not an inbound SMS (a delivery receipt, a Vonage
 *   Messages API payload): acknowledged so the provider stops retrying, with an explanation
 *   for the team;
 * - `invalid`: not the provider's inbound format; `reason` is shown to the team and answered
 *   to the caller.
 */
export type ParseResult =
  | { kind: "parts"; parts: InboundPart[] }
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string }
  /** More messages in one request than {@link MAX_MESSAGES_PER_DELIVERY}: answered 413. */
  | { kind: "too-many"; count: number };

/**
 * The most messages one request may carry (Infobip batches). Storing is set-based, so this is
 * not about speed: a larger batch is no provider's and is refused with 413 and a reason.
 */
export const MAX_MESSAGES_PER_DELIVERY = 1000;

/** Why a signature check failed, for filters and bulk actions; the reason says it in words. */
export type VerificationFailure = "signature_missing" | "signature_mismatch";

export type VerifyResult =
  | { ok: true; signed: boolean; signatureAgeSeconds: number | null }
  | { ok: false; code: VerificationFailure; reason: string };

export type VerifyOptions = { secret: string | null; method: SignatureMethod | null; now: Date };

/** The contract each provider module fulfils; `registry.ts` holds one per provider. */
export type InboundAdapter = {
  provider: Provider;
  /** HTTP methods the provider uses for inbound SMS. */
  methods: readonly ("GET" | "POST")[];
  /** Reads the delivery's parameters (query, form or JSON) without throwing. */
  parse(delivery: RawDelivery): ParseResult;
  /** Checks the delivery's signature where the provider signs; never throws. */
  verify(delivery: RawDelivery, options: VerifyOptions): VerifyResult;
};
