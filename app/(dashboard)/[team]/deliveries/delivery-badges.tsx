import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DeliveryOutcome } from "@/lib/generated/prisma/enums";
import { OUTCOME_INFO } from "@/lib/deliveries/explain";

export function OutcomeBadge({ outcome }: { outcome: DeliveryOutcome }) {
  const info = OUTCOME_INFO[outcome];
  return <Badge tone={info.tone}>{info.label}</Badge>;
}

/** The HTTP status Moshi answered: green when it stored, amber when it acknowledged and ignored, red when it refused. */
export function StatusBadge({ status, outcome }: { status: number; outcome: DeliveryOutcome }) {
  const tone: BadgeTone = status >= 400 ? "red" : outcome === "IGNORED" ? "amber" : status >= 200 && status < 300 ? "green" : "neutral";
  return (
    <Badge tone={tone} className="font-mono tabular-nums">
      <span className="sr-only">HTTP status </span>
      {status}
    </Badge>
  );
}
