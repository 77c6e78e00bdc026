/**
 * Twilio Programmable Messaging's incoming message webhook, as flat string parameters (a form
 * body, or a GET's query string), and the credentials a number may have. Twilio adds parameters
 * without notice, so unknown ones are kept (and signed).
 */
import { z } from "zod";
import type { CredentialFieldMeta } from "../../types";

/** Longest Auth Token (or shared key secret) accepted; Twilio's Auth Tokens are 32 hex characters. */
export const MAX_AUTH_TOKEN_LENGTH = 256;

const authTokenMeta = {
  title: "Auth Token",
  description:
    "The Auth Token Twilio signs this number's webhooks with: Twilio Console → Account Info → Auth Token (32 hex characters). " +
    "A number in a subaccount is signed with that subaccount's Auth Token, not the main account's. " +
    "If a Webhooks Rule signs this URL with a shared key instead, paste that key's secret.",
  secret: true,
  placeholder: "32 hex characters",
} satisfies CredentialFieldMeta;

export const twilioCredentialsSchema = z.object({
  authToken: z
    .string({ error: "The Auth Token must be text." })
    .trim()
    .min(1, { error: "The Auth Token is empty: copy it from Twilio Console → Account Info → Auth Token." })
    .max(MAX_AUTH_TOKEN_LENGTH, {
      error: (issue) =>
        `The Auth Token is ${typeof issue.input === "string" ? issue.input.length : "too many"} characters long, more than ${MAX_AUTH_TOKEN_LENGTH}; a Twilio Auth Token is 32 hex characters (Console → Account Info → Auth Token).`,
    })
    .refine((value) => !/^AC[0-9a-f]{32}$/i.test(value), {
      error: "This is an Account SID (AC followed by 32 hex characters), not the Auth Token: reveal the Auth Token under Console → Account Info and paste that.",
    })
    .refine((value) => !/^SK[0-9a-f]{32}$/i.test(value), {
      error: "This is an API key SID (SK…), which Twilio does not sign webhooks with: paste the Auth Token from Console → Account Info.",
    })
    .optional()
    .meta(authTokenMeta),
});

export type TwilioCredentials = z.infer<typeof twilioCredentialsSchema>;

export const twilioInboundSchema = z.looseObject({
  /** `SM…` for an SMS, `MM…` for an MMS; 34 characters. The deduplication key. */
  MessageSid: z.string().min(1),
  /** The sender: `+E.164`, or `whatsapp:+…` and the like on other channels. */
  From: z.string().min(1),
  /** Our number. */
  To: z.string().min(1),
  /** The whole message, already joined by Twilio; empty for a media-only MMS. */
  Body: z.string().optional(),
  /** How many SMS segments the message took. */
  NumSegments: z.string().optional(),
  /** How many media items an MMS carries (`MediaUrl0`, `MediaContentType0`, …). */
  NumMedia: z.string().optional(),
  AccountSid: z.string().optional(),
  MessagingServiceSid: z.string().optional(),
  /** `received` on an incoming message. */
  SmsStatus: z.string().optional(),
  ApiVersion: z.string().optional(),
});

export type TwilioInbound = z.infer<typeof twilioInboundSchema>;

/** Older names for MessageSid, still sent beside it; used only when MessageSid is missing. */
export const LEGACY_SID_FIELDS = ["SmsMessageSid", "SmsSid"] as const;
