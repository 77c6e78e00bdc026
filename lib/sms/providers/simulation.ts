/**
 * What the provider simulators share: where ids and nonces come from (node:crypto, or a seeded
 * generator for repeatable demo data), how a text is cut into parts, and the request shapes.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { isGsm7Text } from "../decode";
import type { SimulatedMessage, SimulatedRequest } from "../types";

export type Entropy = { int(below: number): number; hex(bytes: number): string; uuid(): string };

/** node:crypto, or the message's seeded generator (values in [0, 1), like Math.random). */
export function entropyFor(message: Pick<SimulatedMessage, "random">): Entropy {
  return message.random ? seededEntropy(message.random) : cryptoEntropy;
}

const cryptoEntropy: Entropy = {
  int: (below) => randomInt(0, below),
  hex: (bytes) => randomBytes(bytes).toString("hex"),
  uuid: () => randomUUID(),
};

function seededEntropy(random: () => number): Entropy {
  const int = (below: number) => Math.floor(random() * below);
  const hex = (bytes: number) => Array.from({ length: bytes }, () => hex2(int(256)).toLowerCase()).join("");
  return {
    int,
    hex,
    // Shaped like a version 4 UUID.
    uuid: () => {
      const h = hex(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(8 + int(4)).toString(16)}${h.slice(17, 20)}-${h.slice(20)}`;
    },
  };
}

/** Splits on UTF-16 code units, as SMS segmentation does: a surrogate pair may be cut in two. */
export function splitCodeUnits(text: string, parts: number): string[] {
  const size = Math.ceil(text.length / parts) || 1;
  const chunks: string[] = [];
  for (let i = 0; i < parts; i++) chunks.push(text.slice(i * size, (i + 1) * size));
  return chunks.filter((chunk, i) => chunk.length > 0 || i === 0);
}

/** Hex of UTF-16BE code units, upper case. */
export function utf16Hex(text: string): string {
  let hex = "";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase();
  return hex;
}

/** Two upper-case hex digits. */
export const hex2 = (n: number) => n.toString(16).padStart(2, "0").toUpperCase();

/** The first word, upper case: what providers report as a keyword. */
export const firstWord = (text: string) => (text.trim().split(/\s+/)[0] ?? "").toUpperCase();

/** Digits only: how most providers write numbers. */
export const digits = (address: string) => address.replace(/^\+/, "");

export function jsonRequest(body: unknown, headers?: Record<string, string>): SimulatedRequest {
  return { method: "POST", query: new URLSearchParams(), body: JSON.stringify(body), contentType: "application/json", ...(headers ? { headers } : {}) };
}

export function formRequest(params: Record<string, string>, headers?: Record<string, string>): SimulatedRequest {
  return {
    method: "POST",
    query: new URLSearchParams(),
    body: new URLSearchParams(params).toString(),
    contentType: "application/x-www-form-urlencoded; charset=UTF-8",
    ...(headers ? { headers } : {}),
  };
}

export function getRequest(params: Record<string, string>, headers?: Record<string, string>): SimulatedRequest {
  return { method: "GET", query: new URLSearchParams(params), body: null, contentType: null, ...(headers ? { headers } : {}) };
}

/**
 * How many SMS segments a text takes: GSM-7 fits 160 septets in one SMS and 153 in each part
 * of a longer one (characters of the extension table take two), UCS-2 fits 70 UTF-16 code
 * units, 67 per part. (A phone never splits an escape sequence, which can add a segment in
 * rare cases: an estimate, for the simulators' segment counts.)
 */
export function segmentCount(text: string): number {
  if (isGsm7Text(text)) {
    let septets = 0;
    for (const char of text) septets += GSM7_EXTENSION.has(char) ? 2 : 1;
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}

// Characters of the GSM 03.38 extension table, sent as an escape and a septet.
const GSM7_EXTENSION: ReadonlySet<string> = new Set(["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]);
