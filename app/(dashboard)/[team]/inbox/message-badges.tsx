import { CircleAlert, Layers } from "lucide-react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Encoding, MessageStatus } from "@/lib/generated/prisma/enums";

type PartsInfo = { status: MessageStatus; partsReceived: number; partsExpected: number };

/**
 * How complete a message is: "3 parts" once joined, "2 of 3 received" while parts are on their
 * way, "Incomplete: 2 of 3 arrived" once they are too late. Single SMS get nothing. The compact
 * form is for the inbox, where rows are short.
 */
export function PartsBadge({ status, partsReceived, partsExpected, compact = false }: PartsInfo & { compact?: boolean }) {
  if (status === "INCOMPLETE") {
    return (
      <Badge tone="red">
        <CircleAlert className="size-3" aria-hidden="true" />
        {compact ? `Incomplete · ${partsReceived} of ${partsExpected} parts` : `Incomplete: ${partsReceived} of ${partsExpected} arrived`}
      </Badge>
    );
  }
  if (status === "PARTIAL") {
    return (
      <Badge tone="amber">
        <Layers className="size-3" aria-hidden="true" />
        {partsReceived} of {partsExpected} {compact ? "parts" : "received"}
      </Badge>
    );
  }
  if (partsExpected <= 1) return null;
  return (
    <Badge>
      <Layers className="size-3" aria-hidden="true" />
      {partsExpected} parts
    </Badge>
  );
}

const ENCODINGS = {
  GSM7: { label: "GSM-7", tone: "neutral", title: "Plain SMS alphabet: up to 160 characters per SMS" },
  UCS2: { label: "Unicode", tone: "sky", title: "UCS-2: any script and emoji, up to 70 characters per SMS" },
  BINARY: { label: "Binary", tone: "violet", title: "Binary data (for example a WAP push or SIM update), shown as hex" },
} as const satisfies Record<Encoding, { label: string; tone: BadgeTone; title: string }>;

export function EncodingBadge({ encoding }: { encoding: Encoding }) {
  const info = ENCODINGS[encoding];
  return (
    <span title={info.title}>
      <Badge tone={info.tone}>{info.label}</Badge>
    </span>
  );
}
