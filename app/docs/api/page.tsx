import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/logo";
import { DEFAULT_LIMIT, MAX_LIMIT } from "@/lib/api/schemas";
import { API_BASE, DEFAULT_RATE_LIMIT } from "@/lib/api/endpoint";
import { openApiDocument } from "@/lib/api/openapi";
import { PROBLEM_KINDS, PROBLEM_TYPE_BASE } from "@/lib/api/problem";
import { buildReference, type ReferenceField, type ReferenceOperation } from "@/lib/api/reference";
import { requestOrigin } from "@/lib/origin";

export const metadata: Metadata = { title: "REST API reference" };

// GET /docs/api - the REST API's reference, public, read from the OpenAPI document
export default async function ApiReferencePage() {
  const { groups, schemas } = buildReference(openApiDocument());
  const origin = await originForExamples();
  const schemaNames = new Set(schemas.map((schema) => schema.name));
  return (
    <div className="min-h-dvh">
      <header className="border-b border-zinc-200 bg-white/80 dark:border-zinc-800 dark:bg-zinc-950/80">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-4 sm:px-6">
          <Link href="/" aria-label="Moshi home">
            <Logo />
          </Link>
          <a href={`${API_BASE}/openapi.json`} className="text-sm font-medium text-brand-700 underline underline-offset-2 dark:text-brand-300">
            OpenAPI document
          </a>
        </div>
      </header>
      <div className="mx-auto max-w-6xl gap-10 px-4 py-10 sm:px-6 lg:grid lg:grid-cols-[13rem_minmax(0,1fr)]">
        <nav aria-label="On this page" className="hidden lg:block">
          <div className="sticky top-6 space-y-4 text-sm">
            <TocList title="Overview" items={[["authentication", "Authentication"], ["pagination", "Pagination"], ["errors", "Errors"], ["rate-limit", "Rate limit"]]} />
            {groups.map((group) => (
              <TocList key={group.tag} title={group.tag} items={group.operations.map((operation) => [operation.id, operation.summary])} />
            ))}
            <TocList title="Objects" items={schemas.map((schema) => [`schema-${schema.name}`, schema.name])} />
          </div>
        </nav>
        <main className="min-w-0 space-y-14">
          <section className="space-y-4">
            <h1 className="text-3xl font-semibold tracking-tight">REST API reference</h1>
            <p className="max-w-3xl text-zinc-600 dark:text-zinc-400">
              Read a team&apos;s messages, conversations, numbers, delivery log, forwarded events and endpoint attempts over HTTPS, as JSON. Every route is under{" "}
              <Code>{API_BASE}</Code>; the machine-readable description is the{" "}
              <a className="font-medium text-brand-700 underline underline-offset-2 dark:text-brand-300" href={`${API_BASE}/openapi.json`}>
                OpenAPI 3.1 document
              </a>
              .
            </p>
          </section>

          <Section id="authentication" title="Authentication">
            <p>
              Owners and admins create keys on their team&apos;s <strong>API keys</strong> page. A key is shown once: Moshi keeps only its SHA-256. Send it with
              every request:
            </p>
            <Pre>{`curl -H "Authorization: Bearer $MOSHI_API_KEY" "${origin}${API_BASE}/messages?limit=10"`}</Pre>
            <p>
              A key reads its own team only: another team&apos;s ids answer 404, exactly like ids that do not exist. <strong>Read-only</strong> keys call every GET
              route; <strong>read-and-write</strong> keys may also mark conversations read. A missing, malformed, unknown or revoked key gets 401; a read-only
              key on a write route gets 403.
            </p>
          </Section>

          <Section id="pagination" title="Pagination">
            <p>
              Lists answer <Code>{`{ "data": [...], "nextCursor": "…" | null }`}</Code>, newest first. Pass <Code>nextCursor</Code> back as <Code>cursor</Code> for
              the next page; it is null on the last. <Code>limit</Code> is {DEFAULT_LIMIT} unless given, at most {MAX_LIMIT}. Pages do not shift when new rows
              arrive: each starts right after the last item of the one before.
            </p>
          </Section>

          <Section id="errors" title="Errors">
            <p>
              Every error is an RFC 9457 problem document, <Code>application/problem+json</Code>, with <Code>type</Code>, <Code>title</Code>,{" "}
              <Code>status</Code> and <Code>detail</Code>; invalid parameters are listed one by one in <Code>errors</Code>:
            </p>
            <Pre>
              {JSON.stringify(
                {
                  type: `${PROBLEM_TYPE_BASE}${PROBLEM_KINDS.INVALID.slug}`,
                  title: PROBLEM_KINDS.INVALID.title,
                  status: 400,
                  detail: "Invalid query: limit.",
                  errors: [{ parameter: "limit", detail: `Give at most ${MAX_LIMIT}.` }],
                },
                null,
                2,
              )}
            </Pre>
            <dl className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              {Object.values(PROBLEM_KINDS).map((kind) => (
                <div key={kind.slug} id={`problem-${kind.slug}`} className="scroll-mt-6 gap-4 px-4 py-3 sm:grid sm:grid-cols-[12rem_1fr]">
                  <dt className="font-medium">
                    <span className="tabular-nums">{kind.status}</span> {kind.title}
                  </dt>
                  <dd className="text-zinc-600 dark:text-zinc-400">
                    <Markdownish text={kind.explanation} />
                  </dd>
                </div>
              ))}
            </dl>
          </Section>

          <Section id="rate-limit" title="Rate limit">
            <p>
              Each key may make {DEFAULT_RATE_LIMIT} requests a minute. Past that, requests answer 429 with <Code>Retry-After</Code>: the seconds until the next
              minute starts.
            </p>
          </Section>

          {groups.map((group) => (
            <section key={group.tag} aria-labelledby={`tag-${group.tag}`} className="space-y-8">
              <h2 id={`tag-${group.tag}`} className="border-b border-zinc-200 pb-2 text-xl font-semibold dark:border-zinc-800">
                {group.tag}
              </h2>
              {group.operations.map((operation) => (
                <OperationEntry key={operation.id} operation={operation} origin={origin} schemaNames={schemaNames} />
              ))}
            </section>
          ))}

          <section aria-labelledby="objects" className="space-y-8">
            <h2 id="objects" className="border-b border-zinc-200 pb-2 text-xl font-semibold dark:border-zinc-800">
              Objects
            </h2>
            {schemas.map((schema) => (
              <article key={schema.name} id={`schema-${schema.name}`} aria-labelledby={`schema-${schema.name}-title`} className="scroll-mt-6 space-y-3">
                <h3 id={`schema-${schema.name}-title`} className="font-mono text-base font-semibold">
                  {schema.name}
                </h3>
                {schema.description && (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    <Markdownish text={schema.description} />
                  </p>
                )}
                {schema.fields.length > 0 ? (
                  <FieldTable caption={`Fields of ${schema.name}`} fields={schema.fields} schemaNames={schemaNames} />
                ) : (
                  <p className="text-sm">
                    One of: <TypeText type={schema.type} schemaNames={schemaNames} />
                  </p>
                )}
              </article>
            ))}
          </section>
        </main>
      </div>
    </div>
  );
}

function OperationEntry({ operation, origin, schemaNames }: { operation: ReferenceOperation; origin: string; schemaNames: Set<string> }) {
  const query = operation.parameters.filter((parameter) => parameter.in === "query");
  const example = `curl${operation.method === "GET" ? "" : ` -X ${operation.method}`} -H "Authorization: Bearer $MOSHI_API_KEY" "${origin}${operation.path.replace("{id}", "<id>")}"`;
  return (
    <article id={operation.id} aria-labelledby={`${operation.id}-title`} className="scroll-mt-6 space-y-3">
      <h3 id={`${operation.id}-title`} className="text-base font-semibold">
        {operation.summary}
      </h3>
      <p className="flex flex-wrap items-center gap-2 font-mono text-sm">
        <span
          className={
            operation.method === "GET"
              ? "rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-semibold text-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-300"
              : "rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900 dark:bg-amber-500/15 dark:text-amber-300"
          }
        >
          {operation.method}
        </span>
        <span className="break-all">{operation.path}</span>
      </p>
      {operation.description && (
        <div className="space-y-2 text-sm text-zinc-600 dark:text-zinc-400">
          {operation.description.split("\n\n").map((paragraph) => (
            <p key={paragraph}>
              <Markdownish text={paragraph} />
            </p>
          ))}
        </div>
      )}
      {operation.parameters.some((parameter) => parameter.in === "path") && (
        <p className="text-sm">
          <Code>id</Code>: {operation.parameters.find((parameter) => parameter.in === "path")?.description}
        </p>
      )}
      {query.length > 0 && <FieldTable caption={`Query parameters of ${operation.summary}`} fields={query} schemaNames={schemaNames} showRequired={false} />}
      <p className="text-sm">
        <span className="font-medium">200:</span> <TypeText type={operation.response} schemaNames={schemaNames} />
      </p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Errors:{" "}
        {operation.errors.map((error, index) => (
          <span key={error.status}>
            {index > 0 && ", "}
            <a className="underline underline-offset-2" href={`#problem-${problemSlug(error.status)}`}>
              {error.status}
            </a>
          </span>
        ))}
      </p>
      <Pre>{example}</Pre>
    </article>
  );
}

function FieldTable({ caption, fields, schemaNames, showRequired = true }: { caption: string; fields: ReferenceField[]; schemaNames: Set<string>; showRequired?: boolean }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
      <table className="w-full min-w-[36rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-900/60 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Type
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Description
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {fields.map((field) => (
            <tr key={field.name}>
              <th scope="row" className="whitespace-nowrap px-3 py-2 align-top font-mono text-xs font-medium">
                {field.name}
                {showRequired && !field.required && <span className="font-sans font-normal text-zinc-500 dark:text-zinc-400"> (optional)</span>}
              </th>
              <td className="px-3 py-2 align-top font-mono text-xs">
                <TypeText type={field.type} schemaNames={schemaNames} />
              </td>
              <td className="px-3 py-2 align-top text-zinc-600 dark:text-zinc-400">
                {field.description && <Markdownish text={field.description} />}
                {field.defaultValue && <span> Default: {field.defaultValue}.</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A type with the names of objects linked to their description. */
function TypeText({ type, schemaNames }: { type: string; schemaNames: Set<string> }) {
  const parts = type.split(/(\b[A-Z][A-Za-z]+\b)/);
  return (
    <code className="font-mono text-xs">
      {parts.map((part, index) =>
        schemaNames.has(part) ? (
          <a key={index} href={`#schema-${part}`} className="text-brand-700 underline underline-offset-2 dark:text-brand-300">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </code>
  );
}

/** Descriptions use `code` spans and nothing else. */
function Markdownish({ text }: { text: string }) {
  return text.split(/(`[^`]+`)/).map((part, index) => (part.startsWith("`") && part.endsWith("`") ? <Code key={index}>{part.slice(1, -1)}</Code> : part));
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-6 space-y-3 text-sm leading-relaxed text-zinc-700 dark:text-zinc-300">
      <h2 id={`${id}-title`} className="text-xl font-semibold text-zinc-900 dark:text-zinc-100">
        {title}
      </h2>
      {children}
    </section>
  );
}

function TocList({ title, items }: { title: string; items: [string, string][] }) {
  return (
    <div>
      <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</p>
      <ul>
        {items.map(([id, label]) => (
          <li key={id}>
            <a href={`#${id}`} className="block py-1 text-zinc-700 hover:text-zinc-950 hover:underline dark:text-zinc-300 dark:hover:text-white">
              {label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">{children}</code>;
}

function Pre({ children }: { children: ReactNode }) {
  return (
    <pre tabIndex={0} className="overflow-x-auto rounded-xl bg-zinc-950 p-4 font-mono text-xs leading-relaxed text-zinc-100">
      {children}
    </pre>
  );
}

function problemSlug(status: string): string {
  return Object.values(PROBLEM_KINDS).find((kind) => String(kind.status) === status)?.slug ?? "internal";
}

/** The examples' host: this server's public address when it can tell, else a placeholder. */
async function originForExamples(): Promise<string> {
  try {
    return await requestOrigin();
  } catch {
    return "https://moshi.example.com";
  }
}
