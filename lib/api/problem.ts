/**
 * Every error the REST API answers, in one shape: RFC 9457 `application/problem+json`. AppError
 * (lib/errors.ts) is mapped to it here and nowhere else.
 */
import type { z } from "zod";
import { AppError, type AppErrorCode } from "@/lib/errors";
import type { problemSchema } from "./schemas";

export type Problem = z.infer<typeof problemSchema>;

type ProblemKind = AppErrorCode | "METHOD_NOT_ALLOWED" | "UNAVAILABLE" | "INTERNAL";

/** Each kind's status and title; `type` links to its explanation on the reference page. */
export const PROBLEM_KINDS = {
  INVALID: { status: 400, title: "Invalid request", slug: "invalid-request", explanation: "A query parameter is missing, unknown or malformed; `errors` names each one." },
  UNAUTHORIZED: { status: 401, title: "Unauthorized", slug: "unauthorized", explanation: "No API key, or one that is malformed, unknown or revoked. The answer carries `WWW-Authenticate: Bearer`." },
  FORBIDDEN: { status: 403, title: "Forbidden", slug: "forbidden", explanation: "The key's scope does not allow this: writing needs a read-write key." },
  NOT_FOUND: { status: 404, title: "Not found", slug: "not-found", explanation: "No such route, or no such object in the key's team (another team's ids are not found either)." },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed", slug: "method-not-allowed", explanation: "The route exists, but not with this method; `Allow` lists the ones it has." },
  CONFLICT: { status: 409, title: "Conflict", slug: "conflict", explanation: "The change collides with the current state." },
  RATE_LIMITED: { status: 429, title: "Too many requests", slug: "rate-limited", explanation: "The key used up its requests for this minute; `Retry-After` says in how many seconds to try again." },
  UNAVAILABLE: { status: 503, title: "Service unavailable", slug: "unavailable", explanation: "The database could not be reached for a moment; `Retry-After` says when to try again." },
  INTERNAL: { status: 500, title: "Internal error", slug: "internal", explanation: "Something failed on Moshi's side; it was logged. Retry later." },
} as const satisfies Record<ProblemKind, { status: number; title: string; slug: string; explanation: string }>;

export const PROBLEM_TYPE_BASE = "/docs/api#problem-";

export type ProblemOptions = { errors?: Problem["errors"]; headers?: HeadersInit };

export function problemResponse(kind: ProblemKind, detail: string, { errors, headers }: ProblemOptions = {}): Response {
  const { status, title, slug } = PROBLEM_KINDS[kind];
  const body: Problem = { type: `${PROBLEM_TYPE_BASE}${slug}`, title, status, detail, ...(errors?.length ? { errors } : {}) };
  const merged = new Headers(headers);
  merged.set("Content-Type", "application/problem+json");
  merged.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status, headers: merged });
}

/** The one mapping from a thrown error to an answer. Anything but an AppError is logged and hidden. */
export function problemFromError(error: unknown): Response {
  if (!(error instanceof AppError) && isDatabaseUnavailable(error)) {
    console.error(`[api] the database is unavailable: ${String((error as { message?: unknown })?.message ?? error).slice(0, 300)}`);
    return problemResponse("UNAVAILABLE", "The database could not be reached. Try again in a few seconds.", { headers: { "Retry-After": "5" } });
  }
  if (!(error instanceof AppError)) {
    console.error("[api] unexpected failure", error);
    return problemResponse("INTERNAL", "Something went wrong on our side. Try again later.");
  }
  switch (error.code) {
    case "UNAUTHORIZED":
      return problemResponse("UNAUTHORIZED", error.message, { headers: { "WWW-Authenticate": `Bearer realm="moshi"` } });
    case "RATE_LIMITED": {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
      return problemResponse("RATE_LIMITED", error.message, { headers: { "Retry-After": String(seconds) } });
    }
    case "INVALID": {
      const errors = Object.entries(error.fieldErrors ?? {}).map(([parameter, detail]) => ({ parameter, detail }));
      return problemResponse("INVALID", error.message, { errors });
    }
    default:
      return problemResponse(error.code, error.message);
  }
}

/**
 * A database that is away (restarting, unreachable, out of connections) rather than a bug:
 * the client should retry, as it would after a 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { message, code, cause } = (error ?? {}) as { message?: unknown; code?: unknown; cause?: unknown };
  const text = `${String(message ?? "")} ${String(code ?? "")} ${String((cause as { code?: unknown } | undefined)?.code ?? "")} ${String((cause as { message?: unknown } | undefined)?.message ?? "")}`;
  return /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|57P0[1-3]|08\d{3}|08P01|53300|P1001|P1002|P1017|P2024)\b|Connection terminated|timeout exceeded when trying to connect|Can't reach database server/i.test(text);
}
