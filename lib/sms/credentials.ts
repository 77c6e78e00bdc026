/**
 * A number's credentials: the typed object its provider's module defines (auth token, public
 * key, signature secret and method, …), validated by the module's schema and stored in one
 * column, sealed whole with AES-256-GCM (lib/crypto.ts). The number form is generated from the
 * same schema: each field's title, help text and options come from the module.
 *
 * The column also reads the form a migration writes for numbers saved before credentials were
 * one object: a JSON object whose secret fields are each sealed on their own. Saving the number
 * or `npm run keys:rotate` rewrites it in the sealed form.
 */
import { z } from "zod";
import { encryptSecret, openSecret } from "@/lib/crypto";
import { adapters } from "./registry";
import type { CredentialFieldMeta, Provider } from "./types";

export type Credentials = Record<string, unknown>;

/** A credential field as the number form shows it (plain data, so a client component can take it). */
export type CredentialField = {
  name: string;
  title: string;
  description: string;
  secret: boolean;
  placeholder: string | null;
  /** For a choice: its values and labels, in order. */
  options: { value: string; label: string }[] | null;
};

/** Form inputs are named `credentials.<field>`, so they never collide with the number's own. */
export const CREDENTIAL_INPUT_PREFIX = "credentials.";

type Shape = Record<string, z.ZodType>;

function shapeOf(provider: Provider): Shape {
  const schema = adapters[provider].credentials as unknown as { shape?: Shape };
  return schema.shape ?? {};
}

function metaOf(field: z.ZodType): CredentialFieldMeta | undefined {
  const own = field.meta() as CredentialFieldMeta | undefined;
  if (own?.title) return own;
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : null;
  return inner ? (inner.meta() as CredentialFieldMeta | undefined) : undefined;
}

function enumValues(field: z.ZodType): string[] | null {
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field;
  return inner instanceof z.ZodEnum ? (inner.options as string[]) : null;
}

/** The fields of a provider's credential form, in the schema's order; empty when it does not sign. */
export function credentialFields(provider: Provider): CredentialField[] {
  // Read from the schema once per provider: ingestion asks on every signed request.
  let fields = FIELDS.get(provider);
  if (!fields) {
    fields = readFields(provider);
    FIELDS.set(provider, fields);
  }
  return fields;
}

const FIELDS = new Map<Provider, CredentialField[]>();

function readFields(provider: Provider): CredentialField[] {
  return Object.entries(shapeOf(provider)).map(([name, field]) => {
    const meta = metaOf(field);
    const values = enumValues(field);
    return {
      name,
      title: meta?.title ?? name,
      description: meta?.description ?? "",
      secret: meta?.secret ?? false,
      placeholder: meta?.placeholder ?? null,
      options: values ? values.map((value) => ({ value, label: meta?.options?.[value] ?? value })) : null,
    };
  });
}

/** What the credentials are called in messages: their secret fields' titles ("auth token"). */
export function credentialsNoun(provider: Provider): string {
  const secrets = credentialFields(provider).filter((field) => field.secret);
  return secrets.length === 1 ? secrets[0]!.title.toLowerCase() : "credentials";
}

export type OpenedCredentials = { ok: true; value: Credentials | null; previousKey: boolean } | { ok: false; reason: string };

/** Opens and validates a number's stored credentials; never throws. Null stored means none. */
export function openCredentials(provider: Provider, stored: string | null): OpenedCredentials {
  if (!stored) return { ok: true, value: null, previousKey: false };
  const noun = credentialsNoun(provider);
  let candidate: unknown;
  let previousKey = false;
  if (stored.startsWith("{")) {
    const fields = parseObject(stored);
    if (!fields) return { ok: false, reason: `The stored ${noun} is damaged: enter it again on the Numbers page.` };
    const secretNames = new Set(credentialFields(provider).filter((field) => field.secret).map((field) => field.name));
    for (const name of secretNames) {
      const sealed = fields[name];
      if (typeof sealed !== "string") continue;
      const opened = openSecret(sealed, { noun });
      if (!opened.ok) return opened;
      previousKey ||= opened.previousKey;
      fields[name] = opened.value;
    }
    candidate = fields;
  } else {
    const opened = openSecret(stored, { noun });
    if (!opened.ok) return opened;
    previousKey = opened.previousKey;
    candidate = parseObject(opened.value);
  }
  const parsed = adapters[provider].credentials.safeParse(withoutNulls(candidate));
  if (!parsed.success) {
    return { ok: false, reason: `The stored ${noun} no longer passes the provider's checks (${parsed.error.issues[0]?.message ?? "invalid"}): enter it again on the Numbers page.` };
  }
  const value = parsed.data as Credentials;
  return { ok: true, value: Object.values(value).some((v) => v !== undefined) ? value : null, previousKey };
}

/**
 * Seals credentials for storage; null when none of their fields is set. Throws when the server's
 * encryption key is missing or invalid (see lib/crypto.ts).
 */
export function sealCredentials(value: Credentials | null): string | null {
  if (!value) return null;
  const set = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  return Object.keys(set).length > 0 ? encryptSecret(JSON.stringify(set)) : null;
}

export type CredentialsInput = { ok: true; value: Credentials | null } | { ok: false; fieldErrors: Record<string, string> };

/**
 * Reads the credential fields of a submitted number form (`credentials.<field>` inputs) with the
 * provider's schema. A secret left empty keeps the stored one; every field empty means none.
 */
export function readCredentialsInput(provider: Provider, input: Record<string, unknown>, current: Credentials | null = null): CredentialsInput {
  const fields = credentialFields(provider);
  const draft: Record<string, string | undefined> = {};
  for (const field of fields) {
    const raw = input[CREDENTIAL_INPUT_PREFIX + field.name];
    const typed = typeof raw === "string" ? raw.trim() : "";
    const kept = field.secret && typed === "" && typeof current?.[field.name] === "string" ? (current[field.name] as string) : undefined;
    draft[field.name] = typed === "" ? kept : typed;
  }
  if (Object.values(draft).every((value) => value === undefined)) return { ok: true, value: null };
  const parsed = adapters[provider].credentials.safeParse(draft);
  if (parsed.success) return { ok: true, value: parsed.data as Credentials };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? fields[0]?.name ?? "");
    fieldErrors[CREDENTIAL_INPUT_PREFIX + name] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}

/** What a number's card and edit form may show of its credentials: non-secret values, and which secrets are set. */
export type CredentialsSummary =
  | { state: "none" }
  | { state: "set"; values: Record<string, string>; secretsSet: string[] }
  | { state: "unreadable"; reason: string };

export function summarizeCredentials(provider: Provider, stored: string | null): CredentialsSummary {
  const opened = openCredentials(provider, stored);
  if (!opened.ok) return { state: "unreadable", reason: opened.reason };
  if (!opened.value) return { state: "none" };
  const values: Record<string, string> = {};
  const secretsSet: string[] = [];
  for (const field of credentialFields(provider)) {
    const value = opened.value[field.name];
    if (typeof value !== "string" || value === "") continue;
    if (field.secret) secretsSet.push(field.name);
    else values[field.name] = value;
  }
  return { state: "set", values, secretsSet };
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function withoutNulls(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}
