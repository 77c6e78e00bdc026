/**
 * The provider boundary. Each provider module turns a raw HTTP delivery into this shape;
 * nothing downstream of `lib/sms/providers/` knows a provider's field names.
 */
import type { z } from "zod";
import type { ProviderDemo } from "@/lib/demo-traffic";
import type { Provider } from "@/lib/generated/prisma/enums";
import type { Tone } from "@/lib/tone";

export type { Provider };

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
  /** The keyword the provider computed, if any (some do per part, some per keyword set up with them). */
  providerKeyword: string | null;
  /** When the provider says it received the message. */
  providerTimestamp: Date | null;
  price: { amount: string; currency: string } | null;
  callbackData: string | null;
  /** How many SMS the provider says the message used (for a long message it sends already joined). */
  smsCount: number | null;
  concat: ConcatInfo | null;
};

/**
 * The parts of an HTTP request a provider module may read. The body is the raw bytes' text.
 * `headers` holds every header as received (lower-case names); a replayed delivery has only the
 * headers that were kept with it (see {@link InboundAdapter.keptHeaders}).
 */
export type RawDelivery = {
  method: string;
  contentType: string | null;
  headers: Record<string, string>;
  query: URLSearchParams;
  body: string;
  /**
   * The public URLs the provider may have called, most likely first: the one built from
   * MOSHI_PUBLIC_URL, then the request's own. Empty when unknown: a replay (the URL holds the
   * number's secret token, which is never stored).
   */
  urls?: readonly string[];
};

/**
 * What a provider module makes of one delivery:
 * - `parts`: inbound SMS to store (a batch carries several);
 * - `ignored`: a well-formed request that is not an inbound SMS (a delivery receipt, a status
 *   callback): acknowledged so the provider stops retrying, with an explanation for the team;
 * - `invalid`: not the provider's inbound format; `reason` is shown to the team and answered
 *   to the caller.
 */
export type ParseResult =
  | { kind: "parts"; parts: InboundPart[] }
  | { kind: "ignored"; reason: string; code?: IgnoredCode }
  | { kind: "invalid"; reason: string }
  /** More messages in one request than {@link MAX_MESSAGES_PER_DELIVERY}: answered 413. */
  | { kind: "too-many"; count: number };

/** Why a well-formed request was acknowledged without storing anything. */
export type IgnoredCode = "delivery_receipt" | "other_format" | "not_inbound";

/**
 * The most messages one request may carry (a batch). Storing is set-based, so this is
 * not about speed: a larger batch is no provider's and is refused with 413 and a reason.
 */
export const MAX_MESSAGES_PER_DELIVERY = 1000;

/**
 * Why a signature check failed: stored with the delivery, for filters and bulk acceptance; the
 * module's `explain.failures` says what to fix for each, in its own words.
 */
export const VERIFICATION_FAILURES = [
  /** The number has credentials, and the request carries no signature. */
  "signature_missing",
  /** A signature that does not match the number's credentials. */
  "signature_mismatch",
  /** A signature whose timestamp is outside the provider's freshness window. */
  "signature_stale",
  /** A signature seen before with a different request: a replay. */
  "signature_replayed",
  /** A signature that cannot be read at all (a token that is not a JWT, a wrong algorithm, …). */
  "signature_malformed",
  /** The number's credentials cannot verify anything (a public key of the wrong length, …). */
  "credentials_invalid",
] as const;

export type VerificationFailure = (typeof VERIFICATION_FAILURES)[number];

export type VerifyResult =
  | {
      ok: true;
      signed: boolean;
      signatureAgeSeconds: number | null;
      /**
       * For schemes whose signature does not cover the whole request (a nonce signed with the
       * URL only): the nonce. Moshi remembers it with the request it came with and refuses it
       * with any other request (`signature_replayed`); the same request again is a retry.
       */
      replayKey?: string;
    }
  /** `retry`: answered 503 instead of 401, for providers that may send an unsigned request by mistake and retry a 5xx. */
  | { ok: false; code: VerificationFailure; reason: string; retry?: boolean };

export type VerifyContext<Credentials> = {
  /** The number's credentials, already validated by the module's schema; null when none are set. */
  credentials: Credentials | null;
  now: Date;
};

/** The colour family a provider's badges use (the dashboard's badge tones). */
export type ProviderTone = Tone;

/**
 * What a credential field shows on the number form, set with zod's `.meta()` on each field of a
 * module's `credentials` schema: the form is generated from the schema.
 */
export type CredentialFieldMeta = {
  title: string;
  description: string;
  /** Stored encrypted and never shown again; left empty on an edit, the stored value stays. */
  secret?: boolean;
  placeholder?: string;
  /** For an enum: each value's label. */
  options?: Record<string, string>;
};

/** A message to build provider requests for: `npm run sms:send`, the test message, the demo. */
export type SimulatedMessage = {
  provider: Provider;
  from: string;
  to: string;
  text: string;
  /** Split into this many parts (1 = a single SMS); providers that join long messages send one request. */
  parts?: number;
  /** One of the module's `formats` (how the request is sent); its first by default. */
  format?: string;
  /** The number's credentials, to sign with where the provider signs with something the team has. */
  credentials?: Record<string, unknown> | null;
  /** The URL the request is sent to, for providers that sign it. */
  url?: string;
  now?: Date;
  /**
   * Where message ids, nonces and concat references come from: a seeded generator (values in
   * [0, 1), like Math.random) makes the output repeatable. Defaults to node:crypto.
   */
  random?: () => number;
};

export type SimulatedRequest = {
  method: "GET" | "POST";
  query: URLSearchParams;
  body: string | null;
  contentType: string | null;
  /** Headers besides the content type (signatures). */
  headers?: Record<string, string>;
  /** Whether the request carries a signature the number's credentials verify. */
  signed?: boolean;
};

/**
 * Everything Moshi knows about one provider, in its folder: how it is shown and set up, what
 * credentials a number needs, how its requests are verified, read and answered, and how to
 * imitate it. `registry.ts` holds one per provider; nothing else in the app names a provider.
 */
export type InboundAdapter<Credentials extends Record<string, unknown> = Record<string, unknown>> = {
  provider: Provider;
  /** How people know it, as its own portal writes it. */
  name: string;
  tone: ProviderTone;
  /** The provider's colour in charts (hex). */
  colour: string;
  /** URL path segments that reach it (lower case), the first being the one Moshi hands out. */
  pathSegments: readonly string[];
  /** HTTP methods the provider uses for inbound SMS. */
  methods: readonly ("GET" | "POST")[];
  /** Where the webhook URL goes in the provider's portal. */
  setup: string;
  /** A typical number of the provider's, for the demo and `sms:send`'s default recipient (E.164). */
  exampleNumber: string;
  /**
   * The credentials a number may have, each field annotated with {@link CredentialFieldMeta}.
   * An empty object schema: the provider does not sign, and the URL's token is the credential.
   */
  credentials: z.ZodType<Credentials>;
  /** The credential form's introduction: what signing gives, and where the values are. */
  credentialsHelp: string;
  /** Header names (lower case) kept with a delivery besides the common ones; an entry ending in `-` is a prefix. */
  keptHeaders: readonly string[];
  /** How a request is sent, for the simulator (e.g. "form", "get", "json"); the first is the default. */
  formats: readonly string[];
  /** The answer to a request that was stored, absorbed or ignored; JSON `{ok: true, …}` when absent. */
  acknowledge?: { contentType: string; body: string };
  /** The fixes the delivery log shows, in the provider's own words. */
  explain: {
    /** For a request that is not the provider's inbound format (400). */
    format: string;
    /** For each way verification can fail. */
    failures: Partial<Record<VerificationFailure, string>>;
  };
  /** Reads the delivery's parameters (query, form or JSON) without throwing. */
  parse(delivery: RawDelivery): ParseResult;
  /** Checks the delivery's signature against the number's credentials; never throws. */
  verify(delivery: RawDelivery, context: VerifyContext<Credentials>): VerifyResult;
  /** Builds the requests the provider would send for a message (unsigned without credentials). */
  simulate(message: SimulatedMessage): SimulatedRequest[];
  /** The demo team's number with this provider and the story of its month (lib/demo-traffic.ts); none: no demo number. */
  demo?: ProviderDemo;
};

/**
 * Declares a provider's module with its credentials typed from its schema, and answers it as the
 * registry holds it: credentials are typed only inside the module.
 */
export function defineProvider<Credentials extends Record<string, unknown>>(module: InboundAdapter<Credentials>): InboundAdapter {
  return module as unknown as InboundAdapter;
}
