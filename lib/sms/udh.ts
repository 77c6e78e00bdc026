/**
 * The User Data Header of an SMS (3GPP TS 23.040 §9.2.3.24), as the hex string providers pass
 * on. Only the concatenation elements matter to us; the others are scanned past and returned
 * so nothing is lost.
 */
import type { ConcatInfo } from "./types";

/** One information element, its data as lowercase hex. */
export type UdhElement = { iei: number; data: string };

export type UdhResult = { ok: true; concat: ConcatInfo | null; elements: UdhElement[] } | { ok: false; reason: string };

const IEI_CONCAT_8 = 0x00;
const IEI_CONCAT_16 = 0x08;

/**
 * Parses a User Data Header given as hex (either case): byte 0 is UDHL, the length of what
 * follows, then information elements `IEI, IEDL, data`.
 *
 * A concatenation element that cannot be right (total 0, sequence 0 or above total, wrong
 * length) is ignored rather than rejected: the part is still a readable SMS on its own. When
 * several concatenation elements are present the last usable one wins, as §9.2.3.24 has the
 * last occurrence of a non-repeatable element prevail. An empty string is a header with no
 * elements. Never throws.
 */
export function parseUdh(hex: string): UdhResult {
  if (hex === "") return { ok: true, concat: null, elements: [] };
  // UDHL is one byte: a header is at most 256 bytes, whatever a request claims.
  if (hex.length > 512) return { ok: false, reason: `The UDH is ${hex.length} hex digits long; a User Data Header has at most 256 bytes.` };
  if (!/^[0-9a-fA-F]*$/.test(hex)) return { ok: false, reason: `The UDH "${abbreviate(hex)}" is not hexadecimal.` };
  if (hex.length % 2 !== 0) return { ok: false, reason: `The UDH has an odd number of hex digits (${hex.length}), so it does not split into whole bytes.` };

  const bytes = hexToBytes(hex);
  const udhl = bytes[0] ?? 0;
  if (udhl !== bytes.length - 1) {
    return { ok: false, reason: `The UDH length byte says ${udhl} bytes follow, but ${bytes.length - 1} do.` };
  }

  const elements: UdhElement[] = [];
  let concat: ConcatInfo | null = null;
  let offset = 1;
  while (offset < bytes.length) {
    const iei = bytes[offset]!;
    const iedl = bytes[offset + 1];
    if (iedl === undefined) {
      return { ok: false, reason: `The UDH ends inside element 0x${hexByte(iei).toUpperCase()}: its length byte is missing.` };
    }
    const start = offset + 2;
    const end = start + iedl;
    if (end > bytes.length) {
      return {
        ok: false,
        reason: `The UDH element 0x${hexByte(iei).toUpperCase()} declares ${iedl} data bytes, but only ${bytes.length - start} remain.`,
      };
    }
    const data = bytes.slice(start, end);
    elements.push({ iei, data: data.map(hexByte).join("") });
    concat = readConcat(iei, data) ?? concat;
    offset = end;
  }
  return { ok: true, concat, elements };
}

function readConcat(iei: number, data: number[]): ConcatInfo | null {
  let reference: number;
  let referenceBits: 8 | 16;
  let total: number;
  let index: number;
  if (iei === IEI_CONCAT_8 && data.length === 3) {
    [reference, total, index] = data as [number, number, number];
    referenceBits = 8;
  } else if (iei === IEI_CONCAT_16 && data.length === 4) {
    const [hi, lo, t, i] = data as [number, number, number, number];
    reference = (hi << 8) | lo;
    referenceBits = 16;
    total = t;
    index = i;
  } else {
    return null;
  }
  if (total === 0 || index === 0 || index > total) return null;
  return { reference, referenceBits, total, index };
}

function hexToBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

function hexByte(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

// Keeps reasons readable when a whole body lands in the udh field by mistake.
function abbreviate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
