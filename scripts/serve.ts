/**
 * The production server for running Moshi yourself (`npm start` runs it through the launcher):
 * Next.js's own request handler behind a `node:http` server that Moshi configures, instead of
 * `next start`, for what only the HTTP server can do:
 *
 * - Methods other than Next's seven: TRACE gets a 500 from Next before any route runs, PROPFIND
 *   and the like an unrecorded 400. They are passed on as POST with their real method in a
 *   header only this process can set (lib/http/original-method.ts), so the webhook route
 *   answers 405 and records them; anywhere else they are answered 405 here.
 * - CONNECT and requests Node cannot parse get a plain 405 or 400, and the connection closes.
 * - The client address: the socket's address is appended to X-Forwarded-For, as a proxy
 *   appends what it received from, so the sign-in limits can tell clients apart (see
 *   lib/auth/client-address.ts; MOSHI_TRUSTED_PROXY_HOPS counts proxies in front of this).
 * - Deadlines: headers within 10 s, a whole request within 30 s, idle keep-alive 5 s, so slow
 *   clients cannot hold connections (the webhook route adds its own 10 s body deadline).
 *
 *   PORT=3000 [HOSTNAME=0.0.0.0] tsx scripts/serve.ts
 *
 * On Vercel none of this runs: the platform is the HTTP server there.
 */
import http from "node:http";
import type { Socket } from "node:net";
import { enableOriginalMethodHeader, ORIGINAL_METHOD_HEADER, ROUTE_METHODS } from "../lib/http/original-method";
import { projectRoot } from "./lib/project";

// Next reads NODE_ENV when it loads; a production server must not run with development settings.
(process.env as Record<string, string>).NODE_ENV ||= "production";
// Tells the app that the last X-Forwarded-For entry is the address this server received from.
process.env.MOSHI_PEER_IN_FORWARDED_FOR = "1";
const { default: next } = await import("next");

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;

const app = next({ dev: false, dir: projectRoot, port, hostname });
await app.prepare();
const handle = app.getRequestHandler();
const labelMethod = enableOriginalMethodHeader();

const server = http.createServer((request, response) => {
  // Only this server may say what the method was.
  delete request.headers[ORIGINAL_METHOD_HEADER];
  const peer = request.socket.remoteAddress;
  if (peer) {
    const forwarded = request.headers["x-forwarded-for"];
    request.headers["x-forwarded-for"] = forwarded ? `${forwarded}, ${peer}` : peer;
  }
  if (request.method && !ROUTE_METHODS.has(request.method)) {
    if (!request.url?.startsWith("/api/webhooks/")) {
      response.writeHead(405, { "content-type": "application/json", allow: [...ROUTE_METHODS].join(", "), connection: "close" });
      response.end(JSON.stringify({ error: `${request.method} is not supported.` }));
      return;
    }
    request.headers[ORIGINAL_METHOD_HEADER] = labelMethod(request.method);
    request.method = "POST";
  }
  handle(request, response).catch((error: unknown) => {
    console.error("[server] request failed", error);
    if (!response.headersSent) response.writeHead(503, { "content-type": "application/json", connection: "close" });
    response.end(JSON.stringify({ error: "Temporarily unavailable. Please retry." }));
  });
});

server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
// Idle keep-alive connections stay open a minute, longer than the proxies and HTTP clients in
// front of it keep theirs (load balancers typically 60 s): a server that closes first races a
// client reusing the socket, which then sees ECONNRESET for a request that never arrived (the
// browser tests met it at Node's 5 s default). Only idle sockets; the deadlines above still hold
// for a request once it starts.
server.keepAliveTimeout = 65_000;

server.on("connect", (_request: http.IncomingMessage, socket: Socket) => {
  socket.end("HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
});
server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
  if (!socket.writable) return socket.destroy();
  const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
});

server.listen(port, hostname, () => {
  console.log(`Ready on http://${hostname ?? "localhost"}:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    // Finish what is in flight, then leave; a second signal (or 10 s) ends it at once.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
