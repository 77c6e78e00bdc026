"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MessageCounts } from "@/lib/data/stats";
import type { Provider } from "@/lib/generated/prisma/enums";
import { type Bucket, formatBucket, formatBucketInFull, listAxisTicks } from "@/lib/periods";
import { PROVIDER_INFO } from "@/lib/providers";

/** The providers' badge hues (lib/providers.ts), at a shade that reads in both themes. */
const COLORS: Record<Provider, string> = { RAKUTEN: "#e11d48", INFOBIP: "#f97316", VONAGE: "#8b5cf6" };

/** Messages stored per hour or day, stacked by the provider that brought them. */
export function MessagesChart({ data, bucket, providers }: { data: MessageCounts[]; bucket: Bucket; providers: Provider[] }) {
  return (
    <div className="h-64 w-full" role="img" aria-label={describe(data, bucket, providers)}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.12} />
          <XAxis
            dataKey="start"
            ticks={listAxisTicks(data.map((d) => d.start), bucket)}
            tickFormatter={(key: string) => formatBucket(key, bucket)}
            minTickGap={12}
            tickLine={false}
            axisLine={false}
            fontSize={12}
            stroke="currentColor"
            strokeOpacity={0.6}
          />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} stroke="currentColor" strokeOpacity={0.6} />
          <Tooltip
            labelFormatter={(key) => formatBucketInFull(String(key), bucket)}
            cursor={{ fill: "currentColor", fillOpacity: 0.06 }}
            contentStyle={{ borderRadius: 8, border: "1px solid rgba(113,113,122,.3)", fontSize: 12 }}
          />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
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
