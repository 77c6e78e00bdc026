"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DeliveryCounts } from "@/lib/data/stats";
import { chartMargin, countAxisProps, gridProps, timeAxisProps, tooltipProps } from "@/components/charts/time-series";
import { type Bucket, formatBucketInFull } from "@/lib/periods";

const SERIES = [
  { key: "stored", label: "Stored", color: "#6366f1" },
  { key: "duplicates", label: "Retries absorbed", color: "#38bdf8" },
  { key: "ignored", label: "Ignored", color: "#f59e0b" },
  { key: "rejected", label: "Rejected", color: "#ef4444" },
] as const;

/**
 * Deliveries per hour or day, stacked by what Moshi did with them. The chart is one image with
 * its content in words: recharts' own keyboard layer would add a nameless stop inside it.
 */
export function DeliveriesChart({ data, bucket }: { data: DeliveryCounts[]; bucket: Bucket }) {
  return (
    <div className="h-72 w-full" role="img" aria-label={describe(data, bucket)}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={chartMargin} accessibilityLayer={false}>
          <CartesianGrid {...gridProps} />
          <XAxis {...timeAxisProps(data.map((d) => d.start), bucket)} />
          <YAxis {...countAxisProps} />
          <Tooltip {...tooltipProps(bucket)} cursor={{ fill: "currentColor", fillOpacity: 0.06 }} />
          {/* Series names in the text colour: amber and sky text on white would be unreadable. */}
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} formatter={(name) => <span className="text-zinc-700 dark:text-zinc-300">{name}</span>} />
          {SERIES.map((series) => (
            <Bar key={series.key} dataKey={series.key} name={series.label} stackId="deliveries" fill={series.color} radius={0} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The chart's content in words, for screen readers: totals per series and the busiest bucket. */
function describe(data: DeliveryCounts[], bucket: Bucket): string {
  const total = data.reduce((sum, d) => sum + d.deliveries, 0);
  const series = SERIES.map((s) => `${s.label.toLowerCase()} ${data.reduce((sum, d) => sum + d[s.key], 0)}`).join(", ");
  const busiest = data.reduce((best, d) => (d.deliveries > (best?.deliveries ?? -1) ? d : best), data[0]);
  return `Deliveries per ${bucket}: ${total} in total${busiest && busiest.deliveries ? `, most ${bucket === "hour" ? "at" : "on"} ${formatBucketInFull(busiest.start, bucket)} (${busiest.deliveries})` : ""}; ${series}.`;
}
