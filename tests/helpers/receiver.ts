import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Received = {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  headers: Record<string, string>;
  /** Which of the receiver's secrets verified it (index), or -1. */
  verifiedWith: number;
  at: number;
};

export type Reply = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };
export type Answer = Reply | "hang" | "close";

/**
 * A team's endpoint, for real: an HTTP server on 127.0.0.1 that checks every request's
 * Standard Webhooks signature with the spec's library, as a customer would, records it, and
 * answers as `answer` says (a status, a delay, never, or a dropped connection).
 */
export async function startReceiver(options: { secrets?: string[]; answer?: (request: Received, index: number) => Answer; port?: number } = {}) {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  let secrets = options.secrets ?? [];
  let answer = options.answer ?? (() => ({ status: 200 }));
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      const verifiedWith = secrets.findIndex((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      const entry: Received = {
        id: headers["webhook-id"] ?? "",
        timestamp: headers["webhook-timestamp"] ?? "",
        signature: headers["webhook-signature"] ?? "",
        body,
        headers,
        verifiedWith,
        at: Date.now(),
      };
      received.push(entry);
      const reply: Answer = answer(entry, received.length - 1);
      if (reply === "hang") {
        hanging.add(response);
        return;
      }
      if (reply === "close") {
        request.socket.destroy();
        return;
      }
      const { status, headers: replyHeaders, body: replyBody, delayMs } = reply;
      const send = () => {
        response.writeHead(status, { "content-type": "text/plain", ...replyHeaders });
        response.end(replyBody ?? "ok");
      };
      if (delayMs) setTimeout(send, delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/events`,
    received,
    setSecrets(next: string[]) {
      secrets = next;
    },
    setAnswer(next: (request: Received, index: number) => Answer) {
      answer = next;
    },
    /** Distinct event ids received with a valid signature. */
    verifiedIds(): Set<string> {
      return new Set(received.filter((r) => r.verifiedWith >= 0).map((r) => r.id));
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Waits until `condition` holds, checking every 50 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
