import { db } from "@/lib/db";
import { MAX_BODY_BYTES, ingestDelivery, type IngestResponse } from "@/lib/sms/ingest";

type Context = { params: Promise<{ provider: string; token: string }> };

// GET/POST /api/webhooks/<provider>/<token> - inbound SMS from Rakuten CPaaS, Infobip, Vonage (Nexmo)
// The only unauthenticated write path: the secret token in the URL identifies the number.
async function handle(request: Request, { params }: Context): Promise<Response> {
  const receivedAt = new Date();
  try {
    const { provider, token } = await params;
    const result = await ingestDelivery(db(), {
      providerSegment: provider,
      token,
      method: request.method,
      headers: request.headers,
      url: new URL(request.url),
      body: await readBodyWithin(request, MAX_BODY_BYTES),
      receivedAt,
    });
    return respond(result);
  } catch (error) {
    // Never a 500, and never a success: the provider retries and nothing is lost.
    console.error("[webhook] unexpected failure", error);
    return respond({ status: 503, body: { error: "Temporarily unable to store this delivery. Please retry." }, headers: { "Retry-After": "5" } });
  }
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };

function respond({ status, body, headers }: IngestResponse): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** The body as text, or null once it exceeds `limit` bytes (read no further than that). */
async function readBodyWithin(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
