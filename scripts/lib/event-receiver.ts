/**
 * A team's endpoint for the soak and the benchmarks: node:http on 127.0.0.1 that checks each
 * event's Standard Webhooks signature (every `verifyEvery`-th, to keep a benchmark's client
 * cheap), records when each event id first arrived and what it carried, and answers 200.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { delay, onCleanup } from "./harness";

export type ReceivedEvent = { at: number; type: string; data: { id?: string; text?: string | null } };

export async function startEventReceiver({ verifyEvery = 1 }: { verifyEvery?: number } = {}) {
  const events = new Map<string, ReceivedEvent>();
  const state = { verifier: null as Webhook | null, requests: 0, repeats: 0, verified: 0, refused: 0 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      if (state.verifier && state.requests++ % verifyEvery === 0) {
        try {
          state.verifier.verify(body, headers);
          state.verified++;
        } catch {
          state.refused++;
          response.writeHead(401).end();
          return;
        }
      }
      const id = headers["webhook-id"] ?? "";
      if (events.has(id)) state.repeats++;
      else {
        const event = JSON.parse(body) as { type: string; data: ReceivedEvent["data"] };
        events.set(id, { at, type: event.type, data: event.data });
      }
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup("stop the event receiver", () => new Promise((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/events`,
    events,
    state,
    useSecret(secret: string) {
      state.verifier = new Webhook(secret);
    },
    /** Waits until `done()` holds or `timeoutMs` passes; answers whether it held. */
    async waitUntil(done: () => boolean, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) return false;
        await delay(50);
      }
      return true;
    },
  };
}

export type EventReceiver = Awaited<ReturnType<typeof startEventReceiver>>;

/** Points a new endpoint at the receiver, for the events of `phoneNumberId` only. */
export async function addEndpoint(databaseUrl: string, phoneNumberId: string, receiver: EventReceiver, eventTypes: string[] = []) {
  const [{ createPrismaClient }, { createEndpoint }] = await Promise.all([import("@/lib/db"), import("@/lib/forwarding/endpoints")]);
  const prisma = createPrismaClient(databaseUrl);
  try {
    const { teamId } = await prisma.phoneNumber.findUniqueOrThrow({ where: { id: phoneNumberId }, select: { teamId: true } });
    const { secret } = await createEndpoint(prisma, teamId, { url: receiver.url, description: "harness", eventTypes, phoneNumberIds: [phoneNumberId] }, null);
    receiver.useSecret(secret);
  } finally {
    await prisma.$disconnect();
  }
}
