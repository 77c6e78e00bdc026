"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MessageCounts } from "@/lib/data/stats";
import type { Provider } from "@/lib/generated/prisma/enums";
import { chartMargin, countAxisProps, gridProps, timeAxisProps, tooltipProps } from "@/components/charts/time-series";
import type { Bucket } from "@/lib/periods";
import { PROVIDER_INFO } from "@/lib/providers";

/** The providers' badge hues (lib/providers.ts), at a shade that reads in both themes. */
const COLORS: Record<Provider, string> = { RAKUTEN: "#e11d48", INFOBIP: "#f97316", VONAGE: "#8b5cf6" };

/** Messages stored per hour or day, stacked by the provider that brought them. */
export function MessagesChart({ data, bucket, providers }: { data: MessageCounts[]; bucket: Bucket; providers: Provider[] }) {
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
          {providers.map((provider) => (
            <Bar key={provider} dataKey={provider} name={PROVIDER_INFO[provider].label} stackId="messages" fill={COLORS[provider]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The chart's content in words, for screen readers. */
function describe(data: MessageCounts[], bucket: Bucket, providers: Provider[]): string {
  const totals = providers.map((p) => `${PROVIDER_INFO[p].label} ${data.reduce((sum, d) => sum + d[p], 0)}`);
  const multipart = data.reduce((sum, d) => sum + d.multipart, 0);
  return `Messages stored per ${bucket}, by provider: ${totals.join(", ")}; ${multipart} multi-part.`;
}
