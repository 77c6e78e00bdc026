import type { Tone as BadgeTone } from "@/lib/tone";
import type { Delivery } from "@/lib/generated/prisma/client";
import type { DeliveryOutcome, Provider } from "@/lib/generated/prisma/enums";
import { adapters } from "@/lib/sms/registry";
import type { VerificationFailure } from "@/lib/sms/types";

export type ExplainableDelivery = Pick<Delivery, "outcome" | "status" | "reason" | "toMismatch" | "signed" | "signatureAgeSeconds" | "provider"> &
  Partial<Pick<Delivery, "reasonCode" | "acceptedUnsignedAt">>;

/** The tones of an `Alert`, so an explanation can be shown as a callout as it is. */
export type ExplanationTone = "success" | "info" | "warning" | "error";

export type DeliveryExplanation = {
  /** A few words for the list: what happened. */
  title: string;
  tone: ExplanationTone;
  /** What happened and why, in words a team member can act on. */
  explanation: string;
  /** What to change, where there is something to change. */
  fix?: string;
};

/** How each outcome is labelled and coloured wherever deliveries are listed. */
export const OUTCOME_INFO = {
  STORED: { label: "Stored", tone: "green" },
  DUPLICATE: { label: "Retry absorbed", tone: "sky" },
  IGNORED: { label: "Ignored", tone: "amber" },
  REJECTED: { label: "Rejected", tone: "red" },
} as const satisfies Record<DeliveryOutcome, { label: string; tone: BadgeTone }>;

/** A provider retries after this long without a success, so an older signature is a retry's. */
const RETRY_SIGNATURE_AGE_SECONDS = 5 * 60;

/**
 * Turns a recorded delivery into what it means for the team, with the fix where the setup is
 * wrong. The stored reason stays the source of the details; this adds the headline and the
 * plain-words context around it.
 */
export function explainDelivery(delivery: ExplainableDelivery): DeliveryExplanation {
  const provider = adapters[delivery.provider].name;
  const reason = delivery.reason?.trim() ?? "";
  switch (delivery.outcome) {
    case "STORED":
      if (delivery.toMismatch) {
        return {
          title: "Stored, but addressed to another number",
          tone: "warning",
          explanation: join(
            reason,
            "Moshi filed it under the number whose webhook URL it arrived on, so it may show up under the wrong number in the inbox.",
          ),
          fix: `In ${provider}'s portal, give each number its own webhook URL from Moshi's Numbers page, and add any missing number to Moshi first.`,
        };
      }
      if (delivery.acceptedUnsignedAt) {
        return {
          title: "Accepted without a valid signature",
          tone: "success",
          explanation: join("An owner or admin accepted this request although its signature could not be verified, and its message was stored.", reason),
        };
      }
      return {
        title: "Message stored",
        tone: "success",
        explanation: join(`${provider}'s request was verified and its message stored; Moshi answered ${delivery.status} only after that.`, reason),
      };
    case "DUPLICATE":
      return {
        title: "Retry absorbed",
        tone: "info",
        explanation:
          `${provider} sent this again, as providers do when they did not hear back in time. ` +
          "Everything in it had already been stored, so nothing new was added and no message appears twice. This is Moshi working as intended.",
      };
    case "IGNORED":
      return explainIgnored(provider, reason, delivery.reasonCode ?? null);
    case "REJECTED":
      return explainRejected(delivery.provider, delivery.status, reason, delivery.reasonCode ?? null);
  }
}

function explainIgnored(provider: string, reason: string, code: string | null): DeliveryExplanation {
  const acknowledged = `Moshi answered 200 so that ${provider} stops retrying it.`;
  switch (code) {
    case "delivery_receipt":
      return { title: "Delivery receipt sent to the inbound URL", tone: "warning", explanation: join(reason, acknowledged) };
    case "other_format":
      return { title: "A format Moshi does not read", tone: "warning", explanation: join(reason, acknowledged) };
    case "not_inbound":
      return { title: "Not an inbound SMS", tone: "warning", explanation: join(reason, acknowledged) };
  }
  // Deliveries logged before reasons had codes: the words tell.
  if (/messages api/i.test(reason)) {
    return { title: "Messages API payload", tone: "warning", explanation: join(reason, acknowledged) };
  }
  if (/receipt|delivery report/i.test(reason)) {
    return { title: "Delivery receipt sent to the inbound URL", tone: "warning", explanation: join(reason, acknowledged) };
  }
  return {
    title: "Not an inbound message",
    tone: "warning",
    explanation: join(reason || `The request was well formed, but it was not an inbound SMS, so nothing was stored.`, acknowledged),
  };
}

/** Headlines for each way a signature check fails; the provider's module says how to fix each. */
const FAILURE_TITLES: Record<VerificationFailure, string> = {
  signature_missing: "Signature missing",
  signature_mismatch: "Signature does not match",
  signature_stale: "Signature too old",
  signature_replayed: "Signature used before",
  signature_malformed: "Signature unreadable",
  credentials_invalid: "Credentials cannot verify",
};

function explainRejected(provider: Provider, status: number, reason: string, code: string | null): DeliveryExplanation {
  const adapter = adapters[provider];
  const name = adapter.name;
  const retries = `Moshi answered ${status} and stored no message; ${name} will retry for a while, and each retry is refused the same way until the setup is fixed.`;
  const retrying = `Moshi answered ${status}, so ${name} retries it for up to a day; the raw request is kept here either way.`;
  switch (code) {
    case "secret_unreadable":
      return {
        title: "Signature secret unreadable",
        tone: "error",
        explanation: join(reason, retrying),
        fix: "Enter the number's signature secret again (Numbers → Edit), or have whoever runs Moshi restore the encryption key it was saved with (MOSHI_ENCRYPTION_KEY_PREVIOUS). Then replay this delivery, or accept it without a valid signature.",
      };
    case "storage_failed":
      return { title: "Could not be stored", tone: "error", explanation: join(reason, retrying), fix: "Replay this delivery once the problem is fixed; nothing in it is lost." };
    case "too_many_messages":
      return {
        title: "Too many messages in one request",
        tone: "error",
        explanation: join(reason, "Nothing in it was stored."),
        fix: `Ask ${name} to forward smaller batches. If this was not ${name}, rotate the webhook URL on the Numbers page.`,
      };
    case "body_timeout":
    case "body_broken":
      return {
        title: code === "body_timeout" ? "Body arrived too slowly" : "Body cut short",
        tone: "error",
        explanation: join(reason, `Its body was not kept. ${name} sends small bodies at once, so a retry normally arrives whole.`),
        fix: `If this repeats, something between ${name} and Moshi (a proxy or tunnel) is holding requests back, or something other than ${name} is calling this URL.`,
      };
  }
  if (code && Object.hasOwn(FAILURE_TITLES, code)) {
    const failure = code as VerificationFailure;
    return {
      title: FAILURE_TITLES[failure],
      tone: "error",
      explanation: join(reason, status >= 500 ? retrying : retries),
      fix: adapter.explain.failures[failure] ?? `Check this number's credentials in Moshi (Numbers → Edit) against ${name}'s portal.`,
    };
  }
  switch (status) {
    case 401: {
      const missing = isSignatureMissing(reason);
      return {
        title: missing ? "Signature missing" : "Signature does not match",
        tone: "error",
        explanation: join(
          reason ||
            (missing
              ? "This number has a signature secret, so Moshi only accepts signed requests, and this one was not signed."
              : "The request was signed, but not with this number's signature secret and method."),
          retries,
        ),
        fix: (missing ? adapter.explain.failures.signature_missing : adapter.explain.failures.signature_mismatch) ?? `Check this number's credentials in Moshi (Numbers → Edit) against ${name}'s portal.`,
      };
    }
    case 405:
      return {
        title: "Wrong HTTP method",
        tone: "error",
        explanation: join(reason, retries),
        fix: `Set the webhook's HTTP method in ${name}'s portal to one the reason names. Something other than ${name} may also be calling this URL.`,
      };
    case 413:
      return {
        title: "Request too large",
        tone: "error",
        explanation: join(reason, "Its body was not kept."),
        fix: `No inbound SMS comes close to this size, so this was probably not ${name}. If the webhook URL may have leaked, rotate it on the Numbers page.`,
      };
    case 400:
      return {
        title: `Not an inbound SMS in ${name}'s format`,
        tone: "error",
        explanation: join(reason, retries),
        fix: adapter.explain.format,
      };
    default:
      return { title: `Rejected (${status})`, tone: "error", explanation: reason || retries };
  }
}

/**
 * A signature's age in words, e.g. "signed 2 days ago (a provider retry)": providers sign once
 * and resend the same request, so an old signature tells a retry from a fresh delivery. A
 * request refused for its signature (401) says which way it failed.
 */
export function describeSignature({
  signed,
  signatureAgeSeconds,
  status,
  reason,
  acceptedUnsignedAt,
  reasonCode,
}: Pick<Delivery, "signed" | "signatureAgeSeconds"> & Partial<Pick<Delivery, "status" | "reason" | "acceptedUnsignedAt" | "reasonCode">>): string {
  if (acceptedUnsignedAt) return "not checked: accepted without a valid signature";
  if (reasonCode && Object.hasOwn(REFUSED_SIGNATURES, reasonCode)) return REFUSED_SIGNATURES[reasonCode as VerificationFailure];
  if (status === 401 && !isSignatureMissing(reason ?? "")) return "signed, but not with this number's secret";
  if (!signed) return "not signed";
  if (signatureAgeSeconds === null) return "signed";
  if (signatureAgeSeconds < -60) return `signed with a timestamp ${describeDuration(-signatureAgeSeconds)} in the future (the provider's clock is ahead)`;
  if (signatureAgeSeconds < 60) return "signed just now";
  const ago = `signed ${describeDuration(signatureAgeSeconds)} ago`;
  return signatureAgeSeconds > RETRY_SIGNATURE_AGE_SECONDS ? `${ago} (a provider retry)` : ago;
}

/** What the signature of a delivery refused for it was, by the failure's code. */
const REFUSED_SIGNATURES: Record<VerificationFailure, string> = {
  signature_missing: "not signed",
  signature_mismatch: "signed, but not with this number's secret",
  signature_stale: "genuinely signed, but too long ago",
  signature_replayed: "signed, but for another request",
  signature_malformed: "carries a signature that cannot be read",
  credentials_invalid: "not checked: this number's credentials cannot verify signatures",
};

/** A duration in its largest whole unit: "45 seconds", "3 minutes", "2 days". */
export function describeDuration(seconds: number): string {
  const units = [
    ["year", 365 * 86_400],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ] as const;
  for (const [unit, size] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? "" : "s"}`;
  }
  const whole = Math.max(0, Math.floor(seconds));
  return `${whole} second${whole === 1 ? "" : "s"}`;
}

/** Whether a 401's reason says the signature was absent rather than wrong. */
function isSignatureMissing(reason: string): boolean {
  return /missing|has none|no sig/i.test(reason);
}

function join(...sentences: string[]): string {
  return sentences.filter(Boolean).join(" ");
}
