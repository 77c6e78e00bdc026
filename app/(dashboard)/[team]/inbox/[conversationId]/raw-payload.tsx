import { readStoredBody } from "@/lib/deliveries/body";
import { ChevronRight, ScrollText } from "lucide-react";
import Link from "next/link";
import type { ThreadMessage } from "@/lib/data/conversations";
import { LocalTime } from "@/components/ui/local-time";

/**
 * The requests a message arrived in, one per part, exactly as stored: what to look at when a
 * message reads wrong. Closed by default; a <details>, so it opens without JS.
 */
export function RawPayload({ team, message }: { team: string; message: ThreadMessage }) {
  const parts = message.parts;
  return (
    <details className="group mt-1 w-full max-w-2xl text-xs">
      <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded-md px-1 py-0.5 font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 [&::-webkit-details-marker]:hidden">
        <ChevronRight className="size-3.5 transition-transform group-open:rotate-90" aria-hidden="true" />
        {parts.length > 1 ? `Raw payloads (${parts.length} parts)` : "Raw payload"}
      </summary>
      <ol className="mt-2 space-y-3">
        {parts.map((part) => (
          <li key={part.partIndex} className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
            {part.delivery ? (
              <>
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-zinc-600 dark:text-zinc-400">
                  {message.partsExpected > 1 && (
                    <span className="font-semibold text-zinc-800 dark:text-zinc-200">
                      Part {part.partIndex} of {message.partsExpected}
                    </span>
                  )}
                  <span className="font-mono font-semibold text-zinc-800 dark:text-zinc-200">{part.delivery.method}</span>
                  <span className="font-mono">{part.delivery.contentType ?? "no content type"}</span>
                  <LocalTime iso={part.delivery.receivedAt.toISOString()} />
                  <Link
                    href={`/${team}/deliveries/${part.delivery.id}`}
                    className="ml-auto inline-flex items-center gap-1 font-medium text-brand-600 hover:underline dark:text-brand-400"
                  >
                    <ScrollText className="size-3.5" aria-hidden="true" />
                    In the delivery log
                  </Link>
                </div>
                {part.udhHex && (
                  <p className="mt-2 text-zinc-600 dark:text-zinc-400">
                    UDH <code className="font-mono text-zinc-800 dark:text-zinc-200">{part.udhHex}</code>
                  </p>
                )}
                {part.delivery.bodyPurgedAt ? (
                  <p className="mt-2 text-zinc-500 dark:text-zinc-400">
                    The raw request was removed on <LocalTime iso={part.delivery.bodyPurgedAt.toISOString()} format="short" /> by the team&rsquo;s retention settings.
                  </p>
                ) : (
                  <>
                    {part.delivery.query && <Block label="Query string" text={decodeForm(part.delivery.query)} />}
                    <Body body={part.delivery.body} contentType={part.delivery.contentType} />
                  </>
                )}
              </>
            ) : (
              <p className="text-zinc-500 dark:text-zinc-400">The request of part {part.partIndex} is no longer stored.</p>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}

function Block({ label, text }: { label: string; text: string | null }) {
  return (
    <div className="mt-2">
      <p className="mb-1 font-medium text-zinc-600 dark:text-zinc-400">{label}</p>
      {text === null ? (
        <p className="text-zinc-500 dark:text-zinc-400 italic">empty</p>
      ) : (
        <pre
          tabIndex={0}
          className="max-h-80 overflow-auto whitespace-pre-wrap rounded-md bg-zinc-50 p-2.5 font-mono text-[11px] leading-relaxed text-zinc-800 ring-1 ring-zinc-200 ring-inset [overflow-wrap:anywhere] dark:bg-zinc-950 dark:text-zinc-200 dark:ring-zinc-800"
        >
          {text}
        </pre>
      )}
    </div>
  );
}

function Body({ body, contentType }: { body: Uint8Array; contentType: string | null }) {
  const stored = readStoredBody(body);
  const { label, text } = readableBody(stored.text, contentType);
  if (stored.hex !== null) return <Block label={`Body (not plain text: ${stored.size} bytes, hex)`} text={stored.hex} />;
  return <Block label={label} text={text} />;
}

/** JSON re-indented (which also turns \uXXXX escapes back into text); form fields one per line. */
function readableBody(body: string, contentType: string | null): { label: string; text: string | null } {
  if (!body) return { label: "Body", text: null };
  const trimmed = body.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { label: "Body (JSON, formatted)", text: JSON.stringify(JSON.parse(trimmed), null, 2) };
    } catch {
      return { label: "Body", text: body };
    }
  }
  if ((contentType ?? "").toLowerCase().includes("application/x-www-form-urlencoded")) {
    return { label: "Body (form fields, decoded)", text: decodeForm(body) };
  }
  return { label: "Body", text: body };
}

function decodeForm(encoded: string): string {
  return [...new URLSearchParams(encoded)].map(([key, value]) => `${key} = ${value}`).join("\n");
}
