import { readFileSync } from "node:fs";
import path from "node:path";
import type { RawDelivery } from "@/lib/sms/types";

export const FIXTURES = path.join(import.meta.dirname, "..", "fixtures");

/** A fixture's text, by its path under tests/fixtures. */
export function readFixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), "utf8");
}

/** A JSON fixture, parsed. */
export function readJsonFixture<T = unknown>(name: string): T {
  return JSON.parse(readFixture(name)) as T;
}

/** A JSON body delivered as a provider POSTs it. */
export function jsonDelivery(body: unknown, contentType: string | null = "application/json"): RawDelivery {
  return { method: "POST", contentType, headers: contentType ? { "content-type": contentType } : {}, query: new URLSearchParams(), body: JSON.stringify(body) };
}

/** Query parameters delivered as a GET. */
export function getDelivery(query: Record<string, string>): RawDelivery {
  return { method: "GET", contentType: null, headers: {}, query: new URLSearchParams(query), body: "" };
}

/** Reads an `.http` fixture under tests/fixtures into the delivery the webhook handler would see. */
export function readHttpFixture(name: string): RawDelivery {
  return parseHttpRequest(readFixture(name));
}

/**
 * Parses a captured HTTP/1.1 request: the request line, headers, a blank line, then the body
 * (to the end of the file, less one final newline, which editors add and Content-Length does
 * not count). Lines starting with `#` before the body are comments. A file may end after its
 * headers, with no blank line.
 */
export function parseHttpRequest(text: string): RawDelivery {
  const lines = text.split(/\r?\n/);
  let index = 0;
  const next = () => lines[index++];
  let requestLine = next();
  while (requestLine !== undefined && (requestLine.startsWith("#") || requestLine.trim() === "")) requestLine = next();
  const match = requestLine ? /^([A-Z]+) (\S+) HTTP\/\d(?:\.\d)?$/.exec(requestLine) : null;
  if (!match) throw new Error(`Not an HTTP request line: ${JSON.stringify(requestLine)}`);
  const [, method, target] = match as unknown as [string, string, string];

  const headers: Record<string, string> = {};
  for (let line = next(); line !== undefined && line !== ""; line = next()) {
    if (line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`Not a header line: ${JSON.stringify(line)}`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = lines.slice(index).join("\n").replace(/\n$/, "");

  const url = new URL(target, "http://fixture.test");
  return { method, contentType: headers["content-type"] ?? null, headers, query: url.searchParams, body };
}
