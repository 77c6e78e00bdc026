"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MessageCounts } from "@/lib/data/stats";
import type { Provider } from "@/lib/generated/prisma/enums";
import { chartMargin, countAxisProps, gridProps, timeAxisProps, tooltipProps } from "@/components/charts/time-series";
import type { Bucket } from "@/lib/periods";

/** A provider in the chart: its name and its colour (from its module), at a shade that reads in both themes. */
export type ChartProvider = { provider: Provider; label: string; colour: string };

/** Messages stored per hour or day, stacked by the provider that brought them. */
export function MessagesChart({ data, bucket, providers }: { data: MessageCounts[]; bucket: Bucket; providers: ChartProvider[] }) {
  return (
    <div className="h-64 w-full" role="img" aria-label={describe(data, bucket, providers)}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={chartMargin} accessibilityLayer={false}>
          <CartesianGrid {...gridProps} />
          <XAxis {...timeAxisProps(data.map((d) => d.start), bucket)} />
          <YAxis {...countAxisProps} />
          <Tooltip {...tooltipProps(bucket)} cursor={{ fill: "currentColor", fillOpacity: 0.06 }} />
          {/* Series names in the text colour: orange text on white would be unreadable. */}
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} formatter={(name) => <span className="text-zinc-700 dark:text-zinc-300">{name}</span>} />
          {providers.map(({ provider, label, colour }) => (
            <Bar key={provider} dataKey={provider} name={label} stackId="messages" fill={colour} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The chart's content in words, for screen readers. */
function describe(data: MessageCounts[], bucket: Bucket, providers: ChartProvider[]): string {
  const totals = providers.map(({ provider, label }) => `${label} ${data.reduce((sum, d) => sum + d[provider], 0)}`);
  const multipart = data.reduce((sum, d) => sum + d.multipart, 0);
  return `Messages stored per ${bucket}, by provider: ${totals.join(", ")}; ${multipart} multi-part.`;
}
