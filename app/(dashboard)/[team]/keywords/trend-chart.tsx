"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const COLORS = ["#6366f1", "#10b981", "#f59e0b", "#ef4444", "#0ea5e9"];

/** Daily use of the top keywords over the period. */
export function KeywordTrendChart({ data, keywords }: { data: Record<string, number | string>[]; keywords: string[] }) {
  const rows = data.map((d) => ({ ...d, label: new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${d.day}T00:00:00Z`)) }));
  return (
    <div className="h-64 w-full" role="img" aria-label={`Daily use of ${keywords.join(", ")}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.12} />
          <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={12} stroke="currentColor" strokeOpacity={0.6} />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={12} stroke="currentColor" strokeOpacity={0.6} />
          <Tooltip contentStyle={{ borderRadius: 8, border: "1px solid rgba(113,113,122,.3)", fontSize: 12 }} />
          <Legend iconType="circle" wrapperStyle={{ fontSize: 12 }} />
          {keywords.map((keyword, i) => (
            <Line key={keyword} type="linear" dataKey={keyword} stroke={COLORS[i % COLORS.length]} strokeWidth={2} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
