/**
 * Thirty days of inbound traffic for the demo team, described as the provider requests that
 * would have carried it. Nothing here touches the database: `seedDemo` (lib/demo.ts) pushes
 * every request through the real ingestion pipeline at its planned time, so each message has
 * the delivery it came in, retries are absorbed, long messages are joined from their parts and
 * refusals are logged with their reasons, exactly as for a provider's traffic.
 *
 * This file is the engine: a seeded generator, senders, the daily rhythm, threads, messages and
 * hand-made requests. Each provider tells its own story in its folder
 * (`lib/sms/providers/<name>/demo.ts`, the module's `demo`): its number, and what arrived on it
 * over the month. The stories run in the registry's order on one generator, so the demo reads
 * the same every time; times are relative to `now`, on each number's local daily rhythm.
 */
import { isGsm7Text } from "@/lib/sms/decode";
import { adapters, PROVIDERS } from "@/lib/sms/registry";
import { buildDeliveries, type SimulatedMessage, type SimulatedRequest } from "@/lib/sms/simulate";
import type { Provider } from "@/lib/sms/types";

/**
 * A provider's part of the demo (its module's `demo`): the number the demo team rents from it,
 * and the story of its month.
 */
export type ProviderDemo = {
  /** The number, in a fictional or test range (E.164). */
  e164: string;
  label: string;
  /** Stored with the number; none when the provider does not sign. */
  credentials?: Record<string, unknown>;
  /**
   * What the simulator signs with, when it is not what is stored: a provider that signs with a
   * private key has only its public half stored.
   */
  signWith?: Record<string, unknown>;
  /** The number's local time (hours from UTC), for the daily rhythm. */
  utcOffset: number;
  /** How long the provider waits before sending again what got no answer in time (ms, from and below); 30 s to 2 min by default. */
  retryDelayMs?: readonly [number, number];
  /** The number's month: its threads, messages, retries and refusals. */
  plan(plan: DemoPlan): void;
};

/** A demo number as the plan needs it: where messages go, and how its provider signs them. */
export type DemoNumber = {
  e164: string;
  /** What requests are signed with (the number's credentials, or its demo's `signWith`). */
  credentials: SimulatedMessage["credentials"];
  /**
   * The URL requests are signed over, for providers that sign it. The webhook token exists only
   * as a hash, so the seeding uses a stand-in and hands the same URL to verification.
   */
  url?: string;
};

/** One request a provider sends to a demo number, and when it arrives. */
export type DemoDelivery = {
  provider: Provider;
  receivedAt: Date;
  request: SimulatedRequest;
  /** What the pipeline answers; seeding stops if it answers anything else. */
  expectedStatus: number;
  /** What the request is in the story, for reading the plan and for errors. */
  note: string;
};

/** Keywords the demo team has named, so they show as labelled chips. */
export const DEMO_KEYWORDS = [
  { word: "SALE", label: "Sale campaign", color: "orange" },
  { word: "WIN", label: "Prize draw", color: "violet" },
  { word: "STOP", label: "Opt-out", color: "red" },
] as const;

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** How many days of traffic the demo has, up to today. */
export const DEMO_DAYS = 30;

/** Conversations whose latest message is older than this have been read: the team works its inbox daily. */
export const DEMO_READ_AFTER_MS = 30 * HOUR;

/** A silent number (see {@link DemoPlan.silence}) has had nothing this long, so its "last message" stands out on Statistics. */
export const DEMO_SILENT_MS = 5 * DAY;
/** The stretch before `now` kept for the messages planned as the newest. */
const QUIET_MS = 15 * 60_000;

const DEMO_SEED = 20_240_917;

/** Every provider with a demo number, in the registry's order. */
export function providerDemos(): { provider: Provider; demo: ProviderDemo }[] {
  return PROVIDERS.flatMap((provider) => {
    const demo = adapters[provider].demo;
    return demo ? [{ provider, demo }] : [];
  });
}

/**
 * Every request of the demo's thirty days, in the order they arrive: the story of each number
 * given, in the registry's order. Deterministic for a given `now` and seed; nothing later than
 * `now` is planned.
 */
export function planDemoTraffic({ now, numbers, seed = DEMO_SEED }: { now: Date; numbers: Partial<Record<Provider, DemoNumber>>; seed?: number }): DemoDelivery[] {
  const demos = providerDemos().filter(({ provider }) => numbers[provider]);
  const plan = new DemoPlan(now, new Map(demos.map(({ provider, demo }) => [provider, { ...numbers[provider]!, demo }])), seededRandom(seed));
  for (const { demo } of demos) demo.plan(plan);
  return plan.finish();
}

/** Where the demo's senders come from. */
export type Country = "JP" | "US" | "UK" | "HR" | "DE" | "FR" | "ES" | "PL" | "KR";

/** A line of a thread; `after: "days"` leaves a day or more before it instead of minutes. */
export type Line = string | { text: string; after: "days" };

export type MessageOptions = {
  /**
   * Planned to be the newest arrival: whatever else the daily rhythm would put in the last
   * {@link QUIET_MS} is left out, so it stays on top at any time of day.
   */
  newest?: boolean;
  /** Part indexes (1-based) that never arrive. */
  missing?: number[];
  /** The order the parts arrive in (1-based indexes). */
  order?: number[];
  /** Parts delivered twice; by default a few messages are, at random, as providers retry. */
  retryParts?: number[];
  /** Signed with these instead of the number's (null: unsigned). */
  credentials?: DemoNumber["credentials"];
  /** One of the module's `formats`; its default otherwise. */
  format?: string;
  expectedStatus?: number;
  note?: string;
};

type PlannedNumber = DemoNumber & { demo: ProviderDemo };

/**
 * The month being planned: what a provider's story calls to put messages and requests on its
 * number. Every draw comes from one seeded generator, in the order the stories make them.
 */
export class DemoPlan {
  /** How many days of traffic the demo has, up to today. */
  readonly days = DEMO_DAYS;
  private readonly deliveries: DemoDelivery[] = [];
  private readonly newest = new Set<DemoDelivery>();
  private readonly taken = new Set<string>();
  private readonly silent = new Set<Provider>();

  constructor(
    readonly now: Date,
    private readonly numbers: ReadonlyMap<Provider, PlannedNumber>,
    /** The seeded generator (values in [0, 1)): for a story's own draws, and for simulators' ids. */
    readonly random: () => number,
  ) {
    // The demo's own numbers never text themselves.
    for (const { e164 } of numbers.values()) this.taken.add(e164);
  }

  /** The provider's demo number: where its requests go, and how they are signed. */
  number(provider: Provider): DemoNumber {
    const number = this.numbers.get(provider);
    if (!number) throw new Error(`Demo traffic: no demo number for ${provider}`);
    return number;
  }

  /** A new sender from a country, in a fictional or test range where the country has one. */
  sender(country: Country): string {
    for (;;) {
      const number = SENDER_FORMATS[country](() => this.digit());
      if (!this.taken.has(number)) {
        this.taken.add(number);
        return number;
      }
    }
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  randomDay(from: number, to: number): number {
    return from + Math.floor(this.random() * (to - from + 1));
  }

  /**
   * A moment on a local day `daysAgo` days before today, at a given local hour or at one picked
   * on the daily rhythm (quiet at night, busy at lunch and in the evening).
   */
  at(provider: Provider, daysAgo: number, hour = this.pickHour(), minute = Math.floor(this.random() * 60)): Date {
    const offset = this.planned(provider).demo.utcOffset * HOUR;
    const localMidnight = Math.floor((this.now.getTime() + offset) / DAY) * DAY;
    return new Date(localMidnight - daysAgo * DAY - offset + hour * HOUR + minute * 60_000 + Math.floor(this.random() * 60_000));
  }

  /** A sender's messages, minutes apart (or days, where a line says so), from `start`. */
  thread(provider: Provider, from: string, lines: Line[], start: Date | number) {
    let at = typeof start === "number" ? this.at(provider, start) : start;
    for (const [i, line] of lines.entries()) {
      const text = typeof line === "string" ? line : line.text;
      if (i > 0) at = new Date(at.getTime() + (typeof line === "string" ? this.replyGap() : this.daysGap()));
      this.message(provider, from, text, at);
    }
  }

  /**
   * The requests the provider's simulator builds for one SMS sent at `sentAt`, split into as
   * many parts as the handset would need (providers that join long messages send one request),
   * signed with the number's credentials unless told otherwise.
   */
  simulate(provider: Provider, from: string, text: string, sentAt: Date, options: Pick<MessageOptions, "credentials" | "format"> = {}): SimulatedRequest[] {
    const number = this.number(provider);
    return buildDeliveries({
      provider,
      from,
      to: number.e164,
      text,
      parts: segments(text),
      ...(options.format ? { format: options.format } : {}),
      credentials: options.credentials === undefined ? number.credentials : options.credentials,
      ...(number.url ? { url: number.url } : {}),
      now: sentAt,
      random: this.random,
    });
  }

  /** One SMS as its provider delivers it: sent at `sentAt`, arriving a few seconds later. */
  message(provider: Provider, from: string, text: string, sentAt: Date, options: MessageOptions = {}) {
    const requests = this.simulate(provider, from, text, sentAt, options);
    const order = (options.order ?? requests.map((_, i) => i + 1)).filter((index) => !options.missing?.includes(index));
    if (order.some((index) => !requests[index - 1]) || options.missing?.some((index) => !requests[index - 1])) {
      throw new Error(`Demo traffic: "${text.slice(0, 30)}…" has ${requests.length} parts, fewer than its plan names`);
    }
    const retried = options.retryParts ?? (this.random() < 0.05 ? [order[0]!] : []);
    let at = sentAt.getTime() + this.lag();
    for (const index of order) {
      const request = requests[index - 1]!;
      const note = options.note ?? (requests.length > 1 ? `part ${index} of ${requests.length}` : "a message");
      const delivery = this.request(provider, new Date(at), request, options.expectedStatus ?? 200, note);
      if (options.newest) this.newest.add(delivery);
      if (retried.includes(index)) this.request(provider, new Date(at + this.retryDelay(provider)), request, options.expectedStatus ?? 200, `${note} (a retry)`);
      at += 400 + Math.floor(this.random() * 2500);
    }
  }

  /**
   * Any request arriving at `receivedAt`: one built by hand for what no simulator builds
   * (broken or misdirected requests, batches, binary messages), or a simulated one delivered
   * late or again.
   */
  request(provider: Provider, receivedAt: Date, request: SimulatedRequest, expectedStatus: number, note: string): DemoDelivery {
    const delivery = { provider, receivedAt, request, expectedStatus, note };
    this.deliveries.push(delivery);
    return delivery;
  }

  /** The provider's number has been silent lately: nothing planned in the last {@link DEMO_SILENT_MS} arrives. */
  silence(provider: Provider) {
    this.silent.add(provider);
  }

  /** Provider timestamp to arrival: a few seconds, now and then much longer. */
  lag(): number {
    return this.random() < 0.06 ? 20_000 + Math.floor(this.random() * 70_000) : 700 + Math.floor(this.random() * 4_500);
  }

  /**
   * The deliveries in arrival order, without any planned after `now`, on a silent number, or in
   * the quiet stretch kept for the newest messages.
   */
  finish(): DemoDelivery[] {
    const now = this.now.getTime();
    const arrived = (d: DemoDelivery) => d.receivedAt.getTime() < now && (this.newest.has(d) || d.receivedAt.getTime() <= now - QUIET_MS);
    return this.deliveries
      .filter((d) => arrived(d) && !(this.silent.has(d.provider) && d.receivedAt.getTime() > now - DEMO_SILENT_MS))
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.receivedAt.getTime() - b.d.receivedAt.getTime() || a.i - b.i)
      .map(({ d }) => d);
  }

  private planned(provider: Provider): PlannedNumber {
    const number = this.numbers.get(provider);
    if (!number) throw new Error(`Demo traffic: no demo number for ${provider}`);
    return number;
  }

  private digit(): string {
    return String(Math.floor(this.random() * 10));
  }

  private pickHour(): number {
    const total = HOURLY_WEIGHTS.reduce((sum, w) => sum + w, 0);
    let roll = this.random() * total;
    for (const [hour, weight] of HOURLY_WEIGHTS.entries()) {
      roll -= weight;
      if (roll < 0) return hour;
    }
    return 12;
  }

  /** How long the provider waits before sending again what got no answer in time. */
  private retryDelay(provider: Provider): number {
    const [from, below] = this.planned(provider).demo.retryDelayMs ?? [30_000, 120_000];
    return from + Math.floor(this.random() * (below - from));
  }

  private replyGap(): number {
    const roll = this.random();
    if (roll < 0.75) return 60_000 + Math.floor(this.random() * 25 * 60_000);
    return HOUR + Math.floor(this.random() * 5 * HOUR);
  }

  private daysGap(): number {
    return DAY + Math.floor(this.random() * 4 * DAY);
  }
}

/** Relative weights of each local hour, 0–23. */
const HOURLY_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4, 4.5, 5, 6, 5.5, 4.5, 4, 4, 4.5, 5.5, 6, 5.5, 4, 2, 0.8];

/** Phone numbers in fictional or test ranges where the country reserves one (US 555-01xx, UK 07700 900xxx, FR 06 39 98). */
const SENDER_FORMATS: Record<Country, (digit: () => string) => string> = {
  JP: (d) => `+81${["90", "80", "70"][Number(d()) % 3]}${repeat(d, 8)}`,
  US: (d) => `+1${["212", "312", "415", "646", "219", "773"][Number(d()) % 6]}55501${repeat(d, 2)}`,
  UK: (d) => `+447700900${repeat(d, 3)}`,
  HR: (d) => `+385${["91", "92", "95", "97", "98", "99"][Number(d()) % 6]}${repeat(d, 7)}`,
  DE: (d) => `+49151${repeat(d, 8)}`,
  FR: (d) => `+3363998${repeat(d, 4)}`,
  ES: (d) => `+346${repeat(d, 8)}`,
  PL: (d) => `+48${["50", "51", "53", "60", "69", "79"][Number(d()) % 6]}${repeat(d, 7)}`,
  KR: (d) => `+8210${repeat(d, 8)}`,
};

/** How many SMS a handset needs for a text: 153 GSM-7 characters or 67 UCS-2 code units per part. */
function segments(text: string): number {
  const [single, part] = isGsm7Text(text) ? [160, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / part);
}

function repeat(digit: () => string, count: number): string {
  return Array.from({ length: count }, digit).join("");
}

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
