/**
 * Reading a delivery's parameters the way providers send them: a query string, a form body, a
 * JSON body, or a body with no (or the wrong) content type. Shared by the provider modules; none
 * of it throws, since a hostile or broken request must become a reason, not a 500.
 */
import type { z } from "zod";
import type { RawDelivery } from "../types";

/** Where a delivery's parameters were read from. */
export type ParamsSource = "query" | "form" | "json";

/**
 * A delivery's parameters as one flat map. `json` keeps the parsed object when the body was
 * JSON, for formats whose nesting matters (nested values are left out of `params`).
 */
export type ParamsResult =
  | { ok: true; params: Record<string, string>; source: ParamsSource; json: Record<string, unknown> | null }
  | { ok: false; reason: string };

/**
 * Reads a delivery's parameters: the query string for GET (and nothing else, as providers put
 * everything there), the body for any other method. The body is read by its content type when
 * it declares form or JSON, and sniffed otherwise: one provider's official capture is a JSON
 * POST with no content type at all. JSON numbers and booleans become strings, as they would have
 * been in a form; `null` counts as absent. Repeated query or form keys keep the last value, as
 * PHP (and so most providers' own SDK tests) reads them.
 */
export function readParams(delivery: RawDelivery): ParamsResult {
  const result = readAllParams(delivery);
  if (!result.ok) return result;
  const count = Object.keys(result.params).length;
  if (count > MAX_PARAMS) {
    return { ok: false, reason: `The request carries ${count} parameters; an inbound SMS has a few dozen at most, so it was not read further.` };
  }
  return result;
}

/**
 * No provider sends more parameters than this; signing or validating a hostile request with
 * tens of thousands would hold the server for a second.
 */
export const MAX_PARAMS = 200;

/** JSON nested deeper than this is no provider's; parsing a hostile 256 KiB of brackets takes long. */
export const MAX_JSON_DEPTH = 32;

function readAllParams(delivery: RawDelivery): ParamsResult {
  if (delivery.method.toUpperCase() === "GET") {
    if (tooManyFields(delivery.query.size)) return tooMany(delivery.query.size);
    return { ok: true, params: fromSearchParams(delivery.query), source: "query", json: null };
  }

  const declared = (delivery.contentType ?? "").toLowerCase();
  const body = delivery.body;
  if (declared.includes("json")) {
    const json = parseJsonObject(body);
    if (!json) return { ok: false, reason: "The body is declared as JSON but is not a JSON object." };
    return fromJson(json);
  }
  if (declared.includes("application/x-www-form-urlencoded")) return readForm(body);

  const trimmed = body.trim();
  if (trimmed.startsWith("{")) {
    const json = parseJsonObject(trimmed);
    if (json) return fromJson(json);
  }
  if (looksFormEncoded(trimmed)) return readForm(trimmed);
  if (trimmed === "") return { ok: false, reason: "The body is empty." };
  return { ok: false, reason: "Body is not form-encoded or JSON." };
}

/**
 * Parses text as JSON and answers the value only when it is an object (not an array); never
 * throws. Text nested deeper than {@link MAX_JSON_DEPTH} is not parsed at all.
 */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses the timestamps providers send, always as UTC unless they carry an offset:
 * `2016-05-24 11:12:01` (a space, no zone), `2016-10-06T09:28:39.220+0000` (no colon in the
 * offset, which `Date.parse` does not promise to read), and ordinary ISO 8601. Anything else,
 * including impossible dates such as 31 February, is null: a timestamp is informative and never
 * a reason to refuse a message.
 */
export function parseProviderTimestamp(value: string | null | undefined): Date | null {
  if (!value) return null;
  const match = TIMESTAMP.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s = "0", fraction = "", zone = "Z"] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March; a real timestamp never needs that.
  if (new Date(utc).getUTCDate() !== day) return null;
  const offset = zoneOffsetMinutes(zone);
  if (offset === null) return null;
  return new Date(utc - offset * 60_000);
}

/**
 * Field names for a reason: the missing ones together, then what is wrong with the others. Linear
 * in the number of issues and short whatever their number: a batch of thousands of empty
 * results names the first few fields and counts the rest.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const missing = new Set<string>();
  const wrong: string[] = [];
  let more = 0;
  for (const issue of issues) {
    const name = formatPath(issue.path);
    const value = valueAt(input, issue.path);
    if (value === undefined || value === null || value === "") {
      if (missing.has(name)) continue;
      if (missing.size < LISTED_ISSUES) missing.add(name);
      else more++;
    } else if (wrong.length < LISTED_ISSUES) {
      wrong.push(`${name}: ${abbreviate(issue.message)}`);
    } else {
      more++;
    }
  }
  const listed = [missing.size ? `Missing ${[...missing].join(", ")}` : null, ...wrong].filter(Boolean).join("; ");
  return more ? `${listed}; and ${more} more problem${more === 1 ? "" : "s"}` : listed;
}

const LISTED_ISSUES = 8;

// A message quoting a whole hostile value (a 200 KB "content_type") would bury the reason.
function abbreviate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

// YYYY-MM-DD, then a space or T, then HH:MM[:SS[.fraction]], then an optional zone.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function zoneOffsetMinutes(zone: string): number | null {
  if (zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function fromJson(json: Record<string, unknown>): ParamsResult {
  const keys = Object.keys(json).length;
  if (tooManyFields(keys)) return tooMany(keys);
  return { ok: true, params: flatten(json), source: "json", json };
}

function readForm(body: string): ParamsResult {
  // Counted before parsing, so a body of 40,000 empty fields costs a scan, not a parse.
  const fields = countOf(body, "&") + 1;
  if (tooManyFields(fields)) return tooMany(fields);
  return { ok: true, params: fromSearchParams(new URLSearchParams(body)), source: "form", json: null };
}

function tooManyFields(count: number): boolean {
  return count > MAX_PARAMS;
}

function tooMany(count: number): ParamsResult {
  return { ok: false, reason: `The request carries ${count} parameters; an inbound SMS has a few dozen at most, so it was not read further.` };
}

function countOf(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}

/** Whether brackets outside strings nest deeper than `limit`: one linear scan, no parsing. */
function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return false;
}

// A null prototype, so that a parameter named "__proto__" or "constructor" is only ever data.
function emptyParams(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

function fromSearchParams(search: URLSearchParams): Record<string, string> {
  const params = emptyParams();
  for (const [key, value] of search) params[key] = value;
  return params;
}

function flatten(json: Record<string, unknown>): Record<string, string> {
  const params = emptyParams();
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === "string") params[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") params[key] = String(value);
  }
  return params;
}

// A form body has no raw whitespace (spaces travel as "+" or %20) and at least one key=value.
function looksFormEncoded(body: string): boolean {
  return /^[^\s=&][^\s]*$/.test(body) && body.includes("=");
}

function formatPath(path: readonly PropertyKey[]): string {
  let name = "";
  for (const key of path) name += typeof key === "number" ? `[${key}]` : `${name ? "." : ""}${String(key)}`;
  return name || "body";
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof key === "symbol" || typeof current !== "object" || current === null) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
