/**
 * Telnyx Messaging (API v2) webhooks: an event envelope `{data: {record_type, id, event_type,
 * occurred_at, payload}, meta: {attempt, delivered_to}}` whose payload, for `message.received`,
 * is the message record. Only the fields Moshi reads are declared; the rest (carrier, line type,
 * media, tags, campaign fields, …) are allowed and stay in the stored raw delivery.
 */
import { z } from "zod";
import type { CredentialFieldMeta } from "../../types";
import { decodePublicKey } from "./signature";

const nullableText = z.string().nullish();

/** The event around every Telnyx webhook; `payload` is read according to `event_type`. */
export const telnyxEventSchema = z.looseObject({
  record_type: nullableText,
  /** The event's id: one per notification, not per message. */
  id: nullableText,
  event_type: z.string().min(1, "must not be empty"),
  occurred_at: nullableText,
  payload: z.unknown().optional(),
});

const address = z.looseObject({
  phone_number: z.string().min(1, "must not be empty"),
  carrier: nullableText,
  line_type: nullableText,
  status: nullableText,
});

/** The message record of a `message.received` event. */
export const telnyxMessageSchema = z.looseObject({
  /** The message's id (a UUID): the same whichever event or attempt carries it. */
  id: z.string().min(1, "must not be empty"),
  record_type: nullableText,
  /** `inbound` for a received message; older examples may leave it out. */
  direction: nullableText,
  /** `SMS` or `MMS`. */
  type: nullableText,
  from: address,
  /** The recipients: our number, usually alone (a group MMS lists the others in `cc`). */
  to: z.array(z.unknown()).min(1, "must list the recipient"),
  /** The whole message: Telnyx delivers a long SMS once, already joined. */
  text: nullableText,
  /** `GSM-7`, `UCS-2`, … */
  encoding: z.unknown().optional(),
  // Informative fields are read leniently by the module (a count or a price of an odd type is
  // dropped, never a reason to refuse the message), so they are not typed here.
  /** How many SMS segments the text took. */
  parts: z.unknown().optional(),
  received_at: z.unknown().optional(),
  /** `{amount, currency}`; the amount is a string in one rendering of Telnyx's example and a number in another. */
  cost: z.unknown().optional(),
  /** MMS attachments `{url, content_type, hash_sha256, size}`: left in the raw delivery. */
  media: z.unknown().optional(),
});

export type TelnyxEvent = z.infer<typeof telnyxEventSchema>;
export type TelnyxMessage = z.infer<typeof telnyxMessageSchema>;

/** A recipient entry of `to`, when it names a number. */
export const telnyxRecipientSchema = address;

/** Event types about a message this number sent: its status updates. */
export const TELNYX_STATUS_EVENTS = ["message.sent", "message.finalized"] as const;

const publicKeyMeta = {
  title: "Public key",
  description:
    "Your Telnyx account's public key, from the Telnyx portal → Keys & Credentials → Public Key: 44 characters of base64 ending in “=”. " +
    "It only checks signatures, so it is not a secret.",
  secret: false,
  placeholder: "44 characters of base64, ending in “=”",
} satisfies CredentialFieldMeta;

/**
 * A number's Telnyx credentials. Without a public key, requests are accepted unsigned (the URL's
 * token authenticates them); with one, every request must carry a valid signature.
 */
export const telnyxCredentialsSchema = z.object({
  publicKey: z
    .string()
    .superRefine((value, context) => {
      // An empty field is the same as no key: the form sends what was left blank.
      if (value.trim() === "") return;
      const decoded = decodePublicKey(value);
      if (!decoded.ok) context.addIssue({ code: "custom", message: decoded.reason });
    })
    .optional()
    .meta(publicKeyMeta),
});

export type TelnyxCredentials = z.infer<typeof telnyxCredentialsSchema>;
