import "server-only";
import { randomBytes } from "node:crypto";
import { hashToken } from "@/lib/crypto";
import { notFoundError } from "@/lib/errors";
import type { ApiKeyScope, PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Keys start with a prefix people and secret scanners recognise, then 256 random bits in
 * base64url (43 characters). Only the SHA-256 of the whole key is stored.
 */
export const API_KEY_PREFIX = "moshi_live_";
const SECRET_BYTES = 32;
const API_KEY_PATTERN = /^moshi_live_[A-Za-z0-9_-]{43}$/;

/** `lastUsedAt` is written at most this often per key: a busy key must not write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const apiKeySelect = {
  id: true,
  name: true,
  scope: true,
  hint: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { name: true, email: true } },
} satisfies Prisma.ApiKeySelect;

export type ApiKeySummary = Prisma.ApiKeyGetPayload<{ select: typeof apiKeySelect }>;

/** The team's keys, active ones first, then revoked; newest first within each. */
export async function listApiKeys(prisma: PrismaClient, teamId: string): Promise<ApiKeySummary[]> {
  const keys = await prisma.apiKey.findMany({ where: { teamId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: apiKeySelect });
  return [...keys.filter((key) => !key.revokedAt), ...keys.filter((key) => key.revokedAt)];
}

export type CreateApiKeyOptions = { teamId: string; name: string; scope: ApiKeyScope; createdById: string | null };

/** Creates a key and returns it in clear: the only time it is ever readable. */
export async function createApiKey(prisma: PrismaClient, { teamId, name, scope, createdById }: CreateApiKeyOptions) {
  const secret = `${API_KEY_PREFIX}${randomBytes(SECRET_BYTES).toString("base64url")}`;
  const key = await prisma.apiKey.create({
    data: { teamId, name, scope, createdById, keyHash: hashToken(secret), hint: apiKeyHint(secret) },
    select: apiKeySelect,
  });
  return { key, secret };
}

/** Revokes a key of the team; revoking it again changes nothing. */
export async function revokeApiKey(prisma: PrismaClient, { teamId, keyId, now = new Date() }: { teamId: string; keyId: string; now?: Date }) {
  const { count } = await prisma.apiKey.updateMany({ where: { id: keyId, teamId, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0 && !(await prisma.apiKey.findFirst({ where: { id: keyId, teamId }, select: { id: true } }))) throw notFoundError("API key not found");
}

export type AuthenticatedKey = {
  id: string;
  teamId: string;
  scope: ApiKeyScope;
  lastUsedAt: Date | null;
  /** Whose read state the key reads and marks: its creator while a member of the team, else nobody. */
  readerId: string | null;
};

/**
 * The active key a request presents, or null: a string that cannot be a key is refused without
 * a query, and a revoked key is as good as none. Lookups go by the hash, which is unique.
 */
export async function findActiveApiKey(prisma: PrismaClient, presented: string): Promise<AuthenticatedKey | null> {
  if (!API_KEY_PATTERN.test(presented)) return null;
  const key = await prisma.apiKey.findUnique({
    where: { keyHash: hashToken(presented) },
    select: { id: true, teamId: true, scope: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { id: true, memberships: { select: { teamId: true } } } } },
  });
  if (!key || key.revokedAt) return null;
  const reader = key.createdBy?.memberships.some((m) => m.teamId === key.teamId) ? key.createdBy.id : null;
  return { id: key.id, teamId: key.teamId, scope: key.scope, lastUsedAt: key.lastUsedAt, readerId: reader };
}

/**
 * Records that a key was used, at most once per LAST_USED_RESOLUTION_MS: nothing when the value
 * read is recent, else one UPDATE conditional on that value, so of concurrent requests only one
 * writes.
 */
export async function touchApiKey(prisma: PrismaClient, key: AuthenticatedKey, now = new Date()): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await prisma.apiKey.updateMany({ where: { id: key.id, teamId: key.teamId, lastUsedAt: key.lastUsedAt }, data: { lastUsedAt: now } });
}

/** The prefix's end and the last 4 characters: enough to tell keys apart, nothing to guess with. */
function apiKeyHint(secret: string): string {
  return `live_…${secret.slice(-4)}`;
}
