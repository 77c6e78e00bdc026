/**
 * The baseline of `npm run bench`: about the least a webhook receiver can do with the same
 * requests. node:http, a pg Pool of 10 connections (the size of the app's, pg's default), the body parsed as its provider sends it
 * (Vonage a form, the others JSON), and one `INSERT … ON CONFLICT DO NOTHING` per request (an
 * Infobip batch as one multi-row statement). No token lookup, signature check, raw-request
 * log, threads or reassembly: that is what Moshi does on top, and what the ratio prices.
 *
 *   DATABASE_URL=… PORT=… [HOSTNAME=127.0.0.1] tsx bench/baseline-server.ts
 */
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`CREATE TABLE IF NOT EXISTS "BaselineMessage" (
  provider text NOT NULL, "messageId" text NOT NULL, sender text NOT NULL, recipient text NOT NULL, text text NOT NULL,
  "receivedAt" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (provider, "messageId"))`);

type Row = [provider: string, messageId: string, sender: string, recipient: string, text: string];

/** The messages of a request to /api/webhooks/<provider>/<token> (the token is not looked at). */
function messagesOf(provider: string, body: string): Row[] {
  if (provider === "vonage") {
    const form = new URLSearchParams(body);
    return [[provider, form.get("messageId")!, form.get("msisdn")!, form.get("to")!, form.get("text")!]];
  }
  const json = JSON.parse(body);
  if (provider === "infobip") return json.results.map((m: Record<string, string>) => [provider, m.messageId, m.from, m.to, m.text]);
  return [[provider, json.message_id, json.sender_address, json.destination_address, json.message_body]];
}

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    const answer = (status: number, body: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (request.method !== "POST") return answer(405, { error: "POST only" });
    try {
      const rows = messagesOf(request.url?.split("/")[3] ?? "", Buffer.concat(chunks).toString("utf8"));
      const values = rows.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`).join(", ");
      const sql = `INSERT INTO "BaselineMessage" (provider, "messageId", sender, recipient, text) VALUES ${values} ON CONFLICT DO NOTHING`;
      const { rowCount } = await pool.query(sql, rows.flat());
      answer(200, { ok: true, stored: rowCount ?? 0, duplicates: rows.length - (rowCount ?? 0) });
    } catch (error) {
      answer(500, { error: String((error as Error).message ?? error) });
    }
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 3001), process.env.HOSTNAME || undefined, () => console.log("Baseline ready"));
process.once("SIGTERM", () => server.close(() => void pool.end().then(() => process.exit(0))));
