/**
 * `npm run bench:forwarding` (also run by `npm run bench`): how fast stored messages reach a
 * team's endpoint.
 *
 *   tsx bench/forwarding.ts [--messages 2000] [--concurrency 8] [--workers 1] [--quick] [--no-build] [--no-cluster]
 *
 * On a throw-away cluster (or DATABASE_URL's server): a migrated database with a team, a Rakuten
 * number and an endpoint pointing at a receiver in this process (node:http on 127.0.0.1, which
 * checks the Standard Webhooks signature of every 20th event with the spec's library and answers
 * 200); the production server (scripts/serve.ts) and forwarding workers (scripts/worker.ts, as
 * `npm run worker` runs them).
 *
 * 1. Live: `messages` webhook requests sent to the server by `concurrency` clients while the
 *    worker runs. Reports the events delivered per second (first request sent → last event
 *    received) and, per message, the time from the provider's request being sent to its event
 *    reaching the endpoint (p50, p99, max).
 * 2. Backlog: the worker stopped, `messages` more stored, then the worker started: events
 *    delivered per second by the worker alone (the queue's drain rate).
 * 3. Ingestion alone, for comparison in the same run: the live phase's requests per second.
 * Every message must arrive exactly as stored; anything missing after 120 s fails the run.
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  createMigratedDatabase,
  createThrowawayCluster,
  delay,
  ensureBuild,
  formatTable,
  requireServerUrl,
  runHarness,
  seedTeam,
  sendHttp,
  serverSecrets,
  startLoggedScript,
  startServer,
  webhookPath,
  buildIsStale,
} from "../scripts/lib/harness";
import { addEndpoint, startEventReceiver } from "../scripts/lib/event-receiver";
import { allowServerOnlyImports } from "../scripts/lib/server-only";
import { percentile } from "./stats";

allowServerOnlyImports();
const { buildDeliveries } = await import("@/lib/sms/simulate");

const { values } = parseArgs({
  strict: false,
  options: {
    messages: { type: "string" },
    concurrency: { type: "string", default: "8" },
    workers: { type: "string", default: "1" },
    quick: { type: "boolean", default: false },
    build: { type: "boolean" },
    "no-build": { type: "boolean", default: false },
    "no-cluster": { type: "boolean", default: false },
  },
});
const messages = Number(values.messages ?? (values.quick ? 400 : 2000));
const concurrency = Number(values.concurrency);
const workerCount = Number(values.workers);

async function main(): Promise<number> {
  await ensureBuild(values.build === true || (!values["no-build"] && buildIsStale()));
  const cluster = values["no-cluster"] ? null : await createThrowawayCluster();
  const serverUrl = cluster?.url ?? requireServerUrl("npm run bench:forwarding");
  const databaseUrl = await createMigratedDatabase(serverUrl, "moshi_bench_fwd");
  const secrets = serverSecrets();
  const numbers = await seedTeam(databaseUrl, secrets.MOSHI_ENCRYPTION_KEY);
  const rakuten = numbers.RAKUTEN;

  const receiver = await startReceiver();
  await addEndpoint(databaseUrl, rakuten.id, receiver.receiver, ["message.received"]);

  const env = { ...process.env, ...secrets, DATABASE_URL: databaseUrl, MOSHI_ALLOW_PRIVATE_ENDPOINTS: "true" };
  const server = await startServer({ databaseUrl, secrets, name: "bench-fwd" });
  const startWorkers = () =>
    Array.from({ length: workerCount }, (_, i) =>
      startLoggedScript({
        script: path.join("scripts", "worker.ts"),
        env: { ...env, NODE_ENV: "production", WORKER_CONCURRENCY: "16" },
        logFile: path.join(os.tmpdir(), `moshi-bench-worker-${process.pid}-${i}.log`),
        label: `worker ${i}`,
        stopWithinMs: 10_000,
      }),
    );
  let workers = startWorkers();
  await delay(1500);

  console.log(`\nForwarding: ${messages} messages per phase, ${concurrency} clients, ${workerCount} worker(s) of concurrency 16.`);
  const live = await phase("live", server.origin, rakuten.token, receiver, 0);
  if (!live) return 1;

  for (const worker of workers) worker.child.kill("SIGTERM");
  await Promise.all(workers.map((worker) => worker.exited));
  const stored = await sendAll(server.origin, rakuten.token, messages, messages);
  const restarted = performance.now();
  workers = startWorkers();
  const drained = await receiver.waitFor(messages, messages, 120_000);
  if (!drained) {
    console.error(`Backlog: only ${receiver.countFrom(messages)} of ${messages} events arrived within 120 s.`);
    return 1;
  }
  const drainSeconds = (receiver.lastArrival(messages) - restarted) / 1000;

  console.log(
    "\n" +
      formatTable([
        ["phase", "messages", "events/s", "p50 ms", "p99 ms", "max ms", "ingest req/s"],
        ["live (worker running)", messages, round(live.eventsPerSecond), round(live.p50), round(live.p99), round(live.max), round(live.ingestPerSecond)],
        ["backlog (worker started after)", messages, round(messages / drainSeconds), "-", "-", "-", round(stored.perSecond)],
      ]),
  );
  console.log(`\nLatency: from the provider's request being sent to the event reaching the endpoint (worker start included in the backlog's ${drainSeconds.toFixed(1)} s).`);
  console.log(`Signatures checked: ${receiver.verified} (every 20th event), refused: ${receiver.refused}.`);
  return receiver.refused === 0 ? 0 : 1;
}

async function phase(name: string, origin: string, token: string, receiver: Receiver, offset: number) {
  const started = performance.now();
  const sent = await sendAll(origin, token, messages, offset);
  const arrived = await receiver.waitFor(offset, messages, 120_000);
  if (!arrived) {
    console.error(`${name}: only ${receiver.countFrom(offset)} of ${messages} events arrived within 120 s.`);
    return null;
  }
  const latencies: number[] = [];
  const arrivals = receiver.arrivals();
  for (let i = offset; i < offset + messages; i++) latencies.push(arrivals.get(i)! - sent.sentAt.get(i)!);
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: messages / ((receiver.lastArrival(offset) - started) / 1000),
    ingestPerSecond: sent.perSecond,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1)!,
  };
}

/** Sends `count` new single messages tagged offset…offset+count-1; answers when each was sent. */
async function sendAll(origin: string, token: string, count: number, offset: number) {
  const sentAt = new Map<number, number>();
  let next = offset;
  const started = performance.now();
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const client = async () => {
    while (next < offset + count) {
      const i = next++;
      const [request] = buildDeliveries({ provider: "RAKUTEN", from: `8190${String(10_000_000 + (i % 5000))}`, to: "815012345678", text: `bench ${i}`, now: new Date() });
      sentAt.set(i, performance.now());
      const result = await sendHttp(
        origin,
        { method: request!.method, path: webhookPath("RAKUTEN", token), headers: request!.contentType ? { "content-type": request!.contentType } : {}, body: request!.body },
        { agent, timeoutMs: 30_000 },
      );
      if (!("status" in result) || result.status !== 200) throw new Error(`message ${i}: ${JSON.stringify(result).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  return { sentAt, perSecond: count / ((performance.now() - started) / 1000) };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The harness's event receiver, read by the messages' tags: when each `bench <i>` arrived. */
async function startReceiver() {
  const receiver = await startEventReceiver({ verifyEvery: 20 });
  const arrivals = () => {
    const byTag = new Map<number, number>();
    for (const event of receiver.events.values()) {
      const tag = Number(/^bench (\d+)$/.exec(event.data.text ?? "")?.[1]);
      if (Number.isInteger(tag)) byTag.set(tag, event.at);
    }
    return byTag;
  };
  const inPhase = (offset: number) => [...arrivals()].filter(([tag]) => tag >= offset && tag < offset + messages);
  return {
    receiver,
    arrivals,
    get verified() {
      return receiver.state.verified;
    },
    get refused() {
      return receiver.state.refused;
    },
    countFrom: (offset: number) => inPhase(offset).length,
    lastArrival: (offset: number) => Math.max(...inPhase(offset).map(([, at]) => at)),
    waitFor: (offset: number, count: number, timeoutMs: number) => receiver.waitUntil(() => inPhase(offset).length >= count, timeoutMs),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await runHarness(main);
