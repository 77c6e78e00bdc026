import { FlaskConical, Hash, TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import type { ThreadMessage } from "@/lib/data/conversations";
import { keywordTone } from "@/lib/keywords";
import { LocalTime } from "@/components/ui/local-time";
import { EncodingBadge, PartsBadge } from "../message-badges";
import { DeleteTestMessage } from "./delete-test-message";
import { RawPayload } from "./raw-payload";

export type NamedKeyword = { label: string; color: string };

/**
 * One incoming message as a chat bubble on the left, with what a reader may need to trust it
 * underneath: when, how many parts, which encoding, its keyword, whether it is a test, decoding
 * warnings, and the raw requests behind a toggle. Owners and admins can delete a test message.
 */
export function MessageBubble({ team, message, named, canManage = false }: { team: string; message: ThreadMessage; named: NamedKeyword | null; canManage?: boolean }) {
  const missing = message.status !== "COMPLETE";
  return (
    <div className="flex flex-col items-start gap-1.5">
      <div
        className={cn(
          "max-w-[min(40rem,92%)] rounded-2xl rounded-bl-md border px-4 py-2.5 shadow-sm",
          missing
            ? "border-dashed border-amber-400 bg-amber-50/60 dark:border-amber-500/60 dark:bg-amber-500/10"
            : "border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900",
        )}
      >
        <MessageBody message={message} />
      </div>

      <div className="flex flex-wrap items-center gap-1.5 pl-1 text-xs text-zinc-500 dark:text-zinc-400">
        <LocalTime iso={message.receivedAt.toISOString()} className="mr-1 tabular-nums" />
        <PartsBadge {...message} />
        <EncodingBadge encoding={message.encoding} />
        {message.isTest && (
          <span title="Sent with the Numbers page's Test button: left out of statistics, keywords and exports">
            <Badge tone="violet">
              <FlaskConical className="size-3" aria-hidden="true" />
              Test
            </Badge>
          </span>
        )}
        {message.isTest && canManage && <DeleteTestMessage team={team} messageId={message.id} />}
        {message.keyword && (
          <span title={named ? `Keyword ${message.keyword}` : "The message's keyword: its first meaningful word"} className="flex min-w-0 max-w-full">
            <Badge tone={named ? keywordTone(named.color) : "neutral"} className="max-w-full">
              <Hash className="size-3 shrink-0" aria-hidden="true" />
              <span className="truncate">{named ? `${named.label} · ${message.keyword}` : message.keyword}</span>
            </Badge>
          </span>
        )}
      </div>

      {message.warnings.length > 0 && (
        <ul className="space-y-0.5 pl-1 text-xs text-amber-800 dark:text-amber-300">
          {message.warnings.map((warning, i) => (
            <li key={i} className="flex items-start gap-1.5">
              <TriangleAlert className="mt-0.5 size-3.5 shrink-0" aria-hidden="true" />
              <span>{warning}</span>
            </li>
          ))}
        </ul>
      )}

      <RawPayload team={team} message={message} />
    </div>
  );
}

function MessageBody({ message }: { message: ThreadMessage }) {
  if (message.encoding === "BINARY" || (message.text === null && message.binaryHex !== null)) {
    const hex = message.binaryHex ?? "";
    return (
      <div className="space-y-1.5">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Binary message · {hex.length / 2} bytes</p>
        <p className="font-mono text-xs leading-relaxed break-all text-zinc-800 dark:text-zinc-200">{hex.toUpperCase().match(/../g)?.join(" ") || "—"}</p>
      </div>
    );
  }
  if (message.text === null || message.text === "") {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400 italic">{message.text === "" ? "Empty message" : "No text yet"}</p>;
  }
  return (
    // Customers paste URLs and tracking numbers without spaces: those must wrap too.
    <p className="text-[15px] leading-relaxed whitespace-pre-wrap text-zinc-900 [overflow-wrap:anywhere] dark:text-zinc-100">{message.text}</p>
  );
}
