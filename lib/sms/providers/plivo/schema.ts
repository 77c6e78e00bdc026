/**
 * Plivo's incoming message callback (the application's `message_url`), as flat string
 * parameters: a form body for POST, the query string for GET. Unknown parameters are kept.
 */
import { z } from "zod";

export const plivoInboundSchema = z.looseObject({
  /** Plivo's id for the message: the dedup key. */
  MessageUUID: z.string().min(1),
  /** The sender: digits without `+` for a phone number. */
  From: z.string().min(1),
  /** Our Plivo number: digits without `+`. */
  To: z.string().min(1),
  /** `sms` (the default when absent), `mms` or `whatsapp`. */
  Type: z.string().optional(),
  /** The SMS text, already joined by Plivo when it came in several parts. */
  Text: z.string().optional(),
  /** The text of an MMS or a WhatsApp message. */
  Body: z.string().optional(),
  /** How many parts the message came in (> 1 for a long SMS Plivo joined). */
  Units: z.string().optional(),
  /** Charge per unit and in total, in the account's billing currency, which the callback does not name. */
  TotalRate: z.string().optional(),
  TotalAmount: z.string().optional(),
  /** `optout`, `optin`, `help` when the text is one of Plivo's standard keywords; empty otherwise. */
  MessageIntent: z.string().optional(),
  PowerpackUUID: z.string().optional(),
  /** MMS only: how many media files, each in Media1..MediaN. */
  MediaCount: z.string().optional(),
});

export type PlivoInbound = z.infer<typeof plivoInboundSchema>;

/** Parameters of a message status callback (sent for outbound messages): with no Text or Body, not an inbound message. */
export const PLIVO_STATUS_FIELDS = ["Status", "ErrorCode", "MessageTime", "QueuedTime", "SentTime", "DeliveryReportTime"] as const;

/** A Plivo Auth ID (main account MA…, subaccount SA…), which people paste in place of the token. */
export const PLIVO_AUTH_ID = /^[MS]A[A-Z0-9]{18}$/;

// Plivo's tokens are 40 letters and digits; the bounds only catch a value cut short or pasted
// twice, so that a longer or shorter token Plivo might issue one day is still accepted.
const MIN_TOKEN_LENGTH = 32;
const MAX_TOKEN_LENGTH = 64;

const authToken = z
  .string()
  .trim()
  .superRefine((value, context) => {
    if (value === "") return;
    if (PLIVO_AUTH_ID.test(value)) {
      context.addIssue({
        code: "custom",
        message: "This is the Auth ID (MA… or SA…, 20 characters), not the Auth Token: copy the Auth Token shown next to it in the Plivo console.",
      });
    } else if (!/^[A-Za-z0-9]+$/.test(value)) {
      context.addIssue({
        code: "custom",
        message: "A Plivo Auth Token has only letters and digits; this value also has spaces, quotes or punctuation. Copy it again with the console's copy button.",
      });
    } else if (value.length < MIN_TOKEN_LENGTH || value.length > MAX_TOKEN_LENGTH) {
      context.addIssue({
        code: "custom",
        message: `This value is ${value.length} characters long; a Plivo Auth Token has 40. Copy the whole token with the console's copy button.`,
      });
    }
  });

/** A number's Plivo credentials: the Auth Token Plivo signs its requests with. */
export const plivoCredentialsSchema = z.object({
  authToken: authToken.optional().meta({
    title: "Auth Token",
    description:
      "The Auth Token on the Plivo console's overview page (next to the Auth ID). The main account's token verifies every number, subaccounts' included; a subaccount's token only that subaccount's numbers.",
    secret: true,
    placeholder: "40 letters and digits",
  }),
});

export type PlivoCredentials = z.infer<typeof plivoCredentialsSchema>;
