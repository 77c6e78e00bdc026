import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { findConversation, listConversations, markConversationRead } from "@/lib/data/conversations";
import { getDelivery, listDeliveries } from "@/lib/data/deliveries";
import { findEndpoint, findEvent, listEndpointAttempts, listEndpoints, listEvents } from "@/lib/data/event-log";
import { encodePosition } from "@/lib/data/keyset";
import { findMessage, listMessages } from "@/lib/data/messages";
import { findNumber, listNumbersPage } from "@/lib/data/numbers";
import { AppError, notFoundError } from "@/lib/errors";
import { messageResource } from "@/lib/events/resources";
import { messageSchema } from "@/lib/events/schema";
import { firstWord } from "@/lib/sms/keyword";
import { defineEndpoint, type EndpointDefinition } from "./endpoint";
import {
  attemptResource,
  conversationResource,
  deliveryDetailResource,
  deliveryResource,
  endpointResource,
  eventResource,
  phoneNumberResource,
} from "./resources";
import {
  attemptSchema,
  conversationSchema,
  deliveryDetailSchema,
  deliveryOutcomeSchema,
  deliverySchema,
  endpointSchema,
  eventRecordSchema,
  eventTypeSchema,
  instant,
  listOf,
  pageQuery,
  phoneNumberSchema,
  textParameter,
} from "./schemas";

/**
 * Every operation of /api/v1, each a definition (endpoint.ts) that its route file serves with
 * `withApi` and that the OpenAPI document and the reference page list. Every query takes the
 * key's team id; another team's ids are not found.
 */

const noQuery = z.strictObject({});

const numberFilter = z.string().optional().meta({ description: "Only this number's (a phone number id)." });
const searchFilter = textParameter("some text").optional().meta({ description: "Text the message contains, case-insensitively; `%` and `_` are plain characters." });
const keywordFilter = z
  .string()
  .transform((value, context) => {
    const keyword = firstWord(value);
    if (keyword) return keyword;
    context.addIssue({ code: "custom", message: "Give a keyword: a word, e.g. STOP." });
    return z.NEVER;
  })
  .optional()
  .meta({ description: "Only messages with this keyword (their first meaningful word, compared upper-cased)." });

export const listMessagesEndpoint = defineEndpoint({
  operationId: "listMessages",
  method: "GET",
  path: "/messages",
  tag: "Messages",
  summary: "List messages",
  description: "The team's messages, newest first. Each is the Message object forwarded events carry.",
  scope: "READ",
  query: z.strictObject({
    number: numberFilter,
    conversation: z.string().optional().meta({ description: "Only this conversation's (a conversation id)." }),
    sender: z
      .string()
      // A "+" left unencoded in a query string arrives as a space.
      .transform((value) => value.replace(/^ (?=\d)/, "+").trim())
      .pipe(textParameter("a sender"))
      .optional()
      .meta({ description: "Only messages from this sender, exactly as in `from.address` (E.164: encode `+` as `%2B`)." }),
    keyword: keywordFilter,
    q: searchFilter,
    since: instant.optional().meta({ description: "Received at or after this instant (ISO 8601)." }),
    until: instant.optional().meta({ description: "Received before this instant (ISO 8601)." }),
    ...pageQuery,
  }),
  response: listOf(messageSchema),
  async handle({ key, query }) {
    const now = new Date();
    const { items, nextCursor } = await listMessages(db(), {
      teamId: key.teamId,
      phoneNumberId: query.number,
      conversationId: query.conversation,
      sender: query.sender,
      keyword: query.keyword,
      search: query.q,
      since: query.since,
      until: query.until,
      after: query.cursor,
      take: query.limit,
    });
    return { data: items.map((row) => messageResource(row, now)), nextCursor };
  },
});

export const getMessageEndpoint = defineEndpoint({
  operationId: "getMessage",
  method: "GET",
  path: "/messages/{id}",
  tag: "Messages",
  summary: "Get a message",
  scope: "READ",
  idDescription: "The message's id.",
  query: noQuery,
  response: messageSchema,
  async handle({ key, id }) {
    const row = await findMessage(db(), { teamId: key.teamId, messageId: id });
    if (!row) throw notFoundError("No such message.");
    return messageResource(row);
  },
});

export const listConversationsEndpoint = defineEndpoint({
  operationId: "listConversations",
  method: "GET",
  path: "/conversations",
  tag: "Conversations",
  summary: "List conversations",
  description:
    "The team's threads (one number and one sender), the most recently active first, open and done alike unless `state` says. Read state is a person's own: `unreadCount` and `unread` are those of the key's creator (see markConversationRead).",
  scope: "READ",
  query: z.strictObject({
    number: numberFilter,
    unread: z
      .enum(["true", "false"], { error: "Give true or false." })
      .transform((value) => value === "true")
      .optional()
      .meta({ description: "`true`: only conversations with messages the key's creator has not read." }),
    state: z
      .enum(["open", "done"], { error: "Give open or done." })
      .optional()
      .meta({ description: "`open`: conversations not marked done, or with a message since; `done`: the others. Both when absent." }),
    tests: z
      .enum(["true", "false"], { error: "Give true or false." })
      .transform((value) => value === "true")
      .optional()
      .meta({ description: "`false`: leave out conversations with nothing but test messages (sent with the Numbers page's Test button). Included by default." }),
    keyword: keywordFilter.meta({ description: "Only conversations with a message with this keyword." }),
    q: searchFilter.meta({ description: "Only conversations with a message containing this text, case-insensitively." }),
    ...pageQuery,
  }),
  response: listOf(conversationSchema),
  async handle({ key, query }) {
    const { items, nextCursor } = await listConversations(db(), {
      teamId: key.teamId,
      userId: key.readerId,
      phoneNumberId: query.number ?? null,
      unreadOnly: query.unread ?? false,
      done: query.state ? query.state === "done" : null,
      tests: query.tests ?? true,
      keyword: query.keyword ?? null,
      search: query.q ?? null,
      cursor: query.cursor ? encodePosition(query.cursor) : null,
      take: query.limit,
    });
    return { data: items.map(conversationResource), nextCursor };
  },
});

export const getConversationEndpoint = defineEndpoint({
  operationId: "getConversation",
  method: "GET",
  path: "/conversations/{id}",
  tag: "Conversations",
  summary: "Get a conversation",
  description: "List its messages with `GET /messages?conversation={id}`.",
  scope: "READ",
  idDescription: "The conversation's id.",
  query: noQuery,
  response: conversationSchema,
  async handle({ key, id }) {
    const row = await findConversation(db(), { teamId: key.teamId, userId: key.readerId, conversationId: id });
    if (!row) throw notFoundError("No such conversation.");
    return conversationResource(row);
  },
});

export const markConversationReadEndpoint = defineEndpoint({
  operationId: "markConversationRead",
  method: "POST",
  path: "/conversations/{id}/read",
  tag: "Conversations",
  summary: "Mark a conversation read",
  description:
    "Marks it read for the key's creator, as their opening it in the inbox does: read state is each person's own, so teammates' unread counts do not change. A key whose creator has left the team (or was deleted) has nobody to mark it read for and gets 409. Needs a read-write key. No request body.",
  scope: "READ_WRITE",
  idDescription: "The conversation's id.",
  query: noQuery,
  response: conversationSchema,
  async handle({ key, id }) {
    const prisma = db();
    if (!(await findConversation(prisma, { teamId: key.teamId, conversationId: id }))) throw notFoundError("No such conversation.");
    if (!key.readerId) throw new AppError("CONFLICT", "Read state belongs to a person, and this key's creator is no longer a member of the team: create a new key to mark conversations read.");
    await markConversationRead(prisma, { teamId: key.teamId, userId: key.readerId, conversationId: id });
    const row = await findConversation(prisma, { teamId: key.teamId, userId: key.readerId, conversationId: id });
    if (!row) throw notFoundError("No such conversation.");
    return conversationResource(row);
  },
});

export const listNumbersEndpoint = defineEndpoint({
  operationId: "listNumbers",
  method: "GET",
  path: "/numbers",
  tag: "Numbers",
  summary: "List numbers",
  description: "The team's numbers, newest first. Webhook tokens and signature secrets are never readable.",
  scope: "READ",
  query: z.strictObject({ ...pageQuery }),
  response: listOf(phoneNumberSchema),
  async handle({ key, query }) {
    const { items, nextCursor } = await listNumbersPage(db(), { teamId: key.teamId, after: query.cursor, take: query.limit });
    return { data: items.map(phoneNumberResource), nextCursor };
  },
});

export const getNumberEndpoint = defineEndpoint({
  operationId: "getNumber",
  method: "GET",
  path: "/numbers/{id}",
  tag: "Numbers",
  summary: "Get a number",
  scope: "READ",
  idDescription: "The number's id.",
  query: noQuery,
  response: phoneNumberSchema,
  async handle({ key, id }) {
    const row = await findNumber(db(), { teamId: key.teamId, numberId: id });
    if (!row) throw notFoundError("No such number.");
    return phoneNumberResource(row);
  },
});

export const listDeliveriesEndpoint = defineEndpoint({
  operationId: "listDeliveries",
  method: "GET",
  path: "/deliveries",
  tag: "Deliveries",
  summary: "List deliveries",
  description: "Every request providers made to the team's webhook URLs, newest first, without bodies.",
  scope: "READ",
  query: z.strictObject({
    number: numberFilter,
    outcome: deliveryOutcomeSchema.optional(),
    ...pageQuery,
  }),
  response: listOf(deliverySchema),
  async handle({ key, query }) {
    const { items, nextCursor } = await listDeliveries(db(), {
      teamId: key.teamId,
      phoneNumberId: query.number ?? null,
      outcome: query.outcome ?? null,
      cursor: query.cursor ? encodePosition(query.cursor) : null,
      take: query.limit,
    });
    return { data: items.map(deliveryResource), nextCursor };
  },
});

export const getDeliveryEndpoint = defineEndpoint({
  operationId: "getDelivery",
  method: "GET",
  path: "/deliveries/{id}",
  tag: "Deliveries",
  summary: "Get a delivery",
  description: "One delivery with its raw request: headers kept, query string and body.",
  scope: "READ",
  idDescription: "The delivery's id.",
  query: noQuery,
  response: deliveryDetailSchema,
  async handle({ key, id }) {
    const row = await getDelivery(db(), { teamId: key.teamId, deliveryId: id });
    if (!row) throw notFoundError("No such delivery.");
    return deliveryDetailResource(row);
  },
});

export const listEventsEndpoint = defineEndpoint({
  operationId: "listEvents",
  method: "GET",
  path: "/events",
  tag: "Events",
  summary: "List events",
  description: "The events Moshi forwarded (or would forward) to the team's endpoints, newest first, with the exact document sent.",
  scope: "READ",
  query: z.strictObject({ type: eventTypeSchema.optional(), ...pageQuery }),
  response: listOf(eventRecordSchema),
  async handle({ key, query }) {
    const { items, nextCursor } = await listEvents(db(), { teamId: key.teamId, type: query.type, after: query.cursor, take: query.limit });
    return { data: items.map(eventResource), nextCursor };
  },
});

export const getEventEndpoint = defineEndpoint({
  operationId: "getEvent",
  method: "GET",
  path: "/events/{id}",
  tag: "Events",
  summary: "Get an event",
  scope: "READ",
  idDescription: "The event's id (`evt_…`).",
  query: noQuery,
  response: eventRecordSchema,
  async handle({ key, id }) {
    const row = await findEvent(db(), { teamId: key.teamId, eventId: id });
    if (!row) throw notFoundError("No such event.");
    return eventResource(row);
  },
});

export const listEndpointsEndpoint = defineEndpoint({
  operationId: "listEndpoints",
  method: "GET",
  path: "/endpoints",
  tag: "Endpoints",
  summary: "List endpoints",
  description: "The URLs the team forwards events to, newest first. Signing secrets are never readable.",
  scope: "READ",
  query: z.strictObject({ ...pageQuery }),
  response: listOf(endpointSchema),
  async handle({ key, query }) {
    const { items, nextCursor } = await listEndpoints(db(), { teamId: key.teamId, after: query.cursor, take: query.limit });
    return { data: items.map(endpointResource), nextCursor };
  },
});

export const getEndpointEndpoint = defineEndpoint({
  operationId: "getEndpoint",
  method: "GET",
  path: "/endpoints/{id}",
  tag: "Endpoints",
  summary: "Get an endpoint",
  scope: "READ",
  idDescription: "The endpoint's id.",
  query: noQuery,
  response: endpointSchema,
  async handle({ key, id }) {
    const row = await findEndpoint(db(), { teamId: key.teamId, endpointId: id });
    if (!row) throw notFoundError("No such endpoint.");
    return endpointResource(row);
  },
});

export const listEndpointAttemptsEndpoint = defineEndpoint({
  operationId: "listEndpointAttempts",
  method: "GET",
  path: "/endpoints/{id}/attempts",
  tag: "Endpoints",
  summary: "List an endpoint's attempts",
  description: "Every request Moshi made to the endpoint, newest first: the status it answered, how long it took, the retry it caused.",
  scope: "READ",
  idDescription: "The endpoint's id.",
  query: z.strictObject({ event: z.string().optional().meta({ description: "Only attempts to send this event (an event id)." }), ...pageQuery }),
  response: listOf(attemptSchema),
  async handle({ key, id, query }) {
    const page = await listEndpointAttempts(db(), { teamId: key.teamId, endpointId: id, eventId: query.event, after: query.cursor, take: query.limit });
    if (!page) throw notFoundError("No such endpoint.");
    return { data: page.items.map(attemptResource), nextCursor: page.nextCursor };
  },
});

/** Every operation, in the order the reference lists them. */
export const API_ENDPOINTS: EndpointDefinition[] = [
  listMessagesEndpoint,
  getMessageEndpoint,
  listConversationsEndpoint,
  getConversationEndpoint,
  markConversationReadEndpoint,
  listNumbersEndpoint,
  getNumberEndpoint,
  listDeliveriesEndpoint,
  getDeliveryEndpoint,
  listEventsEndpoint,
  getEventEndpoint,
  listEndpointsEndpoint,
  getEndpointEndpoint,
  listEndpointAttemptsEndpoint,
] as unknown as EndpointDefinition[];
