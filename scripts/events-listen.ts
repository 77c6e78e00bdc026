/**
 * `npm run events:listen`: a local receiver for forwarded events, to try forwarding against.
 * It verifies each event's Standard Webhooks signature with the spec's own library, prints the
 * event, and answers as a healthy endpoint would (or with the status you ask for, to watch
 * retries).
 *
 *   npm run events:listen -- [--port 4400] [--secret whsec_…] [--status 500]
 *
 * Add the URL it prints as an endpoint on the Forwarding page (plain http to localhost is
 * accepted in development), then start it again with the secret shown there to check
 * signatures. MOSHI_WEBHOOK_SECRET works instead of --secret.
 */
import http from "node:http";
import { parseArgs } from "node:util";
import { Webhook } from "standardwebhooks";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4400" },
    host: { type: "string", default: "127.0.0.1" },
    secret: { type: "string" },
    status: { type: "string", default: "200" },
  },
});
const port = Number(values.port);
const status = Number(values.status);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`--status must be an HTTP status, got ${values.status}`);
const secret = values.secret ?? process.env.MOSHI_WEBHOOK_SECRET;
const verifier = secret ? new Webhook(secret) : null;

const color = process.stdout.isTTY ? (code: number, text: string) => `\x1b[${code}m${text}\x1b[0m` : (_code: number, text: string) => text;

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    let verdict: string;
    let answer = status;
    if (verifier) {
      try {
        verifier.verify(body, headers);
        verdict = color(32, "signature ok");
      } catch (error) {
        verdict = color(31, `signature refused: ${(error as Error).message}`);
        answer = 401;
      }
    } else {
      verdict = color(33, "signature not checked (start with --secret whsec_…)");
    }
    let event: { type?: string; test?: boolean; data?: unknown } = {};
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      // Printed raw below.
    }
    const time = new Date().toISOString().slice(11, 23);
    console.log(`\n${time}  ${color(1, event.type ?? "(not JSON)")}${event.test ? " (test)" : ""}  id ${headers["webhook-id"] ?? "-"}  ${verdict}  → ${answer}`);
    console.log(event.data ? JSON.stringify(event.data, null, 2) : body.slice(0, 2000));
    response.writeHead(answer, { "content-type": "application/json" });
    response.end(JSON.stringify({ received: answer < 300 }));
  });
});

server.listen(port, values.host, () => {
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  console.log(`Listening for Moshi events on http://${values.host}:${actualPort}/events`);
  console.log("Add that URL as an endpoint on the Forwarding page, then send a test event.");
  if (!verifier) console.log("Signatures are not checked until you pass --secret with the endpoint's signing secret.");
});

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
