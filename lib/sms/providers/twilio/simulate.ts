/**
 * Twilio's incoming message webhook for a message, as Twilio sends it: one request whatever the
 * length (Twilio joins long messages and reports NumSegments), as a form POST or a GET, signed
 * with `X-Twilio-Signature` when the number's Auth Token and the URL are known.
 */
import { randomBytes } from "node:crypto";
import { countryOf, normalizeProviderAddress } from "@/lib/phone";
import type { SimulatedMessage, SimulatedRequest } from "../../types";
import { segmentCount } from "../simulation";
import { SIGNATURE_HEADER, signTwilioRequest } from "./signature";

export const TWILIO_FORMATS = ["form", "get"] as const;

const FORM = "application/x-www-form-urlencoded";

export function simulateTwilio(message: SimulatedMessage): SimulatedRequest[] {
  const entropy = message.random ? seededEntropy(message.random) : cryptoEntropy;
  const from = normalizeProviderAddress(message.from);
  const to = normalizeProviderAddress(message.to);
  const sid = `SM${entropy.hex(16)}`;
  // The order of a captured request; the signature does not depend on it.
  const params: [string, string][] = [
    ["ToCountry", countryOf(to) ?? ""],
    ["ToState", ""],
    ["SmsMessageSid", sid],
    ["NumMedia", "0"],
    ["ToCity", ""],
    ["FromZip", ""],
    ["SmsSid", sid],
    ["FromState", ""],
    ["SmsStatus", "received"],
    ["FromCity", ""],
    ["Body", message.text],
    ["FromCountry", countryOf(from) ?? ""],
    ["To", to],
    ["ToZip", ""],
    ["NumSegments", String(segmentCount(message.text))],
    ["MessageSid", sid],
    ["AccountSid", `AC${entropy.hex(16)}`],
    ["From", from],
    ["ApiVersion", "2010-04-01"],
  ];
  const format = message.format === "get" ? "get" : "form";
  const token = authTokenOf(message.credentials);
  const target = message.url ? parseUrl(message.url) : null;

  if (format === "get") {
    const query = new URLSearchParams(params);
    const request: SimulatedRequest = { method: "GET", query, body: null, contentType: null };
    if (!token || !target) return [request];
    // The URL called is the configured one with the fields merged into its query.
    for (const [name, value] of params) target.searchParams.set(name, value);
    return [{ ...request, headers: { [SIGNATURE_HEADER]: signTwilioRequest(token, target.href) }, signed: true }];
  }

  const request: SimulatedRequest = { method: "POST", query: new URLSearchParams(), body: new URLSearchParams(params).toString(), contentType: FORM };
  if (!token || !target) return [request];
  return [{ ...request, headers: { [SIGNATURE_HEADER]: signTwilioRequest(token, target.href, params) }, signed: true }];
}


function authTokenOf(credentials: Record<string, unknown> | null | undefined): string | null {
  const token = credentials?.authToken;
  return typeof token === "string" && token.trim() !== "" ? token.trim() : null;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

type Entropy = { hex(bytes: number): string };

const cryptoEntropy: Entropy = { hex: (bytes) => randomBytes(bytes).toString("hex") };

function seededEntropy(random: () => number): Entropy {
  return {
    hex: (bytes) => Array.from({ length: bytes }, () => Math.floor(random() * 256).toString(16).padStart(2, "0")).join(""),
  };
}
