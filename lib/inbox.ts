import type { Provider } from "@/lib/generated/prisma/enums";
import { PROVIDERS } from "@/lib/providers";
import { firstWord } from "@/lib/sms/keyword";

/**
 * What the inbox shows: open or done conversations, on one number or provider, unread ones (for
 * the person looking), those with a message that has a keyword or contains some text, and test
 * messages or not. The same filter picks the messages of an
 * export, so a download holds what the screen found. It lives in the URL, so every filtered
 * inbox can be bookmarked and shared.
 */
export type InboxFilter = {
  phoneNumberId: string | null;
  provider: Provider | null;
  unreadOnly: boolean;
  /** A keyword as stored: one word, upper-case, without punctuation (lib/sms/keyword.ts). */
  keyword: string | null;
  /** Text to find in messages, case-insensitively; at least {@link MIN_SEARCH_LENGTH} characters. */
  search: string | null;
  /**
   * Done conversations (true), open ones (false), or both (null). A conversation is done when
   * the team marked it so and no message came after; the inbox shows the open ones by default.
   */
  done: boolean | null;
  /** Test messages (the Numbers page's Test button) count too; the inbox leaves them out by default. */
  tests: boolean;
};

/** No condition at all: every conversation, done or not, test messages included (the REST API's default). */
export const EMPTY_INBOX_FILTER: InboxFilter = { phoneNumberId: null, provider: null, unreadOnly: false, keyword: null, search: null, done: null, tests: true };

/** Shorter searches would match nearly everything, and trigrams cannot narrow them down. */
export const MIN_SEARCH_LENGTH = 2;
export const MAX_SEARCH_LENGTH = 100;

/**
 * With a keyword or text to find, the unread count stops here and shows as "100+": each unread
 * conversation costs a search of its messages, and a filter chip only needs to say "many".
 */
export const UNREAD_COUNT_CAP = 100;

type Query = Record<string, string | string[] | undefined>;

/**
 * Reads the inbox's filter from a URL's query: open conversations without test messages unless
 * `view=done` or `tests=1`; `number` (one of `numberIds`, else ignored), `provider`
 * (any case), `unread=1`, `keyword` (its first word, written as keywords are, so "yes!" finds YES;
 * stop words are not skipped, so "hi" finds HI) and `q`. `searchTooShort` says a search was typed but is too short to run.
 */
export function readInboxFilter(query: Query, numberIds: readonly string[]): { filter: InboxFilter; searchTooShort: boolean } {
  const { search, tooShort } = normalizeSearch(one(query.q));
  const number = one(query.number);
  const phoneNumberId = number && numberIds.includes(number) ? number : null;
  const provider = one(query.provider)?.toUpperCase();
  return {
    filter: {
      phoneNumberId,
      // A number implies its provider: the provider chip gives way to the number chosen.
      provider: phoneNumberId ? null : (PROVIDERS.find((p) => p === provider) ?? null),
      unreadOnly: one(query.unread) === "1",
      keyword: firstWord(one(query.keyword) ?? null),
      search,
      done: one(query.view) === "done",
      tests: one(query.tests) === "1",
    },
    searchTooShort: tooShort,
  };
}

/** The query string of a filter (and page cursor), in a stable order; empty for no filter. */
export function inboxSearchParams(filter: InboxFilter, cursor: string | null = null): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.search) params.set("q", filter.search);
  if (filter.keyword) params.set("keyword", filter.keyword);
  if (filter.unreadOnly) params.set("unread", "1");
  if (filter.provider) params.set("provider", filter.provider.toLowerCase());
  if (filter.phoneNumberId) params.set("number", filter.phoneNumberId);
  if (filter.done) params.set("view", "done");
  if (filter.tests) params.set("tests", "1");
  if (cursor) params.set("cursor", cursor);
  return params;
}

/** Whether a filter narrows the view down (Open and Done are views, not filters; tests add). */
export function isFiltered(filter: InboxFilter): boolean {
  return Boolean(filter.phoneNumberId || filter.provider || filter.unreadOnly || filter.keyword || filter.search);
}

/**
 * Reads a search box: white space collapsed, cut to {@link MAX_SEARCH_LENGTH} characters; null
 * when nothing is left. `tooShort` says a search was typed but is too short to run.
 */
export function normalizeSearch(value: string | undefined): { search: string | null; tooShort: boolean } {
  if (value === undefined) return { search: null, tooShort: false };
  const search = Array.from(value.replace(/\s+/gu, " ").trim()).slice(0, MAX_SEARCH_LENGTH).join("");
  if (!search) return { search: null, tooShort: false };
  return Array.from(search).length < MIN_SEARCH_LENGTH ? { search: null, tooShort: true } : { search, tooShort: false };
}

function one(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
