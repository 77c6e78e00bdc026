import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import type { DeliveryDetail } from "@/lib/data/deliveries";
import { readStoredBody } from "@/lib/deliveries/body";
import { LocalTime } from "@/components/ui/local-time";

/** The request as it arrived: headers, query string, body, each readable without decoding by hand. */
export function RawRequest({ delivery, teamSlug }: { delivery: DeliveryDetail; teamSlug: string }) {
  if (delivery.bodyPurgedAt) return <PurgedRequest delivery={delivery} purgedAt={delivery.bodyPurgedAt} teamSlug={teamSlug} />;
  const headers = readHeaders(delivery.headers);
  const query = [...new URLSearchParams(delivery.query)];
  const stored = readStoredBody(delivery.body);
  const form = isForm(delivery.contentType) && stored.size ? [...new URLSearchParams(stored.text)] : [];
  const body = prettyBody(stored.text);
  return (
    <Card className="divide-y divide-zinc-200 dark:divide-zinc-800">
      <Section title="Request line">
        <p className="font-mono text-sm wrap-anywhere">
          <span className="font-semibold">{delivery.method}</span>{" "}
          <span className="text-zinc-600 dark:text-zinc-400">
            /api/webhooks/{delivery.provider.toLowerCase()}/&lt;token&gt;{delivery.query ? `?${delivery.query}` : ""}
          </span>
        </p>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">The URL&rsquo;s secret token is never stored.</p>
      </Section>

      <Section title="Headers" count={headers.length}>
        {headers.length ? (
          <KeyValueTable caption="Request headers" rows={headers} />
        ) : (
          <Muted>No headers worth keeping were sent.</Muted>
        )}
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Only headers that help diagnose a delivery are kept; cookies and authorization never are.</p>
      </Section>

      {query.length > 0 && (
        <Section title="Query string" count={query.length}>
          <KeyValueTable caption="Query string, decoded" rows={query} />
        </Section>
      )}

      {form.length > 0 && (
        <Section title="Form fields" count={form.length}>
          <KeyValueTable caption="Form body, decoded" rows={form} />
        </Section>
      )}

      <Section
        title="Body"
        action={stored.size ? <CopyButton value={stored.hex ?? stored.text} label={stored.hex ? "Copy body as hex" : "Copy body"} /> : undefined}
        detail={delivery.contentType ?? "no content type"}
      >
        {stored.hex !== null && (
          <div className="mb-3 space-y-2">
            <p className="text-xs text-amber-800 dark:text-amber-300">
              This body is not plain UTF-8 text (it holds invalid bytes or control characters such as NUL). Below, the text as Moshi read it, with � where it could
              not, and the {stored.size.toLocaleString("en")} bytes exactly as received, in hex.
            </p>
            <pre
              tabIndex={0}
              aria-label="Body bytes, hex"
              className="max-h-48 overflow-auto whitespace-pre-wrap rounded-lg bg-zinc-50 p-3 font-mono text-xs text-zinc-800 wrap-anywhere ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:text-zinc-200 dark:ring-zinc-800"
            >
              {stored.hex}
            </pre>
          </div>
        )}
        {stored.size ? (
          <pre
            tabIndex={0}
            aria-label={body.json ? "Body, formatted JSON" : "Body, as received"}
            className="max-h-[28rem] overflow-auto whitespace-pre-wrap rounded-lg bg-zinc-50 p-3 font-mono text-xs leading-relaxed text-zinc-800 wrap-anywhere ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:text-zinc-200 dark:ring-zinc-800"
          >
            {body.text}
          </pre>
        ) : (
          <Muted>
            {delivery.status === 413
              ? "The body was too large and was not kept."
              : delivery.status === 408
                ? "The body did not arrive in time and was not kept."
                : "The request had no body."}
          </Muted>
        )}
        {body.json && stored.hex === null && <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Formatted for reading; the copy button copies the body exactly as received.</p>}
      </Section>
    </Card>
  );
}

/** What is left once the team's retention cleared the body, headers and query string. */
function PurgedRequest({ delivery, purgedAt, teamSlug }: { delivery: DeliveryDetail; purgedAt: Date; teamSlug: string }) {
  return (
    <Card className="divide-y divide-zinc-200 dark:divide-zinc-800">
      <Section title="Request line">
        <p className="font-mono text-sm wrap-anywhere">
          <span className="font-semibold">{delivery.method}</span>{" "}
          <span className="text-zinc-600 dark:text-zinc-400">/api/webhooks/{delivery.provider.toLowerCase()}/&lt;token&gt;</span>
        </p>
      </Section>
      <Section title="Removed">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          The raw request (headers, query string and body) was removed on <LocalTime iso={purgedAt.toISOString()} format="short" /> by the team&rsquo;s
          retention settings. What Moshi made of it stays: the outcome, the counts above and the messages it stored. Without it, this delivery cannot be
          replayed.
        </p>
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
          <Link href={`/${teamSlug}/settings`} className="font-medium text-brand-600 hover:underline dark:text-brand-400">
            Retention settings
          </Link>
        </p>
      </Section>
    </Card>
  );
}

function Section({ title, count, detail, action, children }: { title: string; count?: number; detail?: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="p-4 sm:p-5">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">
          {title}
          {count !== undefined && <span className="ml-1.5 font-normal text-zinc-500 dark:text-zinc-400">({count})</span>}
          {detail && <span className="ml-2 font-mono text-xs font-normal text-zinc-500 dark:text-zinc-400">{detail}</span>}
        </h3>
        {action}
      </div>
      {children}
    </section>
  );
}

function KeyValueTable({ caption, rows }: { caption: string; rows: [string, string][] }) {
  return (
    <div className="overflow-hidden rounded-lg ring-1 ring-zinc-200 ring-inset dark:ring-zinc-800">
      <table className="w-full table-fixed text-left font-mono text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {rows.map(([name, value], i) => (
            <tr key={`${name}-${i}`} className="align-top">
              <th scope="row" className="w-2/5 bg-zinc-50 px-3 py-2 font-medium text-zinc-600 wrap-anywhere sm:w-56 dark:bg-zinc-950/60 dark:text-zinc-400">
                {name}
              </th>
              <td className="px-3 py-2 whitespace-pre-wrap text-zinc-900 wrap-anywhere dark:text-zinc-100">
                {value === "" ? <span className="text-zinc-500 italic dark:text-zinc-400">empty</span> : value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Muted({ children }: { children: ReactNode }) {
  return <p className="text-sm text-zinc-500 dark:text-zinc-400">{children}</p>;
}

function readHeaders(value: unknown): [string, string][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .sort(([a], [b]) => a.localeCompare(b));
}

function isForm(contentType: string | null): boolean {
  return (contentType ?? "").toLowerCase().includes("application/x-www-form-urlencoded");
}

/** JSON is re-indented; re-serializing also turns \uXXXX escapes back into readable text. */
function prettyBody(body: string): { text: string; json: boolean } {
  const trimmed = body.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return { text: body, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { text: body, json: false };
  }
}
