/**
 * `npm run sms:send -- <webhook URL> [options]`: posts realistic inbound SMS deliveries to a
 * running Moshi, the way the URL's provider would, so webhooks can be tried without a provider.
 * Every provider's module builds its own requests (lib/sms/providers/<name>/).
 *
 *   --text "…"            message text (default: a greeting); Japanese and emoji go as unicode
 *   --from 447700900001    sender (default: a test number)
 *   --to 12192259404       our number (default: the provider's example number)
 *   --parts 3              split into parts (providers that join long messages send one request)
 *   --repeat 2             send every request this many times, as provider retries do
 *   --shuffle              send the parts in random order
 *   --format F             how the provider sends it, where it has several (e.g. get, form, json, messages)
 *   --credential K=V       the number's credentials, to sign as the provider would (repeatable),
 *                          e.g. --credential authToken=… or --credential signatureSecret=… --credential signatureMethod=SHA256
 *   --formats              list every provider's URL segment and formats, then exit
 */
import { parseArgs } from "node:util";
import { adapters, PROVIDERS, providerFromPath } from "@/lib/sms/registry";
import { buildDeliveries, requestHeaders } from "@/lib/sms/simulate";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    text: { type: "string", default: "Hello from Moshi! こんにちは 👋" },
    from: { type: "string", default: "447700900001" },
    to: { type: "string" },
    parts: { type: "string", default: "1" },
    repeat: { type: "string", default: "1" },
    shuffle: { type: "boolean", default: false },
    format: { type: "string" },
    credential: { type: "string", multiple: true, default: [] },
    formats: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.formats) {
  for (const provider of PROVIDERS) {
    const adapter = adapters[provider];
    const fields = Object.keys((adapter.credentials as unknown as { shape?: object }).shape ?? {});
    console.log(`${adapter.pathSegments[0]!.padEnd(10)} ${adapter.name.padEnd(16)} formats: ${adapter.formats.join(", ")}${fields.length ? `; credentials: ${fields.join(", ")}` : ""}`);
  }
  process.exit(0);
}

const url = positionals[0];
if (values.help || !url) {
  console.log("Usage: npm run sms:send -- <webhook URL> [--text …] [--from …] [--to …] [--parts N] [--repeat N] [--shuffle] [--format F] [--credential K=V …] [--formats]");
  process.exit(url || values.help ? 0 : 2);
}
const segment = new URL(url).pathname.split("/").at(-2) ?? "";
const provider = providerFromPath(segment);
if (!provider) fail(`The URL must look like <origin>/api/webhooks/<provider>/<token>, with one of: ${PROVIDERS.map((p) => adapters[p].pathSegments[0]).join(", ")}. Got ${url}`);
const adapter = adapters[provider];
if (values.format !== undefined && !adapter.formats.includes(values.format)) fail(`--format for ${adapter.name} must be one of ${adapter.formats.join(", ")}`);

const credentials: Record<string, string> = {};
for (const entry of values.credential) {
  const at = entry.indexOf("=");
  if (at < 1) fail(`--credential takes name=value, got ${entry}`);
  credentials[entry.slice(0, at)] = entry.slice(at + 1);
}

const requests = buildDeliveries({
  provider,
  from: values.from,
  to: values.to ?? adapter.exampleNumber,
  text: values.text,
  parts: positiveInt(values.parts, "--parts"),
  format: values.format,
  credentials: Object.keys(credentials).length ? credentials : null,
  url,
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
      headers: requestHeaders(request),
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
