import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { listAttempts } from "@/lib/forwarding/endpoints";
import { formatMs } from "../endpoint-summary";
import { ResendButton } from "./resend";

type Attempt = Awaited<ReturnType<typeof listAttempts>>["attempts"][number];

/**
 * An endpoint's attempts, newest first: what was sent, what came back, and what happens next.
 * Where the event stands, and the button to send it again, go with its latest attempt only: an
 * older 503 of an event delivered since would otherwise read "503, delivered".
 */
export function AttemptList({ team, endpointId, attempts, canManage }: { team: string; endpointId: string; attempts: Attempt[]; canManage: boolean }) {
  const latest = new Set<string>();
  const seen = new Set<string>();
  for (const attempt of attempts) {
    if (!seen.has(attempt.dispatchId)) latest.add(attempt.id);
    seen.add(attempt.dispatchId);
  }
  return (
    <ul aria-label="Attempts" className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
      {attempts.map((attempt) => (
        <li key={attempt.id} className="space-y-2 px-4 py-3 sm:px-5">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
            <AnswerBadge attempt={attempt} />
            <span className="font-mono text-sm font-medium">{attempt.dispatch.event.type}</span>
            {latest.has(attempt.id) && <DispatchBadge status={attempt.dispatch.status} />}
            <span className="ml-auto flex items-center gap-3 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
              <span>{formatMs(attempt.durationMs)}</span>
              <LocalTime iso={attempt.startedAt.toISOString()} />
            </span>
          </div>
          {attempt.error && <p className="text-sm text-red-700 wrap-anywhere dark:text-red-300">{attempt.error}</p>}
          {attempt.nextAttemptAt && (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              Next try <LocalTime iso={attempt.nextAttemptAt.toISOString()} />
            </p>
          )}
          <div className="flex flex-wrap items-start justify-between gap-2">
            {attempt.responseBody ? (
              <details className="group min-w-0 flex-1 text-xs">
                <summary className="cursor-pointer font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
                  Response body{attempt.responseBody.length >= 1024 ? " (first KiB)" : ""}
                </summary>
                <pre
                  tabIndex={0}
                  aria-label="Response body"
                  className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap rounded-lg bg-zinc-50 p-3 font-mono text-xs text-zinc-800 wrap-anywhere ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:text-zinc-200 dark:ring-zinc-800"
                >
                  {attempt.responseBody}
                </pre>
              </details>
            ) : (
              <span className="text-xs text-zinc-500 dark:text-zinc-400">{attempt.statusCode === null ? "No response" : "Empty response body"}</span>
            )}
            {canManage && latest.has(attempt.id) && <ResendButton team={team} endpointId={endpointId} dispatchId={attempt.dispatchId} />}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The HTTP status it answered, or that none came. */
function AnswerBadge({ attempt }: { attempt: Attempt }) {
  if (attempt.statusCode === null) return <Badge tone="red">No answer</Badge>;
  return <Badge tone={attempt.succeeded ? "green" : "red"}>HTTP {attempt.statusCode}</Badge>;
}

/** Where the event stands now, across all its attempts. */
function DispatchBadge({ status }: { status: Attempt["dispatch"]["status"] }) {
  switch (status) {
    case "DELIVERED":
      return <Badge tone="green">Event delivered</Badge>;
    case "PENDING":
      return <Badge tone="amber">Event retrying</Badge>;
    case "FAILED":
      return <Badge tone="red">Event failed</Badge>;
  }
}
