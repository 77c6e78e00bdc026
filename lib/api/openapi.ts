import "server-only";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { API_BASE, DEFAULT_RATE_LIMIT } from "./endpoint";
import { PROBLEM_KINDS } from "./problem";
import { API_ENDPOINTS } from "./routes";
import { problemSchema } from "./schemas";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the endpoint definitions and their zod
 * schemas: what the routes validate and answer is what the document says. Built once per server.
 */
export function buildOpenApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const endpoint of API_ENDPOINTS) {
    const hasId = endpoint.path.includes("{id}");
    const errors = [
      ...(Object.keys(endpoint.query.shape).length > 0 ? (["INVALID"] as const) : []),
      "UNAUTHORIZED",
      ...(endpoint.scope === "READ_WRITE" ? (["FORBIDDEN"] as const) : []),
      ...(hasId ? (["NOT_FOUND"] as const) : []),
      "RATE_LIMITED",
    ] as const;
    const operation: ZodOpenApiOperationObject = {
      operationId: endpoint.operationId,
      tags: [endpoint.tag],
      summary: endpoint.summary,
      description: [endpoint.description, `Scope: ${endpoint.scope === "READ" ? "read" : "read-write"}.`].filter(Boolean).join("\n\n"),
      requestParams: {
        query: endpoint.query,
        ...(hasId ? { path: z.object({ id: z.string().meta({ description: endpoint.idDescription ?? "The id." }) }) } : {}),
      },
      responses: {
        200: { description: "OK", content: { "application/json": { schema: endpoint.response } } },
        ...Object.fromEntries(
          errors.map((kind) => [
            PROBLEM_KINDS[kind].status,
            { description: PROBLEM_KINDS[kind].explanation, content: { "application/problem+json": { schema: problemSchema } } },
          ]),
        ),
      },
    };
    paths[`${API_BASE}${endpoint.path}`] = { ...paths[`${API_BASE}${endpoint.path}`], [endpoint.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Moshi REST API",
      version: "1",
      description:
        "Read the team's messages, conversations, numbers, deliveries, events and endpoint attempts. " +
        "Authenticate with an API key created on the team's API keys page: `Authorization: Bearer moshi_live_…`. " +
        `Lists answer \`{ "data": [...], "nextCursor": "…" | null }\`. Each key may make ${DEFAULT_RATE_LIMIT} requests a minute. ` +
        "Errors are RFC 9457 problem documents.",
    },
    servers: [{ url: "/", description: "This Moshi server" }],
    security: [{ apiKey: [] }],
    tags: [...new Set(API_ENDPOINTS.map((endpoint) => endpoint.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key: `moshi_live_` and 43 characters." },
      },
    },
  });
}

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

export function openApiDocument() {
  cached ??= buildOpenApiDocument();
  return cached;
}
