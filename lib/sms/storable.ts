/**
 * Text PostgreSQL can store. Its `text` and `jsonb` types refuse U+0000 and any string that is
 * not valid UTF-8, which a lone UTF-16 surrogate (half of an emoji) cannot be encoded as. A
 * provider may send either in any field (`"message_id":"\ud800"`, `text=%00`, a unicode part
 * that ends half-way through an emoji), and a failed INSERT would lose the whole delivery, so
 * every string is made storable before it reaches the database. Pure; never throws.
 */
import type { InboundPart, Payload } from "./types";

const REPLACEMENT = "\uFFFD";

// U+0000, or a surrogate that is not half of a pair.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

/** Whether PostgreSQL can store `value` as text. */
export function isStorable(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** `value` with every NUL and lone surrogate replaced by U+FFFD, and how many were replaced. */
export function replaceUnstorable(value: string): { text: string; replaced: number } {
  if (isStorable(value)) return { text: value, replaced: 0 };
  let replaced = 0;
  const text = value.replace(UNSTORABLE_ALL, () => {
    replaced++;
    return REPLACEMENT;
  });
  return { text, replaced };
}

/** `value` made storable, for text that is only ever read (reasons, notes, labels). */
export function storableText(value: string): string {
  return replaceUnstorable(value).text;
}

/** Like {@link storableText}, for optional values. */
export function storableOrNull(value: string | null): string | null {
  return value === null ? null : storableText(value);
}

/**
 * An identifier made storable without merging two different ones: a provider message id is the
 * deduplication key, so "\ud800" and "\ud801" must stay apart. A storable id is kept as it is;
 * any other is stored as its JSON string literal ("\"\\ud800\""), which is storable, readable
 * and distinct for distinct ids.
 */
export function storableId(value: string): string {
  return isStorable(value) ? value : JSON.stringify(value);
}

/**
 * A part's payload in a form that can be stored and joined later without losing a code unit:
 * a text payload that PostgreSQL cannot store travels on as `text-hex`, the hex of its UTF-16
 * code units. Joining a unicode message whose emoji is split between two parts ("こ\uD83D" +
 * "\uDE00!") then still gives the whole emoji.
 */
export function storablePayload(payload: Payload): Payload {
  if (payload.format === "text" && !isStorable(payload.value)) return { format: "text-hex", value: textToHex(payload.value) };
  // Hex payloads are provider input too: hex digits are storable, anything else is made so
  // (decoding reports what is not hex).
  return isStorable(payload.value) ? payload : { format: payload.format, value: storableText(payload.value) } as Payload;
}

/**
 * The part with every string storable: ids escaped (see {@link storableId}), the payload kept
 * losslessly (see {@link storablePayload}), everything else with U+FFFD where needed. The
 * warnings say which fields held characters that had to be replaced.
 */
export function storablePart(part: InboundPart): { part: InboundPart; warnings: string[] } {
  const warnings: string[] = [];
  const field = (name: string, value: string) => {
    const { text, replaced } = replaceUnstorable(value);
    if (replaced) warnings.push(`The ${name} held ${replaced === 1 ? "a character" : `${replaced} characters`} that ${STORAGE_WARNING_MARK} (NUL or half of a UTF-16 pair), shown as ${REPLACEMENT}.`);
    return text;
  };
  const optional = (name: string, value: string | null) => (value === null ? null : field(name, value));
  if (!isStorable(part.providerMessageId)) warnings.push(`The provider's message id held characters that ${STORAGE_WARNING_MARK}; it is kept in escaped form.`);
  return {
    part: {
      ...part,
      providerMessageId: storableId(part.providerMessageId),
      from: field("sender", part.from),
      to: field("recipient", part.to),
      payload: storablePayload(part.payload),
      udhHex: optional("UDH", part.udhHex),
      providerKeyword: optional("provider's keyword", part.providerKeyword),
      callbackData: optional("callback data", part.callbackData),
      price: part.price ? { amount: field("price", part.price.amount), currency: field("currency", part.price.currency) } : null,
    },
    warnings,
  };
}

/** Whether a message warning came from {@link storablePart} (kept when a long message is rebuilt). */
export function isStorageWarning(warning: string): boolean {
  return warning.includes(STORAGE_WARNING_MARK);
}

export const STORAGE_WARNING_MARK = "cannot be stored";

/** UTF-16BE code units as uppercase hex, lone surrogates included. */
export function textToHex(text: string): string {
  let hex = "";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0");
  return hex.toUpperCase();
}

/** The inverse of {@link textToHex}: code units, unpaired or not; a trailing partial unit is dropped. */
export function hexToText(hex: string): string {
  let text = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) {
    const unit = Number.parseInt(hex.slice(i, i + 4), 16);
    text += Number.isNaN(unit) ? REPLACEMENT : String.fromCharCode(unit);
  }
  return text;
}
