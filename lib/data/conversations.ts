import "server-only";
import { createHash } from "node:crypto";
import { snippetOf } from "@/lib/format";
import { EMPTY_INBOX_FILTER, type InboxFilter, UNREAD_COUNT_CAP } from "@/lib/inbox";
import type { MessageStatus, PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { effectiveStatus } from "@/lib/sms/incomplete";
import { decodePosition, encodePosition, olderThan, olderThanSql } from "./keyset";
import { messageStatusSql } from "./message-status";

/** Enough for a line in the inbox at any width. */
const SNIPPET_LENGTH = 160;
/** Code points the database sends of each text: room for SNIPPET_LENGTH graphemes of a few each. */
const SNIPPET_SOURCE = SNIPPET_LENGTH * 4;
/** Characters of context shown before a search match. */
const SNIPPET_LEAD = 40;

const conversationSelect = {
  id: true,
  sender: true,
  lastMessageAt: true,
  unreadCount: true,
  messageCount: true,
  optedOutAt: true,
  phoneNumber: { select: { id: true, label: true, e164: true, provider: true } },
} satisfies Prisma.ConversationSelect;

export type ListConversationsOptions = Partial<InboxFilter> & {
  teamId: string;
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
};

export type ConversationSummary = Prisma.ConversationGetPayload<{ select: typeof conversationSelect }> & {
  latest: LatestMessage | null;
  /** Some message of the thread lost parts for good. */
  hasIncomplete: boolean;
};

/**
 * The team's conversations, the most recently active first, keyset-paginated on
 * (lastMessageAt, id) along the (teamId, lastMessageAt) index: every page costs the same, and
 * threads with equal times keep a stable order. Each comes with its latest message, fetched for
 * the whole page in one query.
 */
export async function listConversations(
  prisma: PrismaClient,
  { teamId, cursor = null, take = 30, now = new Date(), ...options }: ListConversationsOptions,
): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const filter = { ...EMPTY_INBOX_FILTER, ...options };
  const after = cursor ? decodePosition(cursor) : null;
  const rows = isShortSearch(filter.search)
    ? await findShortSearchPage(prisma, teamId, { ...filter, search: filter.search }, after, take + 1)
    : await prisma.conversation.findMany({
        where: {
          ...conversationWhere(teamId, filter),
          ...(after ? olderThan("lastMessageAt", after) : {}),
        },
        orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
        take: take + 1,
        select: conversationSelect,
      });
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
 * How many conversations have unread messages, under the same filters as the list but the
 * unread one, so the "Unread" filter can say how many it will show. With a keyword or search,
 * every unread conversation would need a search of its messages (a third of a second over a
 * million messages, growing with them): the count stops past `cap` instead, a LIMIT that lets
 * PostgreSQL stop early too.
 */
export async function countUnreadConversations(
  prisma: PrismaClient,
  { teamId, cap = UNREAD_COUNT_CAP, ...options }: Partial<InboxFilter> & { teamId: string; cap?: number },
): Promise<UnreadCount> {
  const filter = { ...EMPTY_INBOX_FILTER, ...options, unreadOnly: true };
  const where = conversationWhere(teamId, filter);
  if (!filter.keyword && !filter.search) return { count: await prisma.conversation.count({ where }), capped: false };
  const count = isShortSearch(filter.search)
    ? (
        await prisma.$queryRaw<{ count: number }[]>`
          SELECT count(*)::int AS "count" FROM (
            SELECT 1 FROM "Conversation" c WHERE ${shortSearchWhere(teamId, { ...filter, search: filter.search }, null)} LIMIT ${cap + 1}
          ) s`
      )[0]!.count
    : await prisma.conversation.count({ where, take: cap + 1 });
  return count > cap ? { count: cap, capped: true } : { count, capped: false };
}

/** The team's conversations under a filter; message filters become one EXISTS on Message. */
function conversationWhere(teamId: string, filter: InboxFilter): Prisma.ConversationWhereInput {
  const messages = messageMatch(teamId, filter);
  return {
    teamId,
    ...(filter.phoneNumberId ? { phoneNumberId: filter.phoneNumberId } : {}),
    ...(filter.provider ? { phoneNumber: { teamId, provider: filter.provider } } : {}),
    ...(filter.unreadOnly ? { unreadCount: { gt: 0 } } : {}),
    ...(messages ? { messages: { some: messages } } : {}),
  };
}

/** The message conditions of a filter (keyword, text), or null when it has none. */
function messageMatch(teamId: string, { keyword, search }: InboxFilter): Prisma.MessageWhereInput | null {
  if (!keyword && !search) return null;
  return {
    teamId,
    ...(keyword ? { keyword } : {}),
    // Prisma passes `contains` to ILIKE as it is: the wildcards people type must be escaped.
    ...(search ? { text: { contains: escapeLike(search), mode: "insensitive" } } : {}),
  };
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

/** listConversations' query for a short search: the page's ids in SQL, then the rows as for other filters. */
async function findShortSearchPage(prisma: PrismaClient, teamId: string, filter: InboxFilter & { search: string }, after: { at: Date; id: string } | null, take: number) {
  const ids = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Conversation" c
    WHERE ${shortSearchWhere(teamId, filter, after)}
    ORDER BY c."lastMessageAt" DESC, c."id" DESC
    LIMIT ${take}`;
  return prisma.conversation.findMany({
    where: { teamId, id: { in: ids.map((row) => row.id) } },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    select: conversationSelect,
  });
}

/**
 * conversationWhere (with a position to start after) in SQL, for a search shorter than
 * TRIGRAM_LENGTH: the same conditions on the conversation `c`, its message match on the doubled
 * text (see TRIGRAM_LENGTH). Prisma cannot filter on an expression.
 */
function shortSearchWhere(teamId: string, filter: InboxFilter & { search: string }, after: { at: Date; id: string } | null): Prisma.Sql {
  const conditions = [Prisma.sql`c."teamId" = ${teamId}`];
  if (filter.phoneNumberId) conditions.push(Prisma.sql`c."phoneNumberId" = ${filter.phoneNumberId}`);
  if (filter.provider) {
    conditions.push(
      Prisma.sql`c."phoneNumberId" IN (SELECT p."id" FROM "PhoneNumber" p WHERE p."teamId" = ${teamId} AND p."provider" = ${filter.provider}::"Provider")`,
    );
  }
  if (filter.unreadOnly) conditions.push(Prisma.sql`c."unreadCount" > 0`);
  if (after) {
    conditions.push(olderThanSql(Prisma.raw('c."lastMessageAt"'), Prisma.raw('c."id"'), after));
  }
  const keyword = filter.keyword ? Prisma.sql`AND m."keyword" = ${filter.keyword}` : Prisma.empty;
  conditions.push(
    Prisma.sql`EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c."id" AND m."teamId" = ${teamId} ${keyword}
      AND ${DOUBLED_TEXT} ILIKE ${`%${escapeLike(doubled(filter.search))}%`})`,
  );
  return Prisma.join(conditions, " AND ");
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
      m."encoding", m."partsReceived", m."partsExpected", m."receivedAt",
      ${rule.effective} AS "status",
      c."id" IN (SELECT "conversationId" FROM incomplete) AS "hasIncomplete"
    FROM "Conversation" c
    CROSS JOIN LATERAL (
      SELECT m."id", m."text", m."encoding", m."status", m."partsReceived", m."partsExpected", m."receivedAt", ${start}::int AS "start"
      FROM "Message" m
      WHERE m."conversationId" = c."id" AND m."teamId" = ${teamId} ${keywordSql} ${searchSql}
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
  { teamId, conversationId, before = null, take = MESSAGE_PAGE, now = new Date() }: GetConversationOptions,
) {
  const until = before ? decodePosition(before) : null;
  // One snapshot for both reads: a message stored between them would otherwise show as a bubble
  // while the header still counts without it, and the live view, whose version already includes
  // that message, would never refresh the page again.
  const [conversation, rows] = await prisma.$transaction(
    [
      prisma.conversation.findFirst({ where: { id: conversationId, teamId }, select: conversationSelect }),
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

/** One conversation of the team without its messages; null for another team's. */
export async function findConversation(prisma: PrismaClient, { teamId, conversationId }: { teamId: string; conversationId: string }) {
  return prisma.conversation.findFirst({ where: { id: conversationId, teamId }, select: conversationSelect });
}

export type MarkReadOptions = {
  teamId: string;
  conversationId: string;
  /**
   * The newest message time the reader was shown. When given, a thread that received a message
   * since stays unread, so a message nobody has seen is never marked read.
   */
  seenUntil?: Date | null;
};

/** Marks a conversation read; answers whether anything changed (false for another team's). */
export async function markConversationRead(prisma: PrismaClient, { teamId, conversationId, seenUntil = null }: MarkReadOptions): Promise<boolean> {
  const { count } = await prisma.conversation.updateMany({
    where: { id: conversationId, teamId, unreadCount: { gt: 0 }, ...(seenUntil ? { lastMessageAt: { lte: seenUntil } } : {}) },
    data: { unreadCount: 0 },
  });
  return count > 0;
}

export type ChangeMarkerOptions = {
  teamId: string;
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

type InboxMarkerRow = { lastMessageAt: Date | null; conversations: number; messages: bigint; unread: bigint; arriving: string | null };
type ThreadMarkerRow = { lastMessageAt: Date; messages: number; optedOutAt: Date | null; parts: bigint; arriving: number };

/**
 * What the live inbox and thread poll: a version that changes whenever their page would render
 * differently, read in one statement so it stays cheap at a few requests a minute per open tab.
 *
 * The inbox: the newest activity, how many conversations, messages and unread ones the team has
 * (the counts are state, not times, so a transaction that commits after a later one still
 * shows), and the parts of messages still arriving, so a part that completes a long message
 * counts too. Consent changes need nothing of their own: each comes with a complete message.
 *
 * A thread: its counters and the parts received across its messages. Read state is left out, so
 * marking the open thread read does not refresh it again. Another team's thread reads exactly as
 * one that does not exist, and makes the page refresh into its "not found".
 *
 * A partial message drops out of both once its parts are 24 hours late, which is when the page
 * starts calling it incomplete.
 */
export async function getChangeMarker(prisma: PrismaClient, { teamId, conversationId = null, now = new Date() }: ChangeMarkerOptions): Promise<ChangeMarker> {
  const { arriving: isArriving } = messageStatusSql(now, "m");
  if (conversationId) {
    // Along the (conversationId, receivedAt) index: one row per message of this thread.
    const [row] = await prisma.$queryRaw<ThreadMarkerRow[]>`
      SELECT c."lastMessageAt", c."messageCount" AS "messages", c."optedOutAt",
        coalesce(sum(m."partsReceived"), 0)::int8 AS "parts",
        (count(*) FILTER (WHERE ${isArriving}))::int AS "arriving"
      FROM "Conversation" c
      LEFT JOIN "Message" m ON m."conversationId" = c."id" AND m."teamId" = ${teamId}
      WHERE c."id" = ${conversationId} AND c."teamId" = ${teamId}
      GROUP BY c."id"`;
    if (!row) return { version: "none", messageCount: 0 };
    return {
      version: digest(["thread", row.lastMessageAt.getTime(), row.messages, row.optedOutAt?.getTime() ?? "", row.parts, row.arriving]),
      messageCount: row.messages,
    };
  }
  // The conversations along the (teamId, lastMessageAt) index; the arriving parts along
  // (status, receivedAt), where only the last day's partial messages of every team are.
  const [row] = await prisma.$queryRaw<InboxMarkerRow[]>`
    SELECT max(c."lastMessageAt") AS "lastMessageAt", count(*)::int AS "conversations",
      coalesce(sum(c."messageCount"), 0)::int8 AS "messages", coalesce(sum(c."unreadCount"), 0)::int8 AS "unread",
      (SELECT string_agg(m."id" || ':' || m."partsReceived", ',' ORDER BY m."id") FROM "Message" m
        WHERE m."teamId" = ${teamId} AND ${isArriving}) AS "arriving"
    FROM "Conversation" c
    WHERE c."teamId" = ${teamId}`;
  const { lastMessageAt = null, conversations = 0, messages = 0n, unread = 0n, arriving = null } = row ?? {};
  return {
    version: digest(["inbox", lastMessageAt?.getTime() ?? "", conversations, messages, unread, arriving ?? ""]),
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

const exportSelect = {
  id: true,
  receivedAt: true,
  provider: true,
  from: true,
  to: true,
  text: true,
  binaryHex: true,
  keyword: true,
  encoding: true,
  status: true,
  partsExpected: true,
  partsReceived: true,
  providerTimestamp: true,
  conversationId: true,
  phoneNumber: { select: { label: true } },
  conversation: { select: { optedOutAt: true } },
} satisfies Prisma.MessageSelect;

export type ExportedMessage = Prisma.MessageGetPayload<{ select: typeof exportSelect }>;

export type ExportMessagesOptions = Partial<InboxFilter> & {
  teamId: string;
  /** Rows fetched per query; the export streams, so memory stays flat however many match. */
  batchSize?: number;
  now?: Date;
};

/**
 * Every message the inbox filter finds, newest first, in batches walked by keyset on
 * (receivedAt, id) along the (teamId, receivedAt) index. The unread filter keeps the messages
 * of unread conversations: what the inbox lists is what gets exported.
 */
export async function* exportMessages(
  prisma: PrismaClient,
  { teamId, batchSize = 1000, now = new Date(), ...options }: ExportMessagesOptions,
): AsyncGenerator<ExportedMessage[]> {
  const filter = { ...EMPTY_INBOX_FILTER, ...options };
  const where: Prisma.MessageWhereInput = {
    teamId,
    ...(filter.phoneNumberId ? { phoneNumberId: filter.phoneNumberId } : {}),
    ...(filter.provider ? { provider: filter.provider } : {}),
    ...(filter.unreadOnly ? { conversation: { teamId, unreadCount: { gt: 0 } } } : {}),
    ...messageMatch(teamId, filter),
  };
  let after: { receivedAt: Date; id: string } | null = null;
  for (;;) {
    const rows: ExportedMessage[] = await prisma.message.findMany({
      where: after ? { AND: [where, olderThan("receivedAt", { at: after.receivedAt, id: after.id })] } : where,
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: batchSize,
      select: exportSelect,
    });
    if (rows.length > 0) yield rows.map((row) => ({ ...row, status: effectiveStatus(row, now) }));
    if (rows.length < batchSize) return;
    after = rows.at(-1)!;
  }
}

/** A short opaque version of the values: nothing for a client to parse or compare but equality. */
function digest(values: (string | number | bigint)[]): string {
  return createHash("sha256").update(values.join("|")).digest("base64url").slice(0, 22);
}
