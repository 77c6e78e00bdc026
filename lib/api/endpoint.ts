import "server-only";
import { z } from "zod";
import { reserveAttempt } from "@/lib/auth/rate-limit";
import { db } from "@/lib/db";
import { type AuthenticatedKey, findActiveApiKey, touchApiKey } from "@/lib/data/api-keys";
import { AppError } from "@/lib/errors";
import type { ApiKeyScope } from "@/lib/generated/prisma/enums";
import { problemFromError, problemResponse } from "./problem";

/**
 * One operation of the REST API, described once: the route handler (withApi), the OpenAPI
 * document and the reference page all read the same definition.
 */
export type EndpointDefinition<Q extends z.ZodObject = z.ZodObject, R extends z.ZodType = z.ZodType> = {
  operationId: string;
  method: "GET" | "POST";
  /** Under /api/v1, OpenAPI style: `/messages/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The least a key needs: READ_WRITE keys may do everything READ keys may. */
  scope: ApiKeyScope;
  query: Q;
  response: R;
  /** The path's `{id}`, when it has one: what it names, for the documentation. */
  idDescription?: string;
  handle: (input: { key: AuthenticatedKey; query: z.output<Q>; id: string; request: Request }) => Promise<z.input<R>>;
};

export function defineEndpoint<Q extends z.ZodObject, R extends z.ZodType>(definition: EndpointDefinition<Q, R>): EndpointDefinition<Q, R> {
  return definition;
}

export const API_BASE = "/api/v1";

/** Requests each key may make per minute; MOSHI_API_RATE_LIMIT overrides (read per request). */
export const DEFAULT_RATE_LIMIT = 600;
const RATE_WINDOW_MS = 60_000;

/** Next resolves `params` to undefined for a route without dynamic segments. */
type RouteContext = { params: Promise<Record<string, string | string[] | undefined> | undefined> };

/**
 * The route handler of an endpoint: authenticates the key, counts the request against the key's
 * rate limit, checks the scope, reads the path and query, runs the endpoint, and answers JSON,
 * or a problem (problem.ts) for every failure, so no input leads to a 5xx.
 */
export function withApi<Q extends z.ZodObject, R extends z.ZodType>(endpoint: EndpointDefinition<Q, R>) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    try {
      const prisma = db();
      const key = await authenticate(request);
      const limit = rateLimit();
      const reserved = await reserveAttempt(prisma, [{ key: `api:key:${key.id}`, limit, windowMs: RATE_WINDOW_MS }]);
      if (!reserved.allowed) {
        throw new AppError("RATE_LIMITED", `This key made more than ${limit} requests this minute.`, undefined, reserved.retryAfterMs);
      }
      await touchApiKey(prisma, key);
      if (endpoint.scope === "READ_WRITE" && key.scope !== "READ_WRITE") {
        throw new AppError("FORBIDDEN", "This key can only read: create a read-write key to make changes.");
      }
      const id = readId((await context.params)?.id);
      const query = parseQuery(endpoint.query, new URL(request.url).searchParams);
      const body = await endpoint.handle({ key, query, id, request });
      return Response.json(body, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return problemFromError(error);
    }
  };
}

/** Handlers for the methods a route does not have: 405 with `Allow`, in the problem shape. */
export function methodNotAllowed(...allowed: ("GET" | "POST")[]) {
  const allow = allowed.join(", ");
  return async (request: Request): Promise<Response> =>
    problemResponse("METHOD_NOT_ALLOWED", `${request.method} is not allowed here; use ${allow}.`, { headers: { Allow: allow } });
}

async function authenticate(request: Request): Promise<AuthenticatedKey> {
  const header = request.headers.get("authorization");
  if (!header) throw new AppError("UNAUTHORIZED", "Send an API key: `Authorization: Bearer moshi_live_…`.");
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const key = match ? await findActiveApiKey(db(), match[1]!) : null;
  if (!key) throw new AppError("UNAUTHORIZED", "The API key is malformed, unknown or revoked.");
  return key;
}

function rateLimit(): number {
  const configured = Number(process.env.MOSHI_API_RATE_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_RATE_LIMIT;
}

/** Ids are opaque: one that cannot be an id is as missing as one that is not the team's. */
function readId(value: string | string[] | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string" && /^[\w-]{1,64}$/.test(value)) return value;
  throw new AppError("NOT_FOUND", "Not found.");
}

/** The query against the endpoint's schema; a parameter given twice, or not known, is an error. */
function parseQuery<Q extends z.ZodObject>(schema: Q, params: URLSearchParams): z.output<Q> {
  const raw: Record<string, string> = {};
  const fieldErrors: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in raw) fieldErrors[name] = "Give this parameter once.";
    // No filter holds control characters, and PostgreSQL text cannot hold NUL at all.
    if (/[\u0000-\u001f\u007f]/.test(value)) fieldErrors[name] = "Remove the control characters.";
    raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") for (const name of issue.keys) fieldErrors[name] ??= "Unknown parameter.";
      else fieldErrors[String(issue.path[0] ?? "query")] ??= issue.message;
    }
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("INVALID", `Invalid query: ${Object.keys(fieldErrors).join(", ")}.`, fieldErrors);
  }
  return parsed.data!;
}
