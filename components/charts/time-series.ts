import { type Bucket, formatBucket, formatBucketInFull, listAxisTicks } from "@/lib/periods";

/**
 * The look every time-series chart shares (hours or days along the bottom, counts up the side,
 * lines and text in the theme's current colour), as props to spread onto recharts' parts.
 */
export const chartMargin = { top: 8, right: 8, bottom: 0, left: -16 };

export const gridProps = { strokeDasharray: "3 3", vertical: false, stroke: "currentColor", strokeOpacity: 0.12 } as const;

const axisText = { tickLine: false, axisLine: false, fontSize: 12, stroke: "currentColor", strokeOpacity: 0.6 } as const;

/** The time axis: bucket keys (see `bucketKey`) as labels, thinned out to what fits. */
export function timeAxisProps(starts: string[], bucket: Bucket) {
  return { dataKey: "start", ticks: listAxisTicks(starts, bucket), tickFormatter: (key: string) => formatBucket(key, bucket), minTickGap: 12, ...axisText };
}

export const countAxisProps = { allowDecimals: false, ...axisText } as const;

export function tooltipProps(bucket: Bucket) {
  return {
    labelFormatter: (key: unknown) => formatBucketInFull(String(key), bucket),
    // In the theme's colours (app/globals.css): recharts' own white box would hold light text,
    // or light lines' names, in the dark theme.
    contentStyle: { borderRadius: 8, border: "1px solid rgba(113,113,122,.3)", fontSize: 12, backgroundColor: "var(--chart-tooltip-bg)", color: "var(--chart-tooltip-fg)" },
  };
}
