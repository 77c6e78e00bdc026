/**
 * One POST to a team's endpoint, made safe to point at any URL a team types: no redirects
 * followed, the address connected to checked at send time (not only the name when the endpoint
 * was saved), one deadline for the whole exchange, and at most RESPONSE_CAP_BYTES of the
 * response read.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isNonPublicAddress } from "./addresses";
import { RESPONSE_CAP_BYTES } from "./config";

export type PostResult = {
  /** null when no answer came. */
  statusCode: number | null;
  /** The first RESPONSE_CAP_BYTES of the body, as text. */
  body: string | null;
  /** What went wrong, in words, when there was no answer (or it was a redirect). */
  error: string | null;
  durationMs: number;
};

export class AddressNotAllowedError extends Error {}

export async function postJson(url: URL, headers: Record<string, string>, body: string, options: { timeoutMs: number; allowNonPublic: boolean }): Promise<PostResult> {
  const started = performance.now();
  const done = (result: Omit<PostResult, "durationMs">): PostResult => ({ ...result, durationMs: Math.round(performance.now() - started) });

  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!options.allowNonPublic && isIP(host) && isNonPublicAddress(host)) {
    return done({ statusCode: null, body: null, error: `${host} is not a public address: refused.` });
  }

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const allowed = options.allowNonPublic ? addresses : addresses.filter((a) => !isNonPublicAddress(a.address));
      if (allowed.length === 0) {
        const listed = addresses.map((a) => a.address).join(", ");
        return callback(new AddressNotAllowedError(`${hostname} resolves to ${listed}, not a public address: refused.`), "", 0);
      }
      if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };

  const payload = Buffer.from(body, "utf8");
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(result));
    };
    const request = client.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(payload.length) },
      lookup,
      agent: false,
    });
    const timer = setTimeout(() => {
      finish({ statusCode: null, body: null, error: `No answer within ${options.timeoutMs / 1000} s: timed out.` });
      request.destroy();
    }, options.timeoutMs);

    request.on("error", (error: NodeJS.ErrnoException) => finish({ statusCode: null, body: null, error: describeError(error) }));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const complete = () => {
        const text = Buffer.concat(chunks).subarray(0, RESPONSE_CAP_BYTES).toString("utf8").replaceAll("\u0000", "\uFFFD");
        const status = response.statusCode ?? null;
        const redirect = status !== null && status >= 300 && status < 400;
        finish({
          statusCode: status,
          body: text,
          error: redirect ? `Redirects are not followed (it answered ${status}${response.headers.location ? ` to ${String(response.headers.location).slice(0, 200)}` : ""}): use the final URL.` : null,
        });
        response.destroy();
        request.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= RESPONSE_CAP_BYTES) complete();
      });
      response.on("end", complete);
      response.on("error", complete);
      response.on("aborted", complete);
    });
    request.end(payload);
  });
}

function describeError(error: NodeJS.ErrnoException): string {
  if (error instanceof AddressNotAllowedError) return error.message;
  switch (error.code) {
    case "ECONNREFUSED":
      return "Connection refused: nothing listens at that address and port.";
    case "ENOTFOUND":
      return "The host name does not resolve.";
    case "ECONNRESET":
      return "The connection was reset before an answer came.";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "The host cannot be reached.";
    case "CERT_HAS_EXPIRED":
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `The TLS certificate is not valid (${error.code}).`;
    default:
      return `${error.code ?? "Error"}: ${error.message}`.slice(0, 300);
  }
}
