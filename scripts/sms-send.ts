/**
 * `npm run sms:send -- <webhook URL> [options]`: posts realistic inbound SMS deliveries to a
 * running Moshi, the way a provider would, so webhooks can be tried without a provider.
 *
 *   --text "…"            message text (default: a greeting); Japanese and emoji go as unicode
 *   --from 447700900001    sender (default: a test number)
 *   --to 12192259404       our number (default: the demo number of the URL's provider)
 *   --parts 3              split into parts (Vonage concat fields, Rakuten UDH)
 *   --repeat 2             send every request this many times, as provider retries do
 *   --shuffle              send the parts in random order
 *   --secret S --method sha256   sign (Vonage): md5hash (default), md5, sha1, sha256, sha512
 *   --transport get|form|json    how Vonage sends it (default form)
 */
import { parseArgs } from "node:util";
import { buildDeliveries } from "@/lib/sms/simulate";
import type { Provider, SignatureMethod } from "@/lib/sms/types";

const DEMO_TO: Record<Provider, string> = { RAKUTEN: "815012345678", INFOBIP: "385921004026", VONAGE: "12192259404" };
const METHODS = ["md5hash", "md5", "sha1", "sha256", "sha512"] as const;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    text: { type: "string", default: "Hello from Moshi! こんにちは 👋" },
    from: { type: "string", default: "447700900001" },
    to: { type: "string" },
    parts: { type: "string", default: "1" },
    repeat: { type: "string", default: "1" },
    shuffle: { type: "boolean", default: false },
    secret: { type: "string" },
    method: { type: "string", default: "md5hash" },
    transport: { type: "string", default: "form" },
    help: { type: "boolean", short: "h", default: false },
  },
});

const url = positionals[0];
if (values.help || !url) {
  console.log("Usage: npm run sms:send -- <webhook URL> [--text …] [--from …] [--to …] [--parts N] [--repeat N] [--shuffle] [--secret S --method sha256] [--transport get|form|json]");
  process.exit(url || values.help ? 0 : 2);
}
const segment = new URL(url).pathname.split("/").at(-2)?.toLowerCase();
const provider = ({ rakuten: "RAKUTEN", infobip: "INFOBIP", vonage: "VONAGE", nexmo: "VONAGE" } as const)[segment as "rakuten"];
if (!provider) fail(`The URL must look like <origin>/api/webhooks/<rakuten|infobip|vonage>/<token>, got ${url}`);
if (!METHODS.includes(values.method as (typeof METHODS)[number])) fail(`--method must be one of ${METHODS.join(", ")}`);
if (!["get", "form", "json"].includes(values.transport)) fail("--transport must be get, form or json");

const requests = buildDeliveries({
  provider,
  from: values.from,
  to: values.to ?? DEMO_TO[provider],
  text: values.text,
  parts: positiveInt(values.parts, "--parts"),
  transport: values.transport as "get" | "form" | "json",
  signature: values.secret ? { secret: values.secret, method: values.method.toUpperCase() as SignatureMethod } : null,
});
const order = values.shuffle ? requests.toSorted(() => Math.random() - 0.5) : requests;
const repeat = positiveInt(values.repeat, "--repeat");

let failures = 0;
for (const request of order) {
  for (let attempt = 1; attempt <= repeat; attempt++) {
    const target = new URL(url);
    for (const [key, value] of request.query) target.searchParams.set(key, value);
    const response = await fetch(target, {
      method: request.method,
      body: request.body ?? undefined,
      headers: request.contentType ? { "content-type": request.contentType } : {},
    }).catch((error: Error) => fail(`Could not reach ${target.origin}: ${error.message}`));
    const text = await response.text();
    if (!response.ok) failures++;
    console.log(`${request.method} ${response.status} ${text}${repeat > 1 ? `  (attempt ${attempt}/${repeat})` : ""}`);
  }
}
process.exit(failures ? 1 : 0);

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 255) fail(`${name} must be a whole number from 1 to 255`);
  return n;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
