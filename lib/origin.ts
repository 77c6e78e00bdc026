import "server-only";
import { headers } from "next/headers";

// host, or host:port, or [IPv6]:port; anything else (a path, credentials, a second URL) is refused.
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;

/**
 * The public origin of this deployment (`https://moshi.example.com`, no trailing slash), for the
 * absolute URLs people paste elsewhere: webhook URLs and invite links.
 *
 * `MOSHI_PUBLIC_URL` wins when set: behind a tunnel or a proxy that rewrites Host, the request
 * cannot tell which name the outside world uses. Otherwise the origin is read from the request,
 * preferring the proxy's `X-Forwarded-*` headers (Vercel and `next start` both set them).
 */
export async function requestOrigin(): Promise<string> {
  const configured = process.env.MOSHI_PUBLIC_URL?.trim();
  if (configured) return parseConfiguredOrigin(configured);

  const incoming = await headers();
  const host = firstValue(incoming.get("x-forwarded-host")) ?? firstValue(incoming.get("host"));
  if (!host || !HOST_PATTERN.test(host)) {
    throw new Error("Cannot tell this server's public address from the request: set MOSHI_PUBLIC_URL.");
  }
  const forwardedProto = firstValue(incoming.get("x-forwarded-proto"))?.toLowerCase();
  // Without a proxy's word, only local development is assumed to be plain HTTP: a link handed to
  // someone else must not downgrade a public host to an unencrypted URL.
  const protocol = forwardedProto === "http" || forwardedProto === "https" ? forwardedProto : isLoopback(host) ? "http" : "https";
  // URL normalises case and drops default ports, so one deployment yields one spelling.
  const url = URL.parse(`${protocol}://${host}`);
  if (!url) throw new Error(`Cannot build a public URL from the request's host "${host}": set MOSHI_PUBLIC_URL.`);
  return url.origin;
}

function parseConfiguredOrigin(value: string): string {
  const url = URL.parse(value);
  if (!url) throw new Error(`MOSHI_PUBLIC_URL must be an absolute URL such as https://moshi.example.com, got "${value}".`);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`MOSHI_PUBLIC_URL must start with https:// or http://, got "${value}".`);
  }
  return url.origin;
}

/** Proxies chain comma-separated values; the first is what the client asked for. */
function firstValue(header: string | null): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value || undefined;
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, "").toLowerCase();
  return name === "localhost" || name.endsWith(".localhost") || name === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(name);
}
