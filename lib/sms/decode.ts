/**
 * Turns joined payloads into text (or bytes) for people to read. Everything here is lenient:
 * a provider's odd payload becomes replacement characters and a warning stored with the
 * message, never an exception that would lose the delivery.
 */
import { hexToText } from "./storable";
import type { Encoding, Payload } from "./types";

export type DecodedPayload = { text: string | null; binaryHex: string | null; warnings: string[] };

export type Gsm7PackedOptions = {
  /** Fill bits before the first septet, so that it starts on a septet boundary after a UDH. */
  paddingBits?: number;
  /**
   * How many septets the data holds (TP-UDL minus the header's septets), when known. Without
   * it a final septet made only of trailing spare bits cannot be told from a real character.
   */
  septetCount?: number;
};

const REPLACEMENT = "\uFFFD";

/**
 * Joins the payloads of consecutive parts, already in index order, into one payload, so that a
 * character split across two parts (a surrogate pair, a GSM-7 escape) decodes whole. Text
 * payloads join as UTF-16 code units whether they were stored as text or as `text-hex`. Throws
 * if the parts do not share one format, or if there are none: callers only join parts that do.
 */
export function joinPayloads(payloads: Payload[]): Payload {
  const first = payloads[0];
  if (!first) throw new Error("joinPayloads needs at least one payload.");
  if (payloads.some((payload) => payload.format === "text-hex") && payloads.every((payload) => payload.format === "text" || payload.format === "text-hex")) {
    return { format: "text", value: payloads.map((payload) => (payload.format === "text-hex" ? hexToText(payload.value) : payload.value)).join("") };
  }
  const mismatch = payloads.find((payload) => payload.format !== first.format);
  if (mismatch) {
    throw new Error(`Cannot join payloads of different formats ("${first.format}" and "${mismatch.format}"); decode them separately.`);
  }
  return { format: first.format, value: payloads.map((payload) => payload.value).join("") };
}

/**
 * Decodes a (joined) payload. `text` payloads are kept as they are; `utf16-hex` is read as
 * UTF-16BE; `binary-hex` stays bytes (as lowercase hex) unless the encoding says the octets
 * are text: UCS-2 as UTF-16BE, GSM-7 as unpacked septets, one per octet. Whatever cannot be
 * read becomes U+FFFD with a warning. Never throws.
 */
export function decodePayload(payload: Payload, encoding: Encoding): DecodedPayload {
  switch (payload.format) {
    case "text":
      return { ...toWellFormed(payload.value), binaryHex: null };
    case "text-hex":
      return { ...toWellFormed(hexToText(payload.value)), binaryHex: null };
    case "utf16-hex":
      return { ...decodeUtf16BeHex(payload.value), binaryHex: null };
    case "binary-hex": {
      if (encoding === "UCS2") return { ...decodeUtf16BeHex(payload.value), binaryHex: null };
      const { octets, leftoverNibble, warnings } = readOctets(payload.value);
      if (encoding === "GSM7") {
        const outOfRange = octets.filter((octet) => octet !== null && octet > 0x7f).length;
        if (outOfRange) warnings.push(`${plural(outOfRange, "octet")} above 0x7F cannot be GSM-7 and ${outOfRange === 1 ? "is" : "are"} shown as ${REPLACEMENT}.`);
        const decoded = decodeSeptets(octets);
        const text = decoded.text + (leftoverNibble ? REPLACEMENT : "");
        if (leftoverNibble) warnings.push(`The payload has an odd number of hex digits; the incomplete last character is shown as ${REPLACEMENT}.`);
        return { text, binaryHex: null, warnings: [...warnings, ...decoded.warnings] };
      }
      if (leftoverNibble) warnings.push("The payload has an odd number of hex digits; the last digit was left out.");
      const valid = octets.filter((octet) => octet !== null);
      return { text: null, binaryHex: valid.map(hexByte).join(""), warnings };
    }
    default:
      return unknownFormat(payload);
  }
}

/**
 * Unpacks GSM-7 septets packed into octets as in SMS TP-UD (least significant bit first) and
 * maps them through the default alphabet and its extension table. `paddingBits` skips the fill
 * bits that follow a UDH. Without `septetCount`, a final septet that could be padding is
 * dropped when it is `@` (zero fill bits) or CR (the padding 3GPP TS 23.038 §6.1.2.3.1
 * prescribes), so a message whose real last character is a lone `@` in that position loses it.
 * Non-hex pairs are skipped. Never throws: a negative or fractional `paddingBits` is read as 0.
 */
export function decodeGsm7Packed(hex: string, options: Gsm7PackedOptions = {}): string {
  const octets = readOctets(hex).octets.filter((octet) => octet !== null);
  const padding = isCount(options.paddingBits) ? options.paddingBits : 0;
  const available = Math.max(0, Math.floor((octets.length * 8 - padding) / 7));

  const septets: number[] = [];
  for (let i = 0; i < available; i++) {
    const bit = padding + i * 7;
    const low = octets[bit >> 3] ?? 0;
    const high = octets[(bit >> 3) + 1] ?? 0;
    septets.push((((high << 8) | low) >> (bit & 7)) & 0x7f);
  }

  if (isCount(options.septetCount)) {
    septets.length = Math.min(septets.length, options.septetCount);
  } else if (septets.length > 0) {
    const octetsWithoutLast = Math.ceil((padding + (septets.length - 1) * 7) / 8);
    const last = septets.at(-1);
    if (octetsWithoutLast === octets.length && (last === 0x00 || last === 0x0d)) septets.pop();
  }
  return decodeSeptets(septets).text;
}

/**
 * The GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1), indexed by septet. 0x1B is the
 * escape to the extension table and is handled before this table is read.
 */
const GSM7_DEFAULT: readonly string[] = Array.from(
  "@£$¥èéùìòÇ\nØø\rÅå" +
    "Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ" +
    " !\"#¤%&'()*+,-./" +
    "0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNO" +
    "PQRSTUVWXYZÄÖÑÜ§" +
    "¿abcdefghijklmno" +
    "pqrstuvwxyzäöñüà",
);

/** The basic extension table (3GPP TS 23.038 §6.2.1.1), reached through ESC (0x1B). */
const GSM7_EXTENSION: ReadonlyMap<number, string> = new Map([
  [0x0a, "\f"],
  [0x14, "^"],
  [0x28, "{"],
  [0x29, "}"],
  [0x2f, "\\"],
  [0x3c, "["],
  [0x3d, "~"],
  [0x3e, "]"],
  [0x40, "|"],
  [0x65, "€"],
]);

const ESC = 0x1b;

const GSM7_CHARACTERS: ReadonlySet<string> = new Set([...GSM7_DEFAULT.filter((_, septet) => septet !== ESC), ...GSM7_EXTENSION.values()]);

/**
 * Whether every character is in the GSM 03.38 default alphabet or its extension table, i.e.
 * whether the text travels as GSM-7 rather than UCS-2.
 */
export function isGsm7Text(text: string): boolean {
  for (const char of text) if (!GSM7_CHARACTERS.has(char)) return false;
  return true;
}

// Anything that is not a septet (null for unreadable hex, or above 0x7F) shows as U+FFFD;
// callers have already warned about it.
function decodeSeptets(septets: (number | null)[]): { text: string; warnings: string[] } {
  let text = "";
  let danglingEscape = false;
  for (let i = 0; i < septets.length; i++) {
    const septet = septets[i];
    if (septet !== ESC) {
      text += charFor(septet);
      continue;
    }
    const next = septets[i + 1];
    if (next === undefined) {
      // TS 23.038 has a receiver that does not understand an escape show it as a space.
      text += " ";
      danglingEscape = true;
    } else if (next === ESC) {
      // ESC ESC escapes to a further table nobody defines: the first shows as a space and the
      // second starts over.
      text += " ";
    } else {
      // An undefined extension code shows as the default character, per TS 23.038.
      text += (next !== null && GSM7_EXTENSION.get(next)) || charFor(next);
      i++;
    }
  }
  const warnings = danglingEscape
    ? ["The GSM-7 text ends with an escape that has no character after it (a part may be missing); it is shown as a space."]
    : [];
  return { text, warnings };
}

function charFor(septet: number | null | undefined): string {
  return (septet !== null && septet !== undefined && GSM7_DEFAULT[septet]) || REPLACEMENT;
}

function decodeUtf16BeHex(hex: string): { text: string; warnings: string[] } {
  const { octets, leftoverNibble, warnings } = readOctets(hex);
  let bytes = octets;
  let littleEndian = false;
  // A byte order mark is not part of the message; U+FFFE is a noncharacter, so a leading
  // FF FE can only be a little-endian mark.
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    bytes = bytes.slice(2);
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    bytes = bytes.slice(2);
    littleEndian = true;
    warnings.push("The UTF-16 text starts with a little-endian byte order mark and was read as little-endian.");
  }

  let units = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const [a, b] = [bytes[i], bytes[i + 1]];
    if (a === null || a === undefined || b === null || b === undefined) units += REPLACEMENT;
    else units += String.fromCharCode(littleEndian ? (b << 8) | a : (a << 8) | b);
  }
  if (bytes.length % 2 !== 0 || leftoverNibble) {
    units += REPLACEMENT;
    warnings.push(`The UTF-16 text ends in an incomplete character (an odd number of bytes), shown as ${REPLACEMENT}.`);
  }
  const wellFormed = toWellFormed(units);
  return { text: wellFormed.text, warnings: [...warnings, ...wellFormed.warnings] };
}

/**
 * The text as PostgreSQL can store it: lone surrogates and U+0000 (which no SMS character set
 * means as text, and which PostgreSQL refuses) become U+FFFD, each kind with a warning.
 */
function toWellFormed(input: string): { text: string; warnings: string[] } {
  const nuls = input.includes("\u0000") ? input.split("\u0000").length - 1 : 0;
  const text = nuls ? input.replaceAll("\u0000", REPLACEMENT) : input;
  const nulWarnings = nuls ? [`${plural(nuls, "NUL character")} (U+0000, which is not text) ${nuls === 1 ? "is" : "are"} shown as ${REPLACEMENT}.`] : [];
  const surrogates = wellFormed(text);
  return { text: surrogates.text, warnings: [...nulWarnings, ...surrogates.warnings] };
}

function wellFormed(text: string): { text: string; warnings: string[] } {
  if (text.isWellFormed()) return { text, warnings: [] };
  let lone = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else lone++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      lone++;
    }
  }
  return {
    text: text.toWellFormed(),
    warnings: [`${plural(lone, "unpaired UTF-16 surrogate")} (half of an emoji or rare character, perhaps from a missing part) ${lone === 1 ? "is" : "are"} shown as ${REPLACEMENT}.`],
  };
}

/**
 * Reads hex into octets, ignoring whitespace; a pair that is not hex becomes null so callers
 * can decide between a replacement character and skipping it. A trailing odd digit is left to
 * the caller too.
 */
function readOctets(hex: string): { octets: (number | null)[]; leftoverNibble: boolean; warnings: string[] } {
  const digits = hex.replace(/\s+/g, "");
  const octets: (number | null)[] = [];
  for (let i = 0; i + 1 < digits.length; i += 2) {
    const pair = digits.slice(i, i + 2);
    octets.push(/^[0-9a-fA-F]{2}$/.test(pair) ? Number.parseInt(pair, 16) : null);
  }
  const warnings: string[] = [];
  const invalid = octets.filter((octet) => octet === null).length;
  if (invalid) warnings.push(`The payload is not valid hex: ${plural(invalid, "byte")} could not be read.`);
  return { octets, leftoverNibble: digits.length % 2 !== 0, warnings };
}

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

function isCount(value: number | undefined): value is number {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// Payloads come from stored rows, so a format this version does not know must still not throw.
function unknownFormat(payload: never): DecodedPayload {
  const { format } = payload as { format: unknown };
  const name = typeof format === "string" ? `"${format}"` : typeof format;
  return { text: null, binaryHex: null, warnings: [`The payload format ${name} is not known, so it was not decoded.`] };
}
