/**
 * Forwarding's settings, from the environment, with the defaults production runs with. Tests
 * and benchmarks shorten the clocks (a retry schedule in milliseconds instead of hours).
 */
export type ForwardingConfig = {
  /** Send to loopback, private and link-local addresses: development, and this machine's tests. */
  allowNonPublic: boolean;
  /** One attempt, connection to last byte read. */
  timeoutMs: number;
  /** The first retry's delay; each next one is 3 times longer, up to `retryCapMs`, ±25 % jitter. */
  retryBaseMs: number;
  retryCapMs: number;
  /** How long an event is retried, and how long an endpoint may fail before it is disabled. */
  windowMs: number;
  /** How long an attempt holds its dispatch; a dispatch held longer than this plus `sweepAfterMs` lost its worker. */
  leaseMs: number;
  sweepAfterMs: number;
  /** Requests in flight to one endpoint from one worker process. */
  perEndpointConcurrency: number;
};

/** The response body kept with an attempt, and read at most. */
export const RESPONSE_CAP_BYTES = 1024;

const HOUR = 60 * 60 * 1000;

export function forwardingConfig(env: Record<string, string | undefined> = process.env): ForwardingConfig {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return {
    allowNonPublic: env.MOSHI_ALLOW_PRIVATE_ENDPOINTS === "true" || (env.MOSHI_ALLOW_PRIVATE_ENDPOINTS !== "false" && env.NODE_ENV !== "production"),
    timeoutMs: number("MOSHI_FORWARD_TIMEOUT_MS", 10_000),
    retryBaseMs: number("MOSHI_FORWARD_RETRY_BASE_MS", 5_000),
    retryCapMs: number("MOSHI_FORWARD_RETRY_CAP_MS", 4 * HOUR),
    windowMs: number("MOSHI_FORWARD_WINDOW_MS", 24 * HOUR),
    leaseMs: number("MOSHI_FORWARD_LEASE_MS", 60_000),
    sweepAfterMs: number("MOSHI_FORWARD_SWEEP_AFTER_MS", 60_000),
    perEndpointConcurrency: Math.max(1, Math.floor(number("MOSHI_FORWARD_ENDPOINT_CONCURRENCY", 4))),
  };
}

/**
 * The delay before retry number `retry` (1 for the first): 5 s, 15 s, 45 s, … 3 h, then every
 * 4 h by default, each ±25 % so that many events failing together do not return together.
 */
export function retryDelayMs(config: Pick<ForwardingConfig, "retryBaseMs" | "retryCapMs">, retry: number, random: number = Math.random()): number {
  const exponential = Math.min(config.retryCapMs, config.retryBaseMs * 3 ** Math.max(0, retry - 1));
  return Math.round(exponential * (0.75 + random * 0.5));
}
