/**
 * Rakuten CPaaS "Incoming MO Messages": one JSON POST per SMS part. Unknown fields are allowed.
 */
import { z } from "zod";

// Ids and numbers are strings in Rakuten's examples; a JSON number is read the same way.
const nonEmpty = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1));

export const rakutenInboundSchema = z.looseObject({
  /** Per part (unconfirmed), so it is also the deduplication key per part. */
  message_id: nonEmpty,
  sender_address: nonEmpty,
  /** Our number. */
  destination_address: nonEmpty,
  content_type: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(["text", "unicode", "binary"], { error: (issue) => `must be text, unicode or binary, not "${String(issue.input)}"` })),
  /** Hex of the User Data Header; an empty string (or, leniently, absent or null) when there is none. */
  udh: z.string().nullish(),
  /** GSM text, UTF-16 text (as a string or as hex code units), or hex octets for binary. */
  message_body: z.string(),
});

export type RakutenInbound = z.infer<typeof rakutenInboundSchema>;
