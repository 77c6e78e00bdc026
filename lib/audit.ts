import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { notFoundError } from "@/lib/errors";
import type { Prisma, PrismaClient, Provider, Role } from "@/lib/generated/prisma/client";
import { describePhoneNumber } from "@/lib/phone";
import { openCredentials } from "@/lib/sms/credentials";

/**
 * The audit log: who changed which of a team's settings, when, and from which address.
 *
 * Entries are only ever added (`recordAudit`); nothing in the app edits or deletes one, and the
 * database refuses it too (the trigger in migration 20261203130000_audit_log): they go only with
 * their team. An entry is written once the change has succeeded, by the action that made it: the
 * data functions run their own statements and transactions (conditional updates, the replay
 * pipeline) on the shared client, so the entry follows the change rather than joining it. A
 * refused action throws before it gets there and leaves no entry. Where the change is a
 * transaction of the action's own (creating a team), the entry is written inside it.
 */

/** Every action code, with the kind the audit page filters by. */
export const AUDIT_ACTIONS = {
  "team.created": "team",
  "team.retention_changed": "team",
  "team.exported": "team",
  "number.created": "numbers",
  "number.updated": "numbers",
  "number.credentials_changed": "numbers",
  "number.credentials_removed": "numbers",
  "number.token_rotated": "numbers",
  "number.url_viewed": "numbers",
  "number.deleted": "numbers",
  "number.test_messages_deleted": "numbers",
  "message.test_deleted": "numbers",
  "endpoint.created": "forwarding",
  "endpoint.updated": "forwarding",
  "endpoint.enabled": "forwarding",
  "endpoint.disabled": "forwarding",
  "endpoint.secret_rotated": "forwarding",
  "endpoint.deleted": "forwarding",
  "api_key.created": "api_keys",
  "api_key.revoked": "api_keys",
  "member.invited": "members",
  "member.invitation_revoked": "members",
  "member.joined": "members",
  "member.role_changed": "members",
  "member.removed": "members",
  "member.left": "members",
  "keyword.named": "keywords",
  "keyword.deleted": "keywords",
  "delivery.accepted_unsigned": "deliveries",
  "delivery.refused_accepted_unsigned": "deliveries",
  "alert.rules_changed": "alerts",
  "alert.channels_changed": "alerts",
  "alert.test_sent": "alerts",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export type AuditKind = (typeof AUDIT_ACTIONS)[AuditAction];

/** The kinds in the order the filter lists them, with their labels. */
export const AUDIT_KINDS: { kind: AuditKind; label: string }[] = [
  { kind: "numbers", label: "Numbers" },
  { kind: "forwarding", label: "Forwarding" },
  { kind: "api_keys", label: "API keys" },
  { kind: "members", label: "Members" },
  { kind: "keywords", label: "Keywords" },
  { kind: "deliveries", label: "Deliveries" },
  { kind: "alerts", label: "Alerts" },
  { kind: "team", label: "Team" },
];

export function actionsOfKind(kind: AuditKind): AuditAction[] {
  return (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((action) => AUDIT_ACTIONS[action] === kind);
}

/** Keys whose value could be a secret: in `details` they may only say what became of it. */
const SECRET_KEY = /secret|token|password|credential|passphrase|private|apikey|api_key|^key$|hash|sealed/i;
const SECRET_MARKERS = new Set(["set", "changed", "removed", "unchanged", "none"]);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const json: z.ZodType<Json> = z.lazy(() => z.union([z.string().max(2000), z.number(), z.boolean(), z.null(), z.array(json).max(100), z.record(z.string(), json)]));

/** Finds a value under a secret-sounding key that is not one of the markers. */
function secretPath(value: Json, path: string[] = []): string | null {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = secretPath(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== "object") return null;
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && !(typeof item === "boolean" || (typeof item === "string" && SECRET_MARKERS.has(item)) || item === null)) return [...path, key].join(".");
    const found = secretPath(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

export const auditEntrySchema = z.object({
  action: z.enum(Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]]),
  target: z.object({ type: z.string().min(1).max(32), id: z.string().max(64).nullable(), label: z.string().max(300).nullable() }),
  summary: z.string().min(1).max(500),
  details: z
    .record(z.string(), json)
    .default({})
    .superRefine((details, context) => {
      const path = secretPath(details);
      if (path) context.addIssue({ code: "custom", path: [path], message: "An audit entry says that a secret changed, never what it is." });
    }),
});

export type AuditEntryInput = z.input<typeof auditEntrySchema>;
export type AuditTarget = AuditEntryInput["target"];

/** Where a request came from; null when nothing trustworthy says (see clientAddress). */
export type RequestOrigin = { ip: string | null; userAgent: string | null };

export type AuditContext = {
  team: { id: string };
  /** Null for what the system does on its own (the demo's seeding). */
  user: { id: string; name: string | null; email: string } | null;
  /** Read from the current request's headers when left out. */
  request?: RequestOrigin;
};

const USER_AGENT_MAX = 256;

/** The address and browser of the request being handled, or nulls outside one (scripts, tests). */
export async function currentRequestOrigin(): Promise<RequestOrigin> {
  let incoming: Headers;
  try {
    incoming = await headers();
  } catch {
    return { ip: null, userAgent: null };
  }
  return { ip: clientAddress(incoming), userAgent: incoming.get("user-agent")?.slice(0, USER_AGENT_MAX) || null };
}

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Appends one entry to the team's audit log, the actor's name and email copied as they are now.
 * The entry is checked first: an unknown action, or a value under a secret-sounding key in its
 * details, is a programming error and throws.
 */
export async function recordAudit(prisma: Db, context: AuditContext, entry: AuditEntryInput): Promise<void> {
  const { action, target, summary, details } = auditEntrySchema.parse(entry);
  const request = context.request ?? (await currentRequestOrigin());
  await prisma.auditEntry.create({
    data: {
      teamId: context.team.id,
      actorId: context.user?.id ?? null,
      actorName: context.user?.name ?? null,
      actorEmail: context.user?.email ?? null,
      action,
      targetType: target.type,
      targetId: target.id,
      targetLabel: target.label,
      summary,
      details: details as Prisma.InputJsonValue,
      ip: request.ip,
      userAgent: request.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    },
    select: { id: true },
  });
}

// ---------------------------------------------------------------------------------------------
// Targets: what an entry names, read before the change (a deleted row cannot be read after).

export function numberLabel({ label, e164 }: { label: string; e164: string }): string {
  return `${label} (${describePhoneNumber(e164).international})`;
}

export async function numberTarget(prisma: PrismaClient, teamId: string, numberId: string) {
  const number = await prisma.phoneNumber.findFirst({ where: { id: numberId, teamId }, select: { id: true, label: true, e164: true, provider: true, credentials: true } });
  if (!number) throw notFoundError("Number not found");
  return { target: { type: "number", id: number.id, label: numberLabel(number) }, number };
}

export async function endpointTarget(prisma: PrismaClient, teamId: string, endpointId: string) {
  const endpoint = await prisma.webhookEndpoint.findFirst({
    where: { id: endpointId, teamId },
    select: { id: true, url: true, description: true, eventTypes: true, phoneNumberIds: true, enabled: true },
  });
  if (!endpoint) throw notFoundError("Endpoint not found");
  return { target: { type: "endpoint", id: endpoint.id, label: endpoint.url }, endpoint };
}

export async function apiKeyTarget(prisma: PrismaClient, teamId: string, keyId: string) {
  const key = await prisma.apiKey.findFirst({ where: { id: keyId, teamId }, select: { id: true, name: true, scope: true, revokedAt: true } });
  if (!key) throw notFoundError("API key not found");
  return { target: { type: "api_key", id: key.id, label: key.name }, key };
}

export function personLabel({ name, email }: { name: string | null; email: string }): string {
  return name ? `${name} (${email})` : email;
}

export async function memberTarget(prisma: PrismaClient, teamId: string, membershipId: string) {
  const member = await prisma.membership.findFirst({ where: { id: membershipId, teamId }, select: { id: true, role: true, user: { select: { id: true, name: true, email: true } } } });
  if (!member) throw notFoundError("Member not found");
  return { target: { type: "member", id: member.user.id, label: personLabel(member.user) }, member };
}

export async function invitationTarget(prisma: PrismaClient, teamId: string, invitationId: string) {
  const invitation = await prisma.invitation.findFirst({ where: { id: invitationId, teamId }, select: { id: true, role: true, expiresAt: true } });
  if (!invitation) throw notFoundError("Invitation not found");
  return { target: { type: "invitation", id: invitation.id, label: `Invitation as ${roleLabel(invitation.role)}` }, invitation };
}

export async function keywordTarget(prisma: PrismaClient, teamId: string, keywordId: string) {
  const keyword = await prisma.teamKeyword.findFirst({ where: { id: keywordId, teamId }, select: { id: true, word: true, label: true, color: true } });
  if (!keyword) throw notFoundError("Keyword not found");
  return { target: { type: "keyword", id: keyword.id, label: keyword.word }, keyword };
}

export async function deliveryTarget(prisma: PrismaClient, teamId: string, deliveryId: string) {
  const delivery = await prisma.delivery.findFirst({ where: { id: deliveryId, teamId }, select: { id: true, receivedAt: true, phoneNumber: { select: { label: true, e164: true } } } });
  if (!delivery) throw notFoundError("Delivery not found");
  return { target: { type: "delivery", id: delivery.id, label: `Delivery to ${numberLabel(delivery.phoneNumber)}` }, delivery };
}

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

/**
 * What saving a number's form did to its credentials, by field name only: `undefined` kept them,
 * `null` removed them, an object replaced them (fields left empty keep their stored values).
 */
export function credentialsChange(
  number: { provider: Provider; credentials: string | null },
  next: Record<string, unknown> | null | undefined,
): { change: "unchanged" | "changed" | "removed" | "set"; fields: string[] } {
  if (next === undefined) return { change: "unchanged", fields: [] };
  if (next === null) return number.credentials ? { change: "removed", fields: [] } : { change: "unchanged", fields: [] };
  const opened = openCredentials(number.provider, number.credentials);
  const before = opened.ok ? opened.value : null;
  if (!before) return { change: "set", fields: Object.keys(next).sort() };
  const fields = [...new Set([...Object.keys(before), ...Object.keys(next)])].filter((field) => JSON.stringify(before[field]) !== JSON.stringify(next[field])).sort();
  return { change: fields.length ? "changed" : "unchanged", fields };
}

/** `{ field: { before, after } }` for the fields that differ. */
export function changedFields<T extends Record<string, Json>>(before: T, after: T): Record<string, { before: Json; after: Json }> {
  const changes: Record<string, { before: Json; after: Json }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}
