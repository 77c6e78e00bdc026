/**
 * The load generator of `npm run bench`: a closed loop (a fixed number of clients, each sending
 * its next request as soon as the last one is answered) and an open loop (requests sent on a
 * fixed schedule, answered or not). node:http with keep-alive connections; every answer is
 * checked, and one that is not a 2xx, or that stored other than what was sent, is an error.
 */
import http from "node:http";
import { delay, resultLabel, sendHttp, type HttpRequest, type HttpResult } from "../scripts/lib/harness";
import { scheduledAt } from "./stats";

/** One request and what it must store: `stored`/`duplicates` are checked when the answer reports them. */
export type Job = { request: HttpRequest; messages: number; expect: { stored: number; duplicates: number } };

/**
 * Hands out the requests of a run. Once `stopping`, it only finishes what was begun (the other
 * parts of a long message already being sent), then answers null.
 */
export type JobSource = (stopping: boolean) => Job | null;

export type RunResult = {
  requests: number;
  messages: number;
  seconds: number;
  /** Per request, ms, ascending. */
  latencies: number[];
  /** Open loop only: how late each request left after its scheduled time, ms, ascending. */
  lags: number[];
  /** The slowest requests (ms) and when they were sent, in seconds from the start. */
  slowest: { at: number; ms: number }[];
  errors: Map<string, number>;
  /** A few failed answers, for the report. */
  examples: string[];
};

/** A request with no answer by then is an error (`timeout`). */
const TIMEOUT_MS = 30_000;
const SLOWEST = 5;

class Recorder {
  requests = 0;
  messages = 0;
  readonly latencies: number[] = [];
  readonly lags: number[] = [];
  private slowest: { at: number; ms: number }[] = [];
  readonly errors = new Map<string, number>();
  readonly examples: string[] = [];

  add(job: Job, result: HttpResult, ms: number, at: number) {
    this.requests++;
    this.messages += job.messages;
    this.latencies.push(ms);
    if (this.slowest.length < SLOWEST || ms > this.slowest.at(-1)!.ms) {
      this.slowest = [...this.slowest, { at: at / 1000, ms }].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
    }
    const problem = problemOf(job, result);
    if (!problem) return;
    this.errors.set(problem.label, (this.errors.get(problem.label) ?? 0) + 1);
    if (this.examples.length < 3) this.examples.push(`${job.request.method} ${job.request.path}: ${problem.detail}`);
  }

  result(seconds: number): RunResult {
    const ascending = (a: number, b: number) => a - b;
    return { requests: this.requests, messages: this.messages, seconds, latencies: this.latencies.sort(ascending), lags: this.lags.sort(ascending), slowest: this.slowest, errors: this.errors, examples: this.examples };
  }
}

function problemOf(job: Job, result: HttpResult): { label: string; detail: string } | null {
  if (!("status" in result)) return { label: result.error, detail: result.error };
  const body = result.body.slice(0, 300);
  if (result.status < 200 || result.status > 299) return { label: resultLabel(result), detail: `${result.status} ${body}` };
  let answer: { stored?: unknown; duplicates?: unknown } = {};
  try {
    answer = JSON.parse(result.body);
  } catch {
    // Not JSON: nothing more to check.
  }
  const { stored, duplicates } = answer;
  if ((typeof stored === "number" && stored !== job.expect.stored) || (typeof duplicates === "number" && duplicates !== job.expect.duplicates)) {
    return { label: `${result.status} but stored ${stored}, duplicates ${duplicates}`, detail: `expected ${job.expect.stored} stored and ${job.expect.duplicates} duplicates: ${body}` };
  }
  return null;
}

/** `concurrency` clients, each sending its next request as soon as it has an answer, for `durationMs`. */
export async function closedLoop(origin: string, source: JobSource, options: { concurrency: number; durationMs: number }): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const recorder = new Recorder();
  const started = performance.now();
  const deadline = started + options.durationMs;
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        for (;;) {
          const job = source(performance.now() >= deadline);
          if (!job) return;
          const sent = performance.now();
          const result = await sendHttp(origin, job.request, { agent, timeoutMs: TIMEOUT_MS });
          recorder.add(job, result, performance.now() - sent, sent - started);
        }
      }),
    );
    return recorder.result((performance.now() - started) / 1000);
  } finally {
    agent.destroy();
  }
}

/**
 * Requests at fixed intervals (`rate` per second) for `durationMs`, each sent when due whatever
 * became of the ones before; latency counts from the time it was due, so time a request spent
 * waiting (in the server's queue, for a connection, or for this process's timers) is included.
 */
export async function openLoop(origin: string, source: JobSource, options: { rate: number; durationMs: number }): Promise<RunResult> {
  // Room for the connections a server that falls behind makes us open.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const recorder = new Recorder();
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  try {
    for (let index = 0; ; index++) {
      const due = scheduledAt(started, options.rate, index);
      const wait = due - performance.now();
      if (wait > 0) await delay(wait);
      const job = source(due - started >= options.durationMs);
      if (!job) break;
      recorder.lags.push(performance.now() - due);
      inFlight.push(sendHttp(origin, job.request, { agent, timeoutMs: TIMEOUT_MS }).then((result) => recorder.add(job, result, performance.now() - due, due - started)));
    }
    await Promise.all(inFlight);
    return recorder.result((performance.now() - started) / 1000);
  } finally {
    agent.destroy();
  }
}
