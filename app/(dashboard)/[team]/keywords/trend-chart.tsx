"use client";

import Link from "next/link";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { KeywordTrendPoint } from "@/lib/data/keywords";
import { chartMargin, countAxisProps, gridProps, timeAxisProps, tooltipProps } from "@/components/charts/time-series";
import { type Bucket, formatBucketInFull } from "@/lib/periods";

/**
 * Hourly or daily use of the top keywords over the period, each line in its keyword's colour (a
 * CSS colour that follows the theme, the ink of the keyword's chip). The legend sits outside the
 * chart's image, as links, so each keyword opens its conversations from the keyboard too. The
 * chart is one image with its content in words: recharts' own keyboard layer would add a nameless
 * stop inside it.
 */
export function KeywordTrendChart({ data, bucket, keywords }: { data: KeywordTrendPoint[]; bucket: Bucket; keywords: { keyword: string; href: string; color: string }[] }) {
  return (
    <div>
      <div className="h-64 w-full" role="img" aria-label={describe(data, bucket, keywords.map((k) => k.keyword))}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={chartMargin} accessibilityLayer={false}>
            <CartesianGrid {...gridProps} />
            <XAxis {...timeAxisProps(data.map((d) => d.start), bucket)} />
            <YAxis {...countAxisProps} />
            <Tooltip {...tooltipProps(bucket)} />
            {keywords.map(({ keyword, color }) => (
              // An accessor rather than a string key: a keyword such as "STOP." would read as a path.
              <Line
                key={keyword}
                type="linear"
                name={keyword}
                dataKey={(row: KeywordTrendPoint) => row.counts[keyword]}
                stroke={color}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ul aria-label="Keywords in the chart" className="mt-3 flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs">
        {keywords.map(({ keyword, href, color }) => (
          <li key={keyword}>
            <Link
              href={href}
              aria-label={`Open conversations with keyword ${keyword}`}
              className="inline-flex items-center gap-1.5 rounded px-1 py-0.5 font-mono hover:bg-zinc-100 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500 dark:hover:bg-zinc-800"
            >
              <span aria-hidden="true" className="size-2.5 rounded-full" style={{ backgroundColor: color }} />
              {keyword}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The chart's content in words, for screen readers: each keyword's total and its busiest bucket. */
function describe(data: KeywordTrendPoint[], bucket: Bucket, keywords: string[]): string {
  const lines = keywords.map((keyword) => {
    const total = data.reduce((sum, d) => sum + (d.counts[keyword] ?? 0), 0);
    const busiest = data.reduce((best, d) => ((d.counts[keyword] ?? 0) > (best?.counts[keyword] ?? 0) ? d : best), data[0]);
    const peak = busiest?.counts[keyword] ? `, most ${bucket === "hour" ? "at" : "on"} ${formatBucketInFull(busiest.start, bucket)} (${busiest.counts[keyword]})` : "";
    return `${keyword} ${total} in total${peak}`;
  });
  return `${bucket === "hour" ? "Hourly" : "Daily"} use of ${keywords.join(", ")}: ${lines.join("; ")}.`;
}
