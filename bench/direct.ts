/**
 * `npm run bench:direct`: how fast the webhook pipeline stores deliveries, measured in-process
 * through `ingestDelivery` (the route handler's whole body, without HTTP or Next.js) against a
 * fresh database: DATABASE_URL's server when set, otherwise the embedded PostgreSQL. Next to
 * `npm run bench` (bench/webhooks.ts, the production server over HTTP), it shows how much of a
 * request's time is the pipeline itself.
 *
 * Scenarios, each at concurrency 1 and 8:
 *   single     new one-part messages from many senders
 *   retry      the same delivery again (absorbed as a duplicate)
 *   multipart  3-part messages, parts sent together
 *   batch      Infobip requests carrying 10 messages each
 *
 * Prints requests/second and per-request latency (median, p95). Figures depend on the machine
 * and its load: compare runs made on the same machine, one after the other.
 */
import { randomBytes } from "node:crypto";
import { allowServerOnlyImports } from "../scripts/lib/server-only";
import { createFreshDatabase, migrateDeploy, startEmbeddedPostgres } from "../scripts/lib/database";

allowServerOnlyImports();
process.env.MOSHI_ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
const { createPrismaClient } = await import("@/lib/db");
const { createNumber } = await import("@/lib/data/numbers");
const { ingestDelivery } = await import("@/lib/sms/ingest");
const { buildDeliveries } = await import("@/lib/sms/simulate");

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);

const database = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, "moshi_bench") : await startEmbeddedPostgres();
const url = database.url;
await migrateDeploy(url);
const prisma = createPrismaClient(url);

try {
  const team = await prisma.team.create({ data: { name: "Bench", slug: `bench-${randomBytes(4).toString("hex")}` } });
  const numbers = {
    RAKUTEN: await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815012345678", label: "R" }),
    VONAGE: await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V" }),
    INFOBIP: await createNumber(prisma, { teamId: team.id, provider: "INFOBIP", e164: "+385921004026", label: "I" }),
  };
  type Provider = keyof typeof numbers;

  const send = (provider: Provider, request: ReturnType<typeof buildDeliveries>[number]) => {
    const target = new URL(`http://bench.test/api/webhooks/${provider.toLowerCase()}/${numbers[provider].token}`);
    target.search = request.query.toString();
    return ingestDelivery(prisma, {
      providerSegment: provider.toLowerCase(),
      token: numbers[provider].token,
      method: request.method,
      headers: new Headers(request.contentType ? { "content-type": request.contentType } : {}),
      url: target,
      body: request.body ?? "",
      receivedAt: new Date(),
    });
  };
  const sender = (i: number) => `4477009${String(i).padStart(5, "0")}`;
  let counter = 0;
  const retried = buildDeliveries({ provider: "RAKUTEN", from: "817012345678", to: "815012345678", text: "Same again" })[0]!;

  const scenarios: Record<string, () => Promise<unknown>[]> = {
    single: () => buildDeliveries({ provider: "VONAGE", from: sender(counter++), to: "12192259404", text: "Hello there, is the shop open today?" }).map((r) => send("VONAGE", r)),
    retry: () => [send("RAKUTEN", retried)],
    multipart: () =>
      buildDeliveries({ provider: "RAKUTEN", from: sender(counter++), to: "815012345678", text: "A longer message that the handset had to split into three parts. ".repeat(5), parts: 3 }).map((r) => send("RAKUTEN", r)),
    batch: () => {
      const results = Array.from({ length: 10 }, () => JSON.parse(buildDeliveries({ provider: "INFOBIP", from: sender(counter++), to: "385921004026", text: "QUIZ Paris" })[0]!.body!).results[0]);
      return [send("INFOBIP", { method: "POST", query: new URLSearchParams(), contentType: "application/json", body: JSON.stringify({ results, messageCount: 10, pendingMessageCount: 0 }) })];
    },
  };
  await send("RAKUTEN", retried);

  console.log(`requests per scenario: ${REQUESTS}; database: ${process.env.DATABASE_URL ? "PostgreSQL server" : "embedded PGlite"}\n`);
  console.log("scenario    concurrency   req/s    median ms   p95 ms");
  for (const [name, make] of Object.entries(scenarios)) {
    for (const concurrency of [1, 8]) {
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < REQUESTS) {
            const t = performance.now();
            const responses = (await Promise.all(make())) as { status: number }[];
            latencies.push(performance.now() - t);
            if (responses.some((r) => r.status !== 200)) throw new Error(`${name}: status ${responses.map((r) => r.status)}`);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
      console.log(
        `${name.padEnd(12)}${String(concurrency).padStart(11)}${(latencies.length / seconds).toFixed(0).padStart(8)}${at(0.5).toFixed(1).padStart(12)}${at(0.95).toFixed(1).padStart(9)}`,
      );
    }
  }
} finally {
  await prisma.$disconnect();
  await ("drop" in database ? database.drop() : database.stop());
}
