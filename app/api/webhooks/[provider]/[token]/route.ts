import { db } from "@/lib/db";
import { drainAfterResponse } from "@/lib/forwarding/serverless";
import { originalMethod } from "@/lib/http/original-method";
import { BODY_DEADLINE_MS, type BodyRead, MAX_BODY_BYTES, ingestDelivery, type IngestResponse } from "@/lib/sms/ingest";

type Context = { params: Promise<{ provider: string; token: string }> };

// GET/POST/… /api/webhooks/<provider>/<token> - inbound SMS from every provider in lib/sms/registry.ts
// The only unauthenticated write path: the secret token in the URL identifies the number. Every
// method lands here, so a method a provider does not use is answered 405 and recorded too.
async function handle(request: Request, { params }: Context): Promise<Response> {
  const receivedAt = new Date();
  try {
    const { provider, token } = await params;
    const result = await ingestDelivery(db(), {
      providerSegment: provider,
      token,
      method: originalMethod(request.headers) ?? request.method,
      headers: request.headers,
      url: new URL(request.url),
      readBody: () => readBody(request, MAX_BODY_BYTES, BODY_DEADLINE_MS),
      receivedAt,
    });
    // What was stored or refused may have events for the team's endpoints (Vercel; see there).
    if (result.status < 500) drainAfterResponse();
    return respond(request, result);
  } catch (error) {
    // Never a 500, and never a success: the provider retries and nothing is lost.
    console.error("[webhook] unexpected failure", error);
    return respond(request, { status: 503, body: { error: "Temporarily unable to store this delivery. Please retry." }, headers: { "Retry-After": "5" }, closeConnection: true });
  }
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as OPTIONS, handle as HEAD };

function respond(request: Request, { status, body, reply, headers, closeConnection }: IngestResponse): Response {
  const init = { status, headers: { "Cache-Control": "no-store", ...headers, ...(closeConnection ? { Connection: "close" } : {}) } };
  // A HEAD answer has the headers a GET would, and no body.
  if (request.method === "HEAD") return new Response(null, init);
  // The answer the provider expects, where its module says it expects one (`acknowledge`).
  if (reply) return new Response(reply.body, { ...init, headers: { ...init.headers, "Content-Type": reply.contentType } });
  return Response.json(body, init);
}

/**
 * Reads the body up to `limit` bytes and within `deadlineMs`, stopping as soon as either is
 * passed: a client cannot make the server buffer more, or wait longer, than that.
 */
async function readBody(request: Request, limit: number, deadlineMs: number): Promise<BodyRead> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return { kind: "too-large" };
  if (!request.body) return { kind: "complete", bytes: new Uint8Array() };
  const reader = request.body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), deadlineMs);
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === "timeout") {
        void reader.cancel().catch(() => {});
        return { kind: "timeout" };
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        void reader.cancel().catch(() => {});
        return { kind: "too-large" };
      }
      chunks.push(next.value);
    }
  } catch {
    return { kind: "broken" };
  } finally {
    clearTimeout(timer);
  }
  return { kind: "complete", bytes: new Uint8Array(Buffer.concat(chunks)) };
}
