/**
 * The Sinch SMS REST API's inbound (MO) callback: one JSON object per message, `type` saying
 * which kind. Unknown fields are allowed and ignored. The same URL may also receive the
 * service plan's delivery reports, recognised by their `type` before any of this is applied.
 */
import { z } from "zod";

/** The inbound types the callback carries. */
export const SINCH_MO_TYPES = ["mo_text", "mo_binary", "mo_media"] as const;
export type SinchMoType = (typeof SINCH_MO_TYPES)[number];

/** Delivery report types (a batch summary or one recipient's report), SMS and MMS. */
export const SINCH_REPORT_TYPE = /^(?:recipient_)?delivery_report_[a-z]+$/;

// Ids and numbers are strings in Sinch's examples; a JSON number is read the same way.
const text = z.union([z.string(), z.number()]).transform(String);
const nonEmpty = text.pipe(z.string().min(1, { error: "must not be empty" }));

const common = {
  /** The inbound message's id: the deduplication key. */
  id: nonEmpty,
  /** The sender, `+1…` or `1…` (Sinch's own examples use both). */
  from: nonEmpty,
  /** Our Sinch number or short code, in either form too. */
  to: nonEmpty,
  /** When Sinch received it, ISO 8601. Read when it is a parsable string, never a reason to refuse. */
  received_at: z.unknown().optional(),
  /** When the handset sent it, when the operator says so. */
  sent_at: z.unknown().optional(),
  /** The sender's operator as MCC/MNC, when known. Kept in the raw delivery only. */
  operator_id: z.unknown().optional(),
  /** The client_reference of the batch this message answers (an account feature). */
  client_reference: text.nullish(),
};

export const sinchMoTextSchema = z.looseObject({
  ...common,
  type: z.literal("mo_text"),
  /** The text, up to 2000 characters: Sinch delivers a long text as one callback. */
  body: z.string({ error: "must be the message text (a string)" }),
});

export const sinchMoBinarySchema = z.looseObject({
  ...common,
  type: z.literal("mo_binary"),
  /** The octets, base64; at most 140 bytes together with the UDH. */
  body: z.string({ error: "must be the message's octets in base64 (a string)" }),
  /** The User Data Header as hex, length byte first; empty or absent when there is none. */
  udh: z.string({ error: "must be the User Data Header in hex (a string)" }).nullish(),
});

export const sinchMmsBodySchema = z.looseObject({
  subject: z.string().nullish(),
  message: z.string().nullish(),
  /** Links to the attachments Sinch uploaded; counted, never fetched. */
  media: z.array(z.unknown()).nullish(),
});

export const sinchMoMediaSchema = z.looseObject({
  ...common,
  type: z.literal("mo_media"),
  /** An MMS: its subject, text and media links. A plain string is read as its text. */
  body: z.union([z.string(), sinchMmsBodySchema], { error: "must be an object with subject, message and media" }),
});

export const SINCH_MO_SCHEMAS = {
  mo_text: sinchMoTextSchema,
  mo_binary: sinchMoBinarySchema,
  mo_media: sinchMoMediaSchema,
} as const satisfies Record<SinchMoType, z.ZodType>;

export type SinchMoText = z.infer<typeof sinchMoTextSchema>;
export type SinchMoBinary = z.infer<typeof sinchMoBinarySchema>;
export type SinchMoMedia = z.infer<typeof sinchMoMediaSchema>;
export type SinchMo = SinchMoText | SinchMoBinary | SinchMoMedia;

/**
 * A number's Sinch credentials. Sinch does not sign SMS callbacks unless signing is set up for
 * the account, so the secret is optional: without it the URL's token is the credential.
 */
export const sinchCredentialsSchema = z.object({
  signingSecret: z
    .string({ error: "The signing secret must be text." })
    .max(1024, { error: (issue) => `The signing secret is ${String((issue.input as string).length)} characters long; a webhook secret is far shorter, so this is probably not it.` })
    .refine((value) => value === value.trim(), {
      error: "The signing secret begins or ends with a space or line break, which would change every signature: paste it exactly as agreed with Sinch.",
    })
    .optional()
    .meta({
      title: "Webhook signing secret",
      description:
        "The secret Sinch signs this service plan's callbacks with (HMAC-SHA256 in the x-sinch-webhook-signature header). Leave it empty if Sinch does not sign your callbacks, which is Sinch's default.",
      secret: true,
      placeholder: "The secret agreed with Sinch",
    }),
});

export type SinchCredentials = z.infer<typeof sinchCredentialsSchema>;
