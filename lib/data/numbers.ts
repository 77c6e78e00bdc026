import "server-only";
import { encryptSecret, generateToken, hashToken, openSecret } from "@/lib/crypto";
import { AppError, notFoundError } from "@/lib/errors";
import type { PrismaClient, Provider } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { type Credentials, type CredentialsSummary, openCredentials, sealCredentials, summarizeCredentials } from "@/lib/sms/credentials";
import { pathSegmentOf } from "@/lib/sms/registry";
import { encodePosition, olderThan, type Position } from "./keyset";

/** Providers keep retrying old deliveries for 24 hours, so a rotated token lives that long. */
export const TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;

const numberSelect = {
  id: true,
  provider: true,
  e164: true,
  label: true,
  tokenHint: true,
  tokenRotatedAt: true,
  previousTokenExpiresAt: true,
  credentials: true,
  createdAt: true,
} satisfies Prisma.PhoneNumberSelect;

/** A number as pages and the API show it: its credentials summarized, never in clear. */
export type PhoneNumberSummary = Omit<Prisma.PhoneNumberGetPayload<{ select: typeof numberSelect }>, "credentials"> & { credentials: CredentialsSummary };

function summarize({ credentials, ...row }: Prisma.PhoneNumberGetPayload<{ select: typeof numberSelect }>): PhoneNumberSummary {
  return { ...row, credentials: summarizeCredentials(row.provider, credentials) };
}

export async function listNumbers(prisma: PrismaClient, teamId: string): Promise<PhoneNumberSummary[]> {
  return (await prisma.phoneNumber.findMany({ where: { teamId }, orderBy: { createdAt: "asc" }, select: numberSelect })).map(summarize);
}

/**
 * A page of the team's numbers, newest first, keyset-paginated on (createdAt, id): the REST
 * API's list. Webhook tokens and signature secrets are not selected.
 */
export async function listNumbersPage(
  prisma: PrismaClient,
  { teamId, after = null, take = 50 }: { teamId: string; after?: Position | null; take?: number },
): Promise<{ items: PhoneNumberSummary[]; nextCursor: string | null }> {
  const rows = await prisma.phoneNumber.findMany({
    where: { teamId, ...(after ? olderThan("createdAt", after) : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: numberSelect,
  });
  const items = rows.slice(0, take).map(summarize);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodePosition({ at: last.createdAt, id: last.id }) : null };
}

/** One number of the team, without secrets; null for another team's. */
export async function findNumber(prisma: PrismaClient, { teamId, numberId }: { teamId: string; numberId: string }): Promise<PhoneNumberSummary | null> {
  const row = await prisma.phoneNumber.findFirst({ where: { id: numberId, teamId }, select: numberSelect });
  return row && summarize(row);
}

/** Per number: how many messages it received and the latest one, for the numbers page. */
export async function summarizeNumberActivity(prisma: PrismaClient, teamId: string, numberIds: string[]) {
  const entries = await Promise.all(
    numberIds.map(async (id) => {
      const [count, tests, last] = await Promise.all([
        prisma.message.count({ where: { teamId, phoneNumberId: id, isTest: false } }),
        prisma.message.count({ where: { teamId, phoneNumberId: id, isTest: true } }),
        prisma.message.findFirst({
          where: { teamId, phoneNumberId: id },
          orderBy: { receivedAt: "desc" },
          select: { from: true, text: true, receivedAt: true, status: true, partsReceived: true, partsExpected: true, isTest: true },
        }),
      ]);
      return [id, { count, tests, last }] as const;
    }),
  );
  return new Map(entries);
}

export type CreateNumberOptions = {
  teamId: string;
  provider: Provider;
  e164: string;
  label: string;
  /** What the provider's credentials schema defines (read with readCredentialsInput); none by default. */
  credentials?: Credentials | null;
};

/** Registers a number and returns its webhook token, which is never readable again. */
export async function createNumber(prisma: PrismaClient, options: CreateNumberOptions) {
  const token = generateToken();
  const credentials = sealOrExplain(options.credentials ?? null);
  try {
    const number = await prisma.phoneNumber.create({
      data: {
        teamId: options.teamId,
        provider: options.provider,
        e164: options.e164,
        label: options.label,
        tokenHash: hashToken(token),
        tokenHint: tokenHint(token),
        tokenSealed: sealToken(token),
        credentials,
      },
      select: numberSelect,
    });
    return { number: summarize(number), token };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "This team already has that number for this provider.", {
        number: "Already registered for this provider.",
      });
    }
    throw error;
  }
}

/**
 * Issues a new token. The one it replaces keeps working for 24 hours; a token that was
 * already in its grace period is dropped (only one previous token is kept).
 */
export async function rotateNumberToken(
  prisma: PrismaClient,
  { teamId, numberId, now = new Date() }: { teamId: string; numberId: string; now?: Date },
) {
  const token = generateToken();
  const current = await prisma.phoneNumber.findFirst({ where: { id: numberId, teamId }, select: { tokenHash: true } });
  if (!current) throw notFoundError("Number not found");
  // The update is conditional on the token we read, so two concurrent rotations cannot both
  // demote the same token and lose the other's.
  const { count } = await prisma.phoneNumber.updateMany({
    where: { id: numberId, teamId, tokenHash: current.tokenHash },
    data: {
      tokenHash: hashToken(token),
      tokenHint: tokenHint(token),
      tokenSealed: sealToken(token),
      tokenRotatedAt: now,
      previousTokenHash: current.tokenHash,
      previousTokenExpiresAt: new Date(now.getTime() + TOKEN_GRACE_MS),
    },
  });
  if (count !== 1) throw new AppError("CONFLICT", "The token was rotated at the same moment elsewhere. Try again.");
  const number = await prisma.phoneNumber.findFirstOrThrow({ where: { id: numberId, teamId }, select: numberSelect });
  return { number: summarize(number), token };
}

export type UpdateNumberOptions = {
  teamId: string;
  numberId: string;
  label: string;
  /** undefined keeps the stored credentials; null removes them. */
  credentials?: Credentials | null;
};

export async function updateNumber(prisma: PrismaClient, { teamId, numberId, label, credentials }: UpdateNumberOptions) {
  const data: Prisma.PhoneNumberUpdateManyMutationInput = { label };
  if (credentials !== undefined) data.credentials = sealOrExplain(credentials);
  const { count } = await prisma.phoneNumber.updateMany({ where: { id: numberId, teamId }, data });
  if (count !== 1) throw notFoundError("Number not found");
}

export async function deleteNumber(prisma: PrismaClient, { teamId, numberId }: { teamId: string; numberId: string }) {
  const { count } = await prisma.phoneNumber.deleteMany({ where: { id: numberId, teamId } });
  if (count !== 1) throw notFoundError("Number not found");
}

/** A number of this team, in the shape the ingestion pipeline takes (credentials still sealed). */
export async function findNumberForIngest(prisma: PrismaClient, { teamId, numberId }: { teamId: string; numberId: string }) {
  const number = await prisma.phoneNumber.findFirst({
    where: { id: numberId, teamId },
    select: ingestSelect,
  });
  return number && withSealedCredentials(number);
}

/**
 * A number's credentials in clear, or null when it has none. Credentials that cannot be opened
 * (another key, an invalid key, a damaged value) are an AppError carrying the reason, so a page
 * or action shows what to fix instead of failing.
 */
export function openCredentialsOrThrow({ provider, credentialsSealed }: { provider: Provider; credentialsSealed: string | null }): Credentials | null {
  const opened = openCredentials(provider, credentialsSealed);
  if (!opened.ok) throw new AppError("INVALID", opened.reason);
  return opened.value;
}

/**
 * Throws the AppError of openCredentialsOrThrow when the team's number (or the number a delivery
 * of the team arrived on) has credentials that cannot be opened.
 */
export async function assertCredentialsOpen(prisma: PrismaClient, options: { teamId: string } & ({ numberId: string } | { deliveryId: string })): Promise<void> {
  const { teamId } = options;
  const number = await prisma.phoneNumber.findFirst({
    where: "numberId" in options ? { id: options.numberId, teamId } : { teamId, deliveries: { some: { id: options.deliveryId, teamId } } },
    select: { provider: true, credentials: true },
  });
  if (number) openCredentialsOrThrow({ provider: number.provider, credentialsSealed: number.credentials });
}

export type ResealResult = {
  /**
   * Credentials that were sealed with MOSHI_ENCRYPTION_KEY_PREVIOUS (or stored field by field, as
   * migrated) and now are sealed whole with MOSHI_ENCRYPTION_KEY.
   */
  resealed: number;
  /** Secrets already sealed with MOSHI_ENCRYPTION_KEY. */
  current: number;
  /** Secrets changed by someone else between reading and resealing (a new secret, or another run). */
  changedMeanwhile: number;
  /** Secrets neither key opens: no rotation can save them; their teams must enter them again. */
  unreadable: { numberId: string; teamSlug: string; e164: string; reason: string }[];
};

/**
 * Re-encrypts, under MOSHI_ENCRYPTION_KEY, every number's credentials sealed with
 * MOSHI_ENCRYPTION_KEY_PREVIOUS (or still stored field by field, as the migration left them), so
 * the previous key can then be removed. Each row is written only
 * if it still holds the value that was read, so concurrent runs and concurrent edits are safe, and
 * a second run finds nothing left to do. Across all teams: this is an operator's task.
 */
export async function resealCredentials(prisma: PrismaClient, options: { batchSize?: number } = {}): Promise<ResealResult> {
  return resealColumn(prisma, "credentials", options, (row, sealed) => {
    const opened = openCredentials(row.provider, sealed);
    if (!opened.ok) return opened;
    // Still in the form the migration left (fields sealed one by one): rewrite it sealed whole.
    return { ok: true, current: !opened.previousKey && !sealed.startsWith("{"), reseal: () => sealCredentials(opened.value) };
  });
}

/** The same for the webhook tokens kept to show URLs again. */
export async function resealTokens(prisma: PrismaClient, options: { batchSize?: number } = {}): Promise<ResealResult> {
  return resealColumn(prisma, "tokenSealed", options, (_row, sealed) => {
    const opened = openSecret(sealed, { noun: "webhook URL" });
    if (!opened.ok) return opened;
    return { ok: true, current: !opened.previousKey, reseal: () => encryptSecret(opened.value) };
  });
}

type ResealRow = { id: string; e164: string; provider: Provider; team: { slug: string } };
type ResealVerdict = { ok: true; current: boolean; reseal: () => string | null } | { ok: false; reason: string };

/**
 * Walks one sealed column in id order, in batches, writing each value that needs it only if it
 * still holds what was read (concurrent runs and edits are safe; a second run finds nothing).
 */
async function resealColumn(
  prisma: PrismaClient,
  column: "credentials" | "tokenSealed",
  { batchSize = 200 }: { batchSize?: number },
  judge: (row: ResealRow, sealed: string) => ResealVerdict,
): Promise<ResealResult> {
  const result: ResealResult = { resealed: 0, current: 0, changedMeanwhile: 0, unreadable: [] };
  let after: string | undefined;
  for (;;) {
    const rows = await prisma.phoneNumber.findMany({
      where: { [column]: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, e164: true, provider: true, credentials: true, tokenSealed: true, team: { select: { slug: true } } },
    });
    for (const row of rows) {
      const sealed = row[column]!;
      const verdict = judge(row, sealed);
      if (!verdict.ok) {
        result.unreadable.push({ numberId: row.id, teamSlug: row.team.slug, e164: row.e164, reason: verdict.reason });
      } else if (verdict.current) {
        result.current++;
      } else {
        const { count } = await prisma.phoneNumber.updateMany({ where: { id: row.id, [column]: sealed }, data: { [column]: verdict.reseal() } });
        if (count === 1) result.resealed++;
        else result.changedMeanwhile++;
      }
    }
    if (rows.length < batchSize) return result;
    after = rows.at(-1)!.id;
  }
}

export function webhookPath(provider: Provider, token: string): string {
  return `/api/webhooks/${pathSegmentOf(provider)}/${token}`;
}

const ingestSelect = {
  id: true,
  teamId: true,
  provider: true,
  e164: true,
  credentials: true,
  team: { select: { keywords: { select: { word: true } } } },
} satisfies Prisma.PhoneNumberSelect;

function withSealedCredentials({ credentials, team, ...number }: Prisma.PhoneNumberGetPayload<{ select: typeof ingestSelect }>) {
  return { ...number, credentialsSealed: credentials, namedKeywords: team.keywords.map((k) => k.word) };
}

/** Saving credentials needs a valid MOSHI_ENCRYPTION_KEY; without one the form says so instead of failing. */
function sealOrExplain(credentials: Credentials | null): string | null {
  try {
    return sealCredentials(credentials);
  } catch (error) {
    console.error("[numbers] cannot seal a number's credentials:", (error as Error).message);
    throw new AppError(
      "INVALID",
      "The credentials cannot be saved: this Moshi server's encryption key (MOSHI_ENCRYPTION_KEY) is missing or invalid. Ask whoever runs it to fix the key; the server log says what is wrong.",
    );
  }
}

/**
 * Seals a webhook token so it can be shown again. Without a usable key the number still works
 * (requests are looked up by the hash); only showing its URL again is not possible.
 */
function sealToken(token: string): string | null {
  try {
    return encryptSecret(token);
  } catch (error) {
    console.error("[numbers] the webhook token cannot be sealed, so its URL cannot be shown again:", (error as Error).message);
    return null;
  }
}

/**
 * A number's current webhook token in clear, for owners and admins to see its URL again. An
 * AppError says why not when it cannot be shown (issued before tokens were kept sealed, or the
 * key it was sealed with is gone): rotating the token gives one that can.
 */
export async function revealNumberToken(prisma: PrismaClient, { teamId, numberId }: { teamId: string; numberId: string }): Promise<{ provider: Provider; label: string; token: string }> {
  const number = await prisma.phoneNumber.findFirst({ where: { id: numberId, teamId }, select: { provider: true, label: true, tokenSealed: true } });
  if (!number) throw notFoundError("Number not found");
  if (!number.tokenSealed) {
    throw new AppError("CONFLICT", "This URL was issued before Moshi kept webhook URLs to show again. Rotate it to get one you can see again (the current one keeps working for 24 hours).");
  }
  const opened = openSecret(number.tokenSealed, { noun: "webhook URL" });
  if (!opened.ok) throw new AppError("INVALID", `${opened.reason.replace(/enter the number's webhook URL again on the Numbers page/, "rotate the URL on the Numbers page")}`);
  return { provider: number.provider, label: number.label, token: opened.value };
}

function tokenHint(token: string): string {
  return token.slice(-4);
}
