/** The reporting periods the statistics and keyword pages offer, in days. */
export const PERIODS = { "24h": 1, "7d": 7, "30d": 30 } as const;
export type Period = keyof typeof PERIODS;

export function periodLabel(period: Period): string {
  return `Last ${period.replace("h", " hours").replace("d", " days")}`;
}

/** Reads `?period=` (7 days by default) and `?number=` (only one of the team's numbers). */
export function resolveReportFilters(query: Record<string, string | string[] | undefined>, numberIds: string[], now = new Date()) {
  const period: Period = typeof query.period === "string" && query.period in PERIODS ? (query.period as Period) : "7d";
  const phoneNumberId = typeof query.number === "string" && numberIds.includes(query.number) ? query.number : null;
  return { period, phoneNumberId, from: new Date(now.getTime() - PERIODS[period] * 86_400_000), to: now };
}
