/**
 * Builds the request Plivo sends to an application's message URL for an incoming SMS: one
 * request whatever the length (Plivo joins long messages and reports the parts in Units), as a
 * form POST or a GET query, signed with V3 when the number's Auth Token and the URL are known.
 */
import { randomInt } from "node:crypto";
import type { SimulatedMessage, SimulatedRequest } from "../../types";
import { segmentCount } from "../simulation";
import { signPlivoV3, type Pairs } from "./signature";

const FORM = "application/x-www-form-urlencoded";

export function simulatePlivo(message: SimulatedMessage): SimulatedRequest[] {
  const entropy = message.random ? seededEntropy(message.random) : cryptoEntropy;
  const now = message.now ?? new Date();
  const params: Pairs = [
    ["From", digitsOf(message.from)],
    ["To", digitsOf(message.to)],
    ["Type", "sms"],
    ["Text", message.text],
    ["MessageUUID", timeUuid(now, entropy)],
    ["Units", String(segmentCount(message.text))],
    ["TotalRate", "0"],
    ["TotalAmount", "0"],
    ["MessageIntent", messageIntent(message.text)],
  ];
  const method = message.format === "get" ? "GET" : "POST";

  const token = typeof message.credentials?.authToken === "string" ? message.credentials.authToken.trim() : "";
  let headers: Record<string, string> | undefined;
  if (token && message.url) {
    const nonce = entropy.digits(20);
    const signature = signPlivoV3(token, method, message.url, params, nonce);
    // Both headers carry the same value when the number belongs to the main account.
    headers = { "X-Plivo-Signature-V3": signature, "X-Plivo-Signature-Ma-V3": signature, "X-Plivo-Signature-V3-Nonce": nonce };
  }
  const signed = headers !== undefined;
  if (method === "GET") return [{ method, query: new URLSearchParams(params.map(([key, value]) => [key, value])), body: null, contentType: null, headers, signed }];
  return [{ method, query: new URLSearchParams(), body: new URLSearchParams(params.map(([key, value]) => [key, value])).toString(), contentType: FORM, headers, signed }];
}


/** Plivo's MessageIntent: set when the whole text is one of its standard keywords, empty otherwise. */
function messageIntent(text: string): string {
  const word = text.trim().toUpperCase();
  if (["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"].includes(word)) return "optout";
  if (["START", "YES", "UNSTOP"].includes(word)) return "optin";
  if (["HELP", "INFO"].includes(word)) return "help";
  return "";
}

/** Plivo writes numbers as digits without `+`; alphanumeric senders stay as they are. */
function digitsOf(address: string): string {
  return address.trim().replace(/^\+/, "");
}

/** Shaped like Plivo's MessageUUIDs: version 1 (time-based) UUIDs. */
function timeUuid(now: Date, entropy: Entropy): string {
  // 100 ns intervals since 1582-10-15, the UUID epoch.
  const ticks = (BigInt(now.getTime()) + 12_219_292_800_000n) * 10_000n + BigInt(entropy.int(10_000));
  const low = ticks & 0xffff_ffffn;
  const mid = (ticks >> 32n) & 0xffffn;
  const high = ((ticks >> 48n) & 0x0fffn) | 0x1000n;
  const clock = 0x8000 | entropy.int(0x4000);
  const hex = (value: bigint | number, width: number) => value.toString(16).padStart(width, "0");
  return `${hex(low, 8)}-${hex(mid, 4)}-${hex(high, 4)}-${hex(clock, 4)}-${entropy.hex(6)}`;
}

type Entropy = { int(below: number): number; hex(bytes: number): string; digits(count: number): string };

const cryptoEntropy: Entropy = {
  int: (below) => randomInt(0, below),
  hex: (bytes) => Array.from({ length: bytes }, () => randomInt(0, 256).toString(16).padStart(2, "0")).join(""),
  digits: (count) => Array.from({ length: count }, () => String(randomInt(0, 10))).join(""),
};

function seededEntropy(random: () => number): Entropy {
  const int = (below: number) => Math.min(below - 1, Math.floor(random() * below));
  return {
    int,
    hex: (bytes) => Array.from({ length: bytes }, () => int(256).toString(16).padStart(2, "0")).join(""),
    digits: (count) => Array.from({ length: count }, () => String(int(10))).join(""),
  };
}
