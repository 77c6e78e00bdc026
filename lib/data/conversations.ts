import "server-only";
import { createHash } from "node:crypto";
import { snippetOf } from "@/lib/format";
import { EMPTY_INBOX_FILTER, type InboxFilter, UNREAD_COUNT_CAP } from "@/lib/inbox";
import type { MessageStatus, PrismaClient, Provider } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { effectiveStatus } from "@/lib/sms/incomplete";
import { decodePosition, encodePosition, olderThan, olderThanSql, type Position } from "./keyset";
import { messageStatusSql } from "./message-status";

/** Enough for a line in the inbox at any width. */
const SNIPPET_LENGTH = 160;
/** Code points the database sends of each text: room for SNIPPET_LENGTH graphemes of a few each. */
const SNIPPET_SOURCE = SNIPPET_LENGTH * 4;
/** Characters of context shown before a search match. */
const SNIPPET_LEAD = 40;

/** A conversation as the inbox and the API show it, to one person: `unreadCount` is theirs. */
export type ConversationRow = {
  id: string;
  sender: string;
  lastMessageAt: Date;
  messageCount: number;
  /** Of `messageCount`, the test messages (sent with the Numbers page's Test button). */
  testCount: number;
  optedOutAt: Date | null;
  /** When the team marked it done; it is done while no message came after (see `done`). */
  doneAt: Date | null;
  done: boolean;
  /** Messages this person has not read (each person's own; see ConversationRead). */
  unreadCount: number;
  phoneNumber: { id: string; label: string; e164: string; provider: Provider };
};

type RawConversationRow = Omit<ConversationRow, "phoneNumber"> & { numberId: string; numberLabel: string; numberE164: string; numberProvider: Provider };

/**
 * The columns of a ConversationRow, read for `userId` (null: nobody, so nothing is read).
 * Unread is the thread's counter minus the person's marker, compared here, so storing a
 * message touches no marker.
 */
function conversationColumns(userId: string | null): Prisma.Sql {
  return Prisma.sql`c."id", c."sender", c."lastMessageAt", c."messageCount", c."testCount", c."optedOutAt", c."doneAt",
    coalesce(c."doneAt" >= c."lastMessageAt", false) AS "done",
    greatest(c."messageCount" - coalesce((SELECT r."readCount" FROM "ConversationRead" r WHERE r."conversationId" = c."id" AND r."userId" = ${userId ?? ""}), 0), 0)::int AS "unreadCount",
    p."id" AS "numberId", p."label" AS "numberLabel", p."e164" AS "numberE164", p."provider" AS "numberProvider"`;
}

const CONVERSATION_FROM = Prisma.sql`"Conversation" c JOIN "PhoneNumber" p ON p."id" = c."phoneNumberId"`;

function toConversationRow({ numberId, numberLabel, numberE164, numberProvider, ...row }: RawConversationRow): ConversationRow {
  return { ...row, phoneNumber: { id: numberId, label: numberLabel, e164: numberE164, provider: numberProvider } };
}

export type ListConversationsOptions = Partial<InboxFilter> & {
  teamId: string;
  /** Whose read state the list shows; none (an API key without a person) reads as nothing read. */
  userId?: string | null;
  /** From a previous page's `nextCursor`; an unreadable one starts from the newest. */
  cursor?: string | null;
  take?: number;
  /** When "now" is, for telling stale partial messages from ones still arriving. */
  now?: Date;
};

export type LatestMessage = {
  id: string;
  /** One line of its text; null for a binary message. */
  snippet: string | null;
  encoding: "GSM7" | "UCS2" | "BINARY";
  status: MessageStatus;
  partsReceived: number;
  partsExpected: number;
  receivedAt: Date;
  isTest: boolean;
};

export type ConversationSummary = ConversationRow & {
  latest: LatestMessage | null;
  /** Some message of the thread lost parts for good. */
  hasIncomplete: boolean;
};

/**
 * The team's conversations under a filter, the most recently active first, keyset-paginated on
 * (lastMessageAt, id) along the (teamId, lastMessageAt) index: every page costs the same, and
 * threads with equal times keep a stable order. Each comes with its latest message, fetched for
 * the whole page in one query, and with `userId`'s own unread count.
 */
export async function listConversations(
  prisma: PrismaClient,
  { teamId, userId = null, cursor = null, take = 30, now = new Date(), ...options }: ListConversationsOptions,
): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const filter = { ...EMPTY_INBOX_FILTER, ...options };
  const after = cursor ? decodePosition(cursor) : null;
  const rows = (
    await prisma.$queryRaw<RawConversationRow[]>`
      SELECT ${conversationColumns(userId)} FROM ${CONVERSATION_FROM}
      WHERE ${conversationWhere(teamId, userId, filter)} ${after ? Prisma.sql`AND ${olderThanSql(Prisma.raw('c."lastMessageAt"'), Prisma.raw('c."id"'), after)}` : Prisma.empty}
      ORDER BY c."lastMessageAt" DESC, c."id" DESC
      LIMIT ${take + 1}`
  ).map(toConversationRow);
  const page = rows.slice(0, take);
  const latest = await findLatestMessages(prisma, { teamId, conversationIds: page.map((c) => c.id), filter, now });
  const items = page.map((conversation) => {
    const found = latest.get(conversation.id);
    return { ...conversation, latest: found?.message ?? null, hasIncomplete: found?.hasIncomplete ?? false };
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > take && last ? encodeConversationCursor(last) : null };
}

export type UnreadCount = {
  count: number;
  /** More conversations match: counting stopped at `count` (see UNREAD_COUNT_CAP). */
  capped: boolean;
};

/**
 * How many conversations have messages `userId` has not read, under the same filters as the
 * list but the unread one, so the "Unread" filter can say how many it will show. With a keyword
 * or search, every unread conversation would need a search of its messages (a third of a second
 * over a million messages, growing with them): the count stops past `cap` instead, a LIMIT that
 * lets PostgreSQL stop early too.
 */
export async function countUnreadConversations(
  prisma: PrismaClient,
  { teamId, userId = null, cap = UNREAD_COUNT_CAP, ...options }: Partial<InboxFilter> & { teamId: string; userId?: string | null; cap?: number },
): Promise<UnreadCount> {
  const filter = { ...EMPTY_INBOX_FILTER, ...options, unreadOnly: true };
  const searches = Boolean(filter.keyword || filter.search);
  const [{ count }] = await prisma.$queryRaw<[{ count: number }]>`
    SELECT count(*)::int AS "count" FROM (SELECT 1 FROM "Conversation" c WHERE ${conversationWhere(teamId, userId, filter)} ${searches ? Prisma.sql`LIMIT ${cap + 1}` : Prisma.empty}) s`;
  return searches && count > cap ? { count: cap, capped: true } : { count, capped: false };
}

/**
 * The team's conversations under a filter, as SQL on the conversation `c`: read state is
 * `userId`'s (a marker row of another table, which Prisma cannot compare with the thread's own
 * counter), done is a comparison of two of the thread's columns, and message filters become one
 * EXISTS on Message.
 */
function conversationWhere(teamId: string, userId: string | null, filter: InboxFilter): Prisma.Sql {
  const conditions = [Prisma.sql`c."teamId" = ${teamId}`];
  if (filter.phoneNumberId) conditions.push(Prisma.sql`c."phoneNumberId" = ${filter.phoneNumberId}`);
  if (filter.provider) {
    conditions.push(
      Prisma.sql`c."phoneNumberId" IN (SELECT p."id" FROM "PhoneNumber" p WHERE p."teamId" = ${teamId} AND p."provider" = ${filter.provider}::"Provider")`,
    );
  }
  if (filter.unreadOnly) {
    conditions.push(
      Prisma.sql`c."messageCount" > coalesce((SELECT r."readCount" FROM "ConversationRead" r WHERE r."conversationId" = c."id" AND r."userId" = ${userId ?? ""}), 0)`,
    );
  }
  if (filter.done !== null) conditions.push(filter.done ? Prisma.sql`c."doneAt" >= c."lastMessageAt"` : Prisma.sql`(c."doneAt" IS NULL OR c."doneAt" < c."lastMessageAt")`);
  // Without tests, a thread needs a message that is not one.
  if (!filter.tests) conditions.push(Prisma.sql`c."messageCount" > c."testCount"`);
  const messages = messageConditions(teamId, filter);
  if (messages) conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c."id" AND ${messages})`);
  return Prisma.join(conditions, " AND ");
}

/**
 * The message conditions of a filter (keyword, text) on the message `m`, or null when it has
 * none. Test messages match only when the filter shows them.
 */
function messageConditions(teamId: string, { keyword, search, tests }: InboxFilter): Prisma.Sql | null {
  if (!keyword && !search) return null;
  const conditions = [Prisma.sql`m."teamId" = ${teamId}`];
  if (keyword) conditions.push(Prisma.sql`m."keyword" = ${keyword}`);
  if (!tests) conditions.push(Prisma.sql`NOT m."isTest"`);
  if (search) {
    conditions.push(
      isShortSearch(search)
        ? Prisma.sql`${DOUBLED_TEXT} ILIKE ${`%${escapeLike(doubled(search))}%`}`
        : Prisma.sql`m."text" ILIKE ${`%${escapeLike(search)}%`}`,
    );
  }
  return Prisma.join(conditions, " AND ");
}

/** `%`, `_` and the escape character itself, made literal for LIKE (backslash is PostgreSQL's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * pg_trgm finds no trigram in fewer than 3 characters, so the trigram index of the text cannot
 * serve a shorter search (2 characters, MIN_SEARCH_LENGTH, are allowed): PostgreSQL would read
 * every message of the team. These searches go through a second trigram index instead, of the
 * text with every character doubled ("予約" → "予予約約"), in which each pair makes trigrams
 * (migration 20261202000200_short_search_index).
 *
 * The doubled text contains the doubled term exactly when the text contains the term:
 * doubled, a match can only start on a character of its own, unless every character of the
 * term is the same ("ああ" → "ああああ"), and then the text holds that character one more time
 * still. ILIKE compares lower(text) with lower(pattern), and lower() maps character by character
 * (PostgreSQL's libc locales; C.UTF-8 here), so case-insensitive matching keeps that true: the
 * doubled condition alone is the search, and PostgreSQL estimates it from the index's
 * statistics as well as it does the plain ILIKE. tests/integration/inbox-search.test.ts holds
 * both to the same answers.
 */
const TRIGRAM_LENGTH = 3;

function isShortSearch(search: string | null): search is string {
  return search !== null && Array.from(search).length < TRIGRAM_LENGTH;
}

/** The indexed expression, spelled as the index spells it: PostgreSQL uses an expression index only for the same expression. */
const DOUBLED_TEXT = Prisma.raw(`regexp_replace(m."text", '(.)', '\\1\\1', 'g')`);

/** Each character twice, as regexp_replace doubles them: code points, as PostgreSQL counts characters. */
function doubled(text: string): string {
  return Array.from(text, (c) => c + c).join("");
}

type LatestRow = {
  conversationId: string;
  id: string;
  text: string | null;
  encoding: LatestMessage["encoding"];
  status: MessageStatus;
  partsReceived: number;
  partsExpected: number;
  receivedAt: Date;
  isTest: boolean;
  hasIncomplete: boolean;
  cut: boolean | null;
  cutStart: boolean | null;
};

/**
 * The latest message of each conversation (the latest one matching the keyword or search, when
 * the filter has them) and whether any of its messages is incomplete, in one statement. For a
 * search, the snippet starts a little before the match, so the match shows. A lateral join reads one row per thread from the (conversationId, receivedAt)
 * index, where DISTINCT ON would sort every message of every thread on the page; incomplete
 * messages are looked up once for the whole page rather than once per thread.
 */
async function findLatestMessages(
  prisma: PrismaClient,
  { teamId, conversationIds, filter, now }: { teamId: string; conversationIds: string[]; filter: InboxFilter; now: Date },
) {
  const result = new Map<string, { message: LatestMessage; hasIncomplete: boolean }>();
  if (conversationIds.length === 0) return result;
  const rule = messageStatusSql(now, "m");
  const ids = Prisma.join(conversationIds);
  const keywordSql = filter.keyword ? Prisma.sql`AND m."keyword" = ${filter.keyword}` : Prisma.empty;
  const searchSql = filter.search ? Prisma.sql`AND m."text" ILIKE ${`%${escapeLike(filter.search)}%`}` : Prisma.empty;
  const testsSql = filter.tests ? Prisma.empty : Prisma.sql`AND NOT m."isTest"`;
  // Where the snippet starts: the beginning, or SNIPPET_LEAD characters before the match.
  const start = filter.search
    ? Prisma.sql`greatest(1, strpos(lower(m."text"), lower(${filter.search})) - ${SNIPPET_LEAD})`
    : Prisma.sql`1`;
  const rows = await prisma.$queryRaw<LatestRow[]>`
    WITH incomplete AS (
      SELECT DISTINCT m."conversationId" FROM "Message" m
      WHERE m."teamId" = ${teamId} AND m."conversationId" IN (${ids}) AND ${rule.incomplete}
    )
    SELECT c."id" AS "conversationId", m."id", substr(m."text", m."start", ${SNIPPET_SOURCE}) AS "text",
      m."start" > 1 AS "cutStart", char_length(m."text") >= m."start" + ${SNIPPET_SOURCE} AS "cut",
      m."encoding", m."partsReceived", m."partsExpected", m."receivedAt", m."isTest",
      ${rule.effective} AS "status",
      c."id" IN (SELECT "conversationId" FROM incomplete) AS "hasIncomplete"
    FROM "Conversation" c
    CROSS JOIN LATERAL (
      SELECT m."id", m."text", m."encoding", m."status", m."partsReceived", m."partsExpected", m."receivedAt", m."isTest", ${start}::int AS "start"
      FROM "Message" m
      WHERE m."conversationId" = c."id" AND m."teamId" = ${teamId} ${keywordSql} ${searchSql} ${testsSql}
      ORDER BY m."receivedAt" DESC, m."id" DESC
      LIMIT 1
    ) m
    WHERE c."teamId" = ${teamId} AND c."id" IN (${ids})`;
  for (const { conversationId, hasIncomplete, text, cut, cutStart, ...message } of rows) {
    const snippet = text === null ? null : snippetOf(text, SNIPPET_LENGTH, { cut: Boolean(cut), cutStart: Boolean(cutStart) });
    result.set(conversationId, { message: { ...message, snippet }, hasIncomplete });
  }
  return result;
}

const MESSAGE_PAGE = 200;

const messageSelect = {
  id: true,
  from: true,
  to: true,
  text: true,
  binaryHex: true,
  keyword: true,
  providerKeyword: true,
  encoding: true,
  status: true,
  partsExpected: true,
  partsReceived: true,
  receivedAt: true,
  completedAt: true,
  providerTimestamp: true,
  warnings: true,
  isTest: true,
  parts: { orderBy: { partIndex: "asc" }, select: { partIndex: true, receivedAt: true, udhHex: true, deliveryId: true } },
} satisfies Prisma.MessageSelect;

const rawDeliverySelect = { id: true, method: true, contentType: true, query: true, body: true, receivedAt: true, bodyPurgedAt: true } satisfies Prisma.DeliverySelect;

export type RawPayload = Prisma.DeliveryGetPayload<{ select: typeof rawDeliverySelect }>;

type MessageRow = Prisma.MessageGetPayload<{ select: typeof messageSelect }>;

export type ThreadMessage = Omit<MessageRow, "parts"> & {
  parts: (Omit<MessageRow["parts"][number], "deliveryId"> & { delivery: RawPayload | null })[];
};

export type GetConversationOptions = {
  teamId: string;
  /** Whose unread count the thread shows. */
  userId?: string | null;
  conversationId: string;
  /** From a previous answer's `earlierCursor`: show the messages before it. */
  before?: string | null;
  take?: number;
  now?: Date;
};

/**
 * One conversation of the team with its messages in reading order (oldest first): the newest
 * `take`, or the `take` before a cursor. Each message carries the raw requests its parts came
 * in. Null for another team's conversation, exactly as for one that does not exist.
 */
export async function getConversation(
  prisma: PrismaClient,
  { teamId, userId = null, conversationId, before = null, take = MESSAGE_PAGE, now = new Date() }: GetConversationOptions,
) {
  const until = before ? decodePosition(before) : null;
  // One snapshot for both reads: a message stored between them would otherwise show as a bubble
  // while the header still counts without it, and the live view, whose version already includes
  // that message, would never refresh the page again.
  const [conversations, rows] = await prisma.$transaction(
    [
      prisma.$queryRaw<RawConversationRow[]>`SELECT ${conversationColumns(userId)} FROM ${CONVERSATION_FROM} WHERE c."id" = ${conversationId} AND c."teamId" = ${teamId}`,
      prisma.message.findMany({
        where: {
          conversationId,
          teamId,
          ...(until ? olderThan("receivedAt", until) : {}),
        },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take: take + 1,
        select: messageSelect,
      }),
    ],
    { isolationLevel: "RepeatableRead" },
  );
  const conversation = conversations[0] ? toConversationRow(conversations[0]) : null;
  if (!conversation) return null;
  const newestFirst = rows.slice(0, take);
  const oldest = newestFirst.at(-1);

  // A delivery can carry several messages (a batch): fetch each body once.
  const deliveryIds = [...new Set(newestFirst.flatMap((m) => m.parts.map((p) => p.deliveryId)))];
  const deliveries = deliveryIds.length
    ? await prisma.delivery.findMany({ where: { teamId, id: { in: deliveryIds } }, select: rawDeliverySelect })
    : [];
  const byId = new Map(deliveries.map((d) => [d.id, d]));

  const messages: ThreadMessage[] = newestFirst.reverse().map((message) => ({
    ...message,
    status: effectiveStatus(message, now),
    parts: message.parts.map(({ deliveryId, ...part }) => ({ ...part, delivery: byId.get(deliveryId) ?? null })),
  }));
  return {
    ...conversation,
    messages,
    earlierCursor: rows.length > take && oldest ? encodePosition({ at: oldest.receivedAt, id: oldest.id }) : null,
  };
}

export type ConversationDetail = NonNullable<Awaited<ReturnType<typeof getConversation>>>;

/** One conversation of the team without its messages, with `userId`'s unread count; null for another team's. */
export async function findConversation(prisma: PrismaClient, { teamId, userId = null, conversationId }: { teamId: string; userId?: string | null; conversationId: string }) {
  const [row] = await prisma.$queryRaw<RawConversationRow[]>`SELECT ${conversationColumns(userId)} FROM ${CONVERSATION_FROM} WHERE c."id" = ${conversationId} AND c."teamId" = ${teamId}`;
  return row ? toConversationRow(row) : null;
}

export type MarkReadOptions = {
  teamId: string;
  /** The person whose read state changes; nobody else's does. */
  userId: string;
  conversationId: string;
  /**
   * The newest message time the reader was shown. When given, a thread that received a message
   * since stays unread, so a message nobody has seen is never marked read.
   */
  seenUntil?: Date | null;
};

/**
 * Marks a conversation read for one person: their marker moves to the thread's message count.
 * Answers whether anything changed (false for another team's).
 */
export async function markConversationRead(prisma: PrismaClient, { teamId, userId, conversationId, seenUntil = null }: MarkReadOptions): Promise<boolean> {
  return setReadCount(prisma, { teamId, userId, conversationId, readCount: Prisma.sql`c."messageCount"`, seenUntil });
}

/** Marks a conversation unread for one person: its newest message counts as unread again. */
export async function markConversationUnread(prisma: PrismaClient, { teamId, userId, conversationId }: Omit<MarkReadOptions, "seenUntil">): Promise<boolean> {
  return setReadCount(prisma, { teamId, userId, conversationId, readCount: Prisma.sql`greatest(c."messageCount" - 1, 0)`, seenUntil: null });
}

async function setReadCount(
  prisma: PrismaClient,
  { teamId, userId, conversationId, readCount, seenUntil }: { teamId: string; userId: string; conversationId: string; readCount: Prisma.Sql; seenUntil: Date | null },
): Promise<boolean> {
  const seen = seenUntil ? Prisma.sql`AND c."lastMessageAt" <= ${seenUntil}` : Prisma.empty;
  const changed = await prisma.$executeRaw`
    INSERT INTO "ConversationRead" ("conversationId", "userId", "teamId", "readCount", "updatedAt")
    SELECT c."id", ${userId}, c."teamId", ${readCount}, now() FROM "Conversation" c
    WHERE c."id" = ${conversationId} AND c."teamId" = ${teamId} ${seen}
    ON CONFLICT ("conversationId", "userId") DO UPDATE SET "readCount" = EXCLUDED."readCount", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "ConversationRead"."readCount" <> EXCLUDED."readCount"`;
  return changed > 0;
}

export type MarkDoneOptions = {
  teamId: string;
  userId: string;
  conversationId: string;
  /** The newest message time the person was shown: a thread with a newer message is not marked done. */
  seenUntil?: Date | null;
  now?: Date;
};

/**
 * Marks a conversation done for the whole team, as of `now`: it stays done until a message
 * arrives after that (doneAt >= lastMessageAt), so a sender writing again reopens it and storing
 * that message needs to know nothing of it. Answers whether it was marked (false for another
 * team's, or when a message came after `seenUntil`).
 */
export async function markConversationDone(prisma: PrismaClient, { teamId, userId, conversationId, seenUntil = null, now = new Date() }: MarkDoneOptions): Promise<boolean> {
  const { count } = await prisma.conversation.updateMany({
    where: { id: conversationId, teamId, ...(seenUntil ? { lastMessageAt: { lte: seenUntil } } : {}) },
    data: { doneAt: now, doneById: userId },
  });
  return count > 0;
}

/** Opens a conversation marked done again (undo); answers whether it was done. */
export async function reopenConversation(prisma: PrismaClient, { teamId, conversationId }: { teamId: string; conversationId: string }): Promise<boolean> {
  const { count } = await prisma.conversation.updateMany({ where: { id: conversationId, teamId, doneAt: { not: null } }, data: { doneAt: null, doneById: null } });
  return count > 0;
}

export type Neighbours = { newer: string | null; older: string | null };

/**
 * The conversations before and after one in the inbox's order under a filter (its read state
 * `userId`'s), for next and previous inside a thread. Another team's thread has none.
 */
export async function findNeighbours(prisma: PrismaClient, { teamId, userId, conversationId, ...options }: Partial<InboxFilter> & { teamId: string; userId: string | null; conversationId: string }): Promise<Neighbours> {
  const filter = { ...EMPTY_INBOX_FILTER, ...options };
  const where = conversationWhere(teamId, userId, filter);
  const [row] = await prisma.$queryRaw<{ newer: string | null; older: string | null }[]>`
    WITH here AS (SELECT "lastMessageAt" AS at, "id" FROM "Conversation" WHERE "id" = ${conversationId} AND "teamId" = ${teamId})
    SELECT
      (SELECT c."id" FROM "Conversation" c, here WHERE ${where} AND (c."lastMessageAt", c."id") > (here.at, here."id")
        ORDER BY c."lastMessageAt" ASC, c."id" ASC LIMIT 1) AS "newer",
      (SELECT c."id" FROM "Conversation" c, here WHERE ${where} AND (c."lastMessageAt", c."id") < (here.at, here."id")
        ORDER BY c."lastMessageAt" DESC, c."id" DESC LIMIT 1) AS "older"`;
  return row ?? { newer: null, older: null };
}

export type ChangeMarkerOptions = {
  teamId: string;
  /** Whose read state the inbox shows (the thread leaves read state out). */
  userId?: string | null;
  /** Watch one thread instead of the whole inbox. */
  conversationId?: string | null;
  now?: Date;
};

export type ChangeMarker = {
  /** Opaque: equal versions mean nothing the inbox (or the thread) shows has changed. */
  version: string;
  /** Messages in the team (or the thread); grows by one with every new message. */
  messageCount: number;
};

type InboxMarkerRow = { lastMessageAt: Date | null; conversations: number; messages: bigint; done: string | null; read: bigint; arriving: string | null };
type ThreadMarkerRow = { lastMessageAt: Date; messages: number; optedOutAt: Date | null; doneAt: Date | null; notes: string | null; parts: bigint; arriving: number };

/**
 * What the live inbox and thread poll: a version that changes whenever their page would render
 * differently, read in one statement so it stays cheap at a few requests a minute per open tab.
 *
 * The inbox: the newest activity, how many conversations and messages the team has, how far the
 * person has read (the counts are state, not times, so a transaction that commits after a
 * later one still shows), which threads are done, and the parts of messages still arriving, so
 * a part that completes a long message counts too. Consent changes need nothing of their own:
 * each comes with a complete message.
 *
 * A thread: its counters, done state, notes and the parts received across its messages. Read
 * state is left out, so marking the open thread read does not refresh it again. Another team's thread reads exactly as
 * one that does not exist, and makes the page refresh into its "not found".
 *
 * A partial message drops out of both once its parts are 24 hours late, which is when the page
 * starts calling it incomplete.
 */
export async function getChangeMarker(prisma: PrismaClient, { teamId, userId = null, conversationId = null, now = new Date() }: ChangeMarkerOptions): Promise<ChangeMarker> {
  const { arriving: isArriving } = messageStatusSql(now, "m");
  if (conversationId) {
    // Along the (conversationId, receivedAt) index: one row per message of this thread.
    const [row] = await prisma.$queryRaw<ThreadMarkerRow[]>`
      SELECT c."lastMessageAt", c."messageCount" AS "messages", c."optedOutAt", c."doneAt",
        (SELECT count(*) || ':' || coalesce(max(n."id"), '') FROM "ConversationNote" n WHERE n."conversationId" = c."id") AS "notes",
        coalesce(sum(m."partsReceived"), 0)::int8 AS "parts",
        (count(*) FILTER (WHERE ${isArriving}))::int AS "arriving"
      FROM "Conversation" c
      LEFT JOIN "Message" m ON m."conversationId" = c."id" AND m."teamId" = ${teamId}
      WHERE c."id" = ${conversationId} AND c."teamId" = ${teamId}
      GROUP BY c."id"`;
    if (!row) return { version: "none", messageCount: 0 };
    return {
      version: digest(["thread", row.lastMessageAt.getTime(), row.messages, row.optedOutAt?.getTime() ?? "", row.doneAt?.getTime() ?? "", row.notes ?? "", row.parts, row.arriving]),
      messageCount: row.messages,
    };
  }
  // The conversations along the (teamId, lastMessageAt) index; the arriving parts along
  // (status, receivedAt), where only the last day's partial messages of every team are.
  const [row] = await prisma.$queryRaw<InboxMarkerRow[]>`
    SELECT max(c."lastMessageAt") AS "lastMessageAt", count(*)::int AS "conversations",
      coalesce(sum(c."messageCount"), 0)::int8 AS "messages",
      count(*) FILTER (WHERE c."doneAt" >= c."lastMessageAt") || ':' || coalesce(max(c."doneAt")::text, '') AS "done",
      (SELECT coalesce(sum(r."readCount"), 0) FROM "ConversationRead" r WHERE r."userId" = ${userId ?? ""} AND r."teamId" = ${teamId})::int8 AS "read",
      (SELECT string_agg(m."id" || ':' || m."partsReceived", ',' ORDER BY m."id") FROM "Message" m
        WHERE m."teamId" = ${teamId} AND ${isArriving}) AS "arriving"
    FROM "Conversation" c
    WHERE c."teamId" = ${teamId}`;
  const { lastMessageAt = null, conversations = 0, messages = 0n, done = null, read = 0n, arriving = null } = row ?? {};
  return {
    version: digest(["inbox", lastMessageAt?.getTime() ?? "", conversations, messages, done ?? "", read, arriving ?? ""]),
    messageCount: Number(messages),
  };
}

/** An opaque page position (see lib/data/keyset.ts). */
export function encodeConversationCursor({ lastMessageAt, id }: { lastMessageAt: Date; id: string }): string {
  return encodePosition({ at: lastMessageAt, id });
}

/** The position in a cursor, or null when it is not one this module wrote. */
export function decodeConversationCursor(cursor: string): { lastMessageAt: Date; id: string } | null {
  const position = decodePosition(cursor);
  return position && { lastMessageAt: position.at, id: position.id };
}

export type ExportedMessage = {
  id: string;
  receivedAt: Date;
  provider: Provider;
  from: string;
  to: string;
  text: string | null;
  binaryHex: string | null;
  keyword: string | null;
  encoding: "GSM7" | "UCS2" | "BINARY";
  status: MessageStatus;
  partsExpected: number;
  partsReceived: number;
  providerTimestamp: Date | null;
  conversationId: string;
  isTest: boolean;
  phoneNumber: { label: string };
  conversation: { optedOutAt: Date | null };
};

type ExportRow = Omit<ExportedMessage, "phoneNumber" | "conversation"> & { numberLabel: string; optedOutAt: Date | null };

export type ExportMessagesOptions = Partial<InboxFilter> & {
  teamId: string;
  /** Whose read state the unread filter means. */
  userId?: string | null;
  /** Rows fetched per query; the export streams, so memory stays flat however many match. */
  batchSize?: number;
  now?: Date;
};

/**
 * Every message the inbox filter finds, newest first, in batches walked by keyset on
 * (receivedAt, id) along the (teamId, receivedAt) index: the messages matching the filter's
 * keyword and text in the conversations the inbox lists (open or done, unread for `userId`).
 * What the inbox lists is what gets exported, so test messages only when the filter shows them.
 */
export async function* exportMessages(
  prisma: PrismaClient,
  { teamId, userId = null, batchSize = 1000, now = new Date(), ...options }: ExportMessagesOptions,
): AsyncGenerator<ExportedMessage[]> {
  const filter = { ...EMPTY_INBOX_FILTER, ...options };
  const threads = conversationWhere(teamId, userId, { ...filter, keyword: null, search: null });
  const conditions = [
    messageConditions(teamId, filter) ?? Prisma.sql`m."teamId" = ${teamId}`,
    ...(filter.tests ? [] : [Prisma.sql`NOT m."isTest"`]),
    Prisma.sql`EXISTS (SELECT 1 FROM "Conversation" c WHERE c."id" = m."conversationId" AND ${threads})`,
  ];
  let after: Position | null = null;
  for (;;) {
    const position: Prisma.Sql = after ? Prisma.sql`AND ${olderThanSql(Prisma.raw('m."receivedAt"'), Prisma.raw('m."id"'), after)}` : Prisma.empty;
    const rows = await prisma.$queryRaw<ExportRow[]>`
      SELECT m."id", m."receivedAt", m."provider", m."from", m."to", m."text", m."binaryHex", m."keyword", m."encoding", m."status",
        m."partsExpected", m."partsReceived", m."providerTimestamp", m."conversationId", m."isTest",
        p."label" AS "numberLabel", (SELECT c."optedOutAt" FROM "Conversation" c WHERE c."id" = m."conversationId") AS "optedOutAt"
      FROM "Message" m JOIN "PhoneNumber" p ON p."id" = m."phoneNumberId"
      WHERE ${Prisma.join(conditions, " AND ")} ${position}
      ORDER BY m."receivedAt" DESC, m."id" DESC
      LIMIT ${batchSize}`;
    if (rows.length > 0) {
      yield rows.map(({ numberLabel, optedOutAt, ...row }) => ({
        ...row,
        status: effectiveStatus(row, now),
        phoneNumber: { label: numberLabel },
        conversation: { optedOutAt },
      }));
    }
    if (rows.length < batchSize) return;
    const last = rows.at(-1)!;
    after = { at: last.receivedAt, id: last.id };
  }
}

/** A short opaque version of the values: nothing for a client to parse or compare but equality. */
function digest(values: (string | number | bigint)[]): string {
  return createHash("sha256").update(values.join("|")).digest("base64url").slice(0, 22);
}
