/**
 * A team's alert rules: what each watches, its defaults, and the pure decisions (is this number
 * silent, are these deliveries failing). The evaluation job (evaluate.ts) reads the figures from
 * the database and asks these functions; the page explains the same numbers.
 */

export const ALERT_RULES = ["silent_number", "rejected_rate", "signature_failures", "endpoint_failing"] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_RULE_LABELS: Record<AlertRule, string> = {
  silent_number: "A number goes quiet",
  rejected_rate: "Deliveries are refused",
  signature_failures: "Signatures fail",
  endpoint_failing: "A forwarding endpoint fails",
};

/** What a team's settings hold; no row in the database means exactly these. */
export type AlertRuleSettings = {
  silentEnabled: boolean;
  /** Null: each number's threshold comes from its own traffic (silentThreshold). */
  silentHours: number | null;
  rejectedEnabled: boolean;
  rejectedPercent: number;
  rejectedMinimum: number;
  signatureEnabled: boolean;
  signatureCount: number;
  endpointEnabled: boolean;
  endpointMinutes: number;
};

export const DEFAULT_RULES: AlertRuleSettings = {
  silentEnabled: true,
  silentHours: null,
  rejectedEnabled: true,
  rejectedPercent: 20,
  rejectedMinimum: 10,
  signatureEnabled: true,
  signatureCount: 5,
  endpointEnabled: true,
  endpointMinutes: 15,
};

/** The bounds of every threshold a form accepts. */
export const LIMITS = {
  silentHours: { min: 1, max: 24 * 30 },
  rejectedPercent: { min: 1, max: 100 },
  rejectedMinimum: { min: 1, max: 100_000 },
  signatureCount: { min: 1, max: 100_000 },
  endpointMinutes: { min: 1, max: 24 * 60 },
} as const;

/** The window the rejected and signature rules count over. */
export const RATE_WINDOW_MS = 60 * 60 * 1000;

/** How far back a number's usual traffic is read. */
export const TRAFFIC_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * The automatic silence threshold: three times the number's 90th-percentile gap between
 * messages over the last 14 days, rounded up to whole hours and kept between 2 hours and 7 days.
 * A number with fewer than 5 gaps in that window has no pattern to read: 7 days.
 */
export const SILENT_AUTO = { factor: 3, percentile: 0.9, minGaps: 5, minHours: 2, maxHours: 7 * 24 } as const;

export type Traffic = {
  /** When its last message arrived; null when it never received one. */
  lastAt: Date | null;
  /** Gaps between its consecutive messages in the traffic window, and their 90th percentile. */
  gapCount: number;
  p90GapMs: number | null;
};

export type SilentThreshold = { hours: number; source: "team" | "traffic" | "too_little_traffic" };

export function silentThreshold(settings: Pick<AlertRuleSettings, "silentHours">, traffic: Pick<Traffic, "gapCount" | "p90GapMs">): SilentThreshold {
  if (settings.silentHours !== null) return { hours: settings.silentHours, source: "team" };
  if (traffic.gapCount < SILENT_AUTO.minGaps || traffic.p90GapMs === null) return { hours: SILENT_AUTO.maxHours, source: "too_little_traffic" };
  const hours = Math.ceil((traffic.p90GapMs * SILENT_AUTO.factor) / 3_600_000);
  return { hours: Math.min(SILENT_AUTO.maxHours, Math.max(SILENT_AUTO.minHours, hours)), source: "traffic" };
}

/** How long the number has been silent past its threshold, or null when it is not (or never spoke). */
export function silentFor(threshold: SilentThreshold, lastAt: Date | null, now: Date): number | null {
  if (!lastAt) return null;
  const quiet = now.getTime() - lastAt.getTime();
  return quiet > threshold.hours * 3_600_000 ? quiet : null;
}

/** Whether a number's last hour of deliveries crosses the rejected rule: enough of them, and enough refused. */
export function rejectedCrossed(settings: Pick<AlertRuleSettings, "rejectedPercent" | "rejectedMinimum">, counts: { total: number; rejected: number }): boolean {
  return counts.total >= settings.rejectedMinimum && counts.rejected * 100 >= settings.rejectedPercent * counts.total && counts.rejected > 0;
}

export function signatureCrossed(settings: Pick<AlertRuleSettings, "signatureCount">, failures: number): boolean {
  return failures >= settings.signatureCount;
}

/** An endpoint that Moshi turned off, or that has failed every attempt for the rule's minutes. */
export function endpointCrossed(
  settings: Pick<AlertRuleSettings, "endpointMinutes">,
  endpoint: { enabled: boolean; disabledReason: string | null; failingSince: Date | null },
  now: Date,
): "disabled" | "failing" | null {
  if (!endpoint.enabled) return endpoint.disabledReason ? "disabled" : null;
  if (endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= settings.endpointMinutes * 60_000) return "failing";
  return null;
}

/** "6 days", "5 hours", "40 minutes": a duration as people say it, rounded down. */
export function describeDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (days >= 2) return plural(days, "day");
  if (hours >= 1) return plural(hours, "hour");
  return plural(Math.max(1, minutes), "minute");
}

/** Hours as a threshold reads: "36 hours", "7 days". */
export function describeHours(hours: number): string {
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${hours} hour${hours === 1 ? "" : "s"}`;
}
