import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { numberLabel, recordAudit } from "./audit";
import { encryptSecret, hashToken } from "./crypto";
import { createTeamKeyword } from "./data/keywords";
import { createNumber, findNumberForIngest, openCredentialsOrThrow, webhookPath } from "./data/numbers";
import { createUserWithPassword } from "./data/users";
import { DEMO_DAYS, DEMO_KEYWORDS, DEMO_READ_AFTER_MS, planDemoTraffic, providerDemos, type DemoNumber } from "./demo-traffic";
import { generateSigningSecret } from "./forwarding/signing";
import type { PrismaClient, Provider } from "./generated/prisma/client";
import { type Credentials, openCredentials } from "./sms/credentials";
import { sqlPool } from "./db";
import { closeIncompleteMessages } from "./sms/close-incomplete";
import { processDelivery, type IngestNumber } from "./sms/ingest";
import { asRawDelivery } from "./sms/simulate";

/** The demo login printed by `npm run dev` and written in the README. */
export const DEMO_LOGIN = { email: "demo@moshi.local", password: "moshi-demo-password" } as const;

/**
 * The demo team's numbers: one for each provider whose module has a `demo`, in the registry's
 * order. Where a provider signs, the number has the demo's own credentials: public, like the
 * password.
 */
const DEMO_NUMBERS = providerDemos().map(({ provider, demo }) => ({
  provider,
  e164: demo.e164,
  label: demo.label,
  credentials: demo.credentials ?? null,
  signWith: demo.signWith ?? demo.credentials ?? null,
}));

/**
 * The URL the demo's requests are signed over, where a provider signs the URL it calls. The
 * webhook token exists only as a hash, so seeding signs this stand-in and verification is told
 * it is the URL called, as for the numbers page's test message.
 */
function standInUrl(provider: Provider): string {
  return `https://demo.moshi.invalid${webhookPath(provider, "token")}`;
}

type DemoState = { tokens: Record<string, string> };

export type SeedDemoResult = {
  created: boolean;
  login: { email: string; password: string };
  numbers: {
    provider: string;
    e164: string;
    label: string;
    webhookUrl: string | null;
    /** The number's credentials, while they are still the demo's own (public) ones. */
    credentials: Credentials | null;
    /** What `npm run sms:send` signs with for this number, while its credentials are the demo's own. */
    signWith: Credentials | null;
  }[];
  /** What the demo traffic left behind; only when the demo team was created by this call. */
  traffic?: DemoTrafficResult;
};

export type DemoTrafficResult = { deliveries: number; messages: number; conversations: number; durationMs: number };

/**
 * Seeds the demo team once: a user, a team, one number per provider and thirty days of inbound
 * traffic (see lib/demo-traffic.ts). The webhook tokens exist in plain text only at creation, so
 * they are kept in a git-ignored local state file to print the demo URLs at every start; a token
 * rotated in the app since then prints as null.
 */
export async function seedDemo({
  prisma,
  origin,
  stateFile,
  now = new Date(),
  onCreate,
}: {
  prisma: PrismaClient;
  origin: string;
  stateFile: string;
  now?: Date;
  /** Called before the first seeding, which takes a few seconds, so a launcher can say so. */
  onCreate?: () => void;
}): Promise<SeedDemoResult> {
  const existing = await prisma.user.findUnique({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
  let created = false;
  let traffic: DemoTrafficResult | undefined;
  if (!existing) {
    onCreate?.();
    const { user, team } = await createUserWithPassword(prisma, { name: "Demo User", ...DEMO_LOGIN, teamName: "Moshi Demo" });
    const tokens: Record<string, string> = {};
    const numberIds: string[] = [];
    for (const { provider, e164, label, credentials } of DEMO_NUMBERS) {
      const { token, number: created } = await createNumber(prisma, { teamId: team!.id, provider, e164, label, credentials });
      tokens[key(provider, e164)] = token;
      numberIds.push(created.id);
    }
    await backdateDemoTeam(prisma, { userId: user.id, teamId: team!.id, numberIds, since: new Date(now.getTime() - (DEMO_DAYS + 1) * 86_400_000) });
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, JSON.stringify({ tokens } satisfies DemoState, null, 2));
    created = true;
    traffic = await seedDemoTraffic(prisma, { teamId: team!.id, now });
    // The scheduled job would have given up on the month's stale long messages long ago: it does
    // so now, before the demo's endpoint exists, so starting the app sends nothing anywhere.
    await closeIncompleteMessages(sqlPool(prisma), now);
    await seedDemoForwarding(prisma, { teamId: team!.id, userId: user.id });
    await seedDemoAudit(prisma, { teamId: team!.id, user });
  }
  const state = readState(stateFile);
  const numbers = await prisma.phoneNumber.findMany({
    where: { team: { memberships: { some: { user: { email: DEMO_LOGIN.email }, role: "OWNER" } } } },
    orderBy: { createdAt: "asc" },
    select: { provider: true, e164: true, label: true, tokenHash: true, credentials: true },
  });
  return {
    created,
    login: { ...DEMO_LOGIN },
    numbers: numbers.map((number) => {
      const token = state?.tokens[key(number.provider, number.e164)];
      const valid = token !== undefined && hashToken(token) === number.tokenHash;
      const credentials = demoCredentials(number);
      const demo = DEMO_NUMBERS.find((candidate) => candidate.provider === number.provider && candidate.e164 === number.e164);
      return {
        provider: number.provider,
        e164: number.e164,
        label: number.label,
        webhookUrl: valid ? origin + webhookPath(number.provider, token) : null,
        credentials,
        signWith: credentials ? (demo?.signWith ?? null) : null,
      };
    }),
    traffic,
  };
}

/**
 * Names the demo keywords, then pushes the planned demo traffic through the ingestion pipeline
 * (which never skips a named keyword), each request at its planned arrival time, and marks what
 * the team has already read. A
 * request answered otherwise than planned stops the seeding: the demo would tell a wrong story.
 */
async function seedDemoTraffic(prisma: PrismaClient, { teamId, now }: { teamId: string; now: Date }): Promise<DemoTrafficResult> {
  const started = performance.now();
  for (const keyword of DEMO_KEYWORDS) await createTeamKeyword(prisma, { teamId, ...keyword });
  const stored = await prisma.phoneNumber.findMany({ where: { teamId }, select: { id: true } });
  const numbers = new Map<Provider, IngestNumber>();
  for (const { id } of stored) {
    const number = await findNumberForIngest(prisma, { teamId, numberId: id });
    if (number) numbers.set(number.provider, number);
  }
  const plan = planDemoTraffic({
    now,
    numbers: Object.fromEntries([...numbers].map(([provider, number]) => [provider, demoNumber(number)])),
  });

  for (const delivery of plan) {
    const { request } = delivery;
    const response = await processDelivery(prisma, numbers.get(delivery.provider)!, {
      raw: asRawDelivery(request, standInUrl(delivery.provider)),
      receivedAt: delivery.receivedAt,
    });
    if (response.status !== delivery.expectedStatus) {
      throw new Error(`Demo traffic: ${delivery.provider} ${delivery.note} was answered ${response.status}, not ${delivery.expectedStatus}: ${JSON.stringify(response.body)}`);
    }
  }

  // What each member opening these threads in the inbox would do, in one statement.
  await prisma.$executeRaw`
    INSERT INTO "ConversationRead" ("conversationId", "userId", "teamId", "readCount", "updatedAt")
    SELECT c."id", m."userId", c."teamId", c."messageCount", ${now}
    FROM "Conversation" c JOIN "Membership" m ON m."teamId" = c."teamId"
    WHERE c."teamId" = ${teamId} AND c."lastMessageAt" < ${new Date(now.getTime() - DEMO_READ_AFTER_MS)}
    ON CONFLICT ("conversationId", "userId") DO UPDATE SET "readCount" = EXCLUDED."readCount"`;

  const [messages, conversations] = await Promise.all([prisma.message.count({ where: { teamId } }), prisma.conversation.count({ where: { teamId } })]);
  return { deliveries: plan.length, messages, conversations, durationMs: Math.round(performance.now() - started) };
}

/**
 * What the demo user's setup would have left in the audit log: the numbers, the keyword labels
 * and the endpoint. Written at seeding time, from no request (no address).
 */
async function seedDemoAudit(prisma: PrismaClient, { teamId, user }: { teamId: string; user: { id: string; name: string | null; email: string } }) {
  const context = { team: { id: teamId }, user, request: { ip: null, userAgent: null } };
  const numbers = await prisma.phoneNumber.findMany({ where: { teamId }, orderBy: { createdAt: "asc" }, select: { id: true, label: true, e164: true, provider: true } });
  for (const number of numbers) {
    await recordAudit(prisma, context, {
      action: "number.created",
      target: { type: "number", id: number.id, label: numberLabel(number) },
      summary: `added ${numberLabel(number)}`,
      details: { provider: number.provider, e164: number.e164, label: number.label },
    });
  }
  const keywords = await prisma.teamKeyword.findMany({ where: { teamId }, orderBy: { word: "asc" }, select: { id: true, word: true, label: true, color: true } });
  for (const keyword of keywords) {
    await recordAudit(prisma, context, {
      action: "keyword.named",
      target: { type: "keyword", id: keyword.id, label: keyword.word },
      summary: `labelled the keyword ${keyword.word} “${keyword.label}” (${keyword.color})`,
      details: { word: keyword.word, label: keyword.label, color: keyword.color },
    });
  }
  const endpoint = await prisma.webhookEndpoint.findFirst({ where: { teamId }, select: { id: true, url: true, description: true } });
  if (endpoint) {
    await recordAudit(prisma, context, {
      action: "endpoint.created",
      target: { type: "endpoint", id: endpoint.id, label: endpoint.url },
      summary: `added the forwarding endpoint ${endpoint.url}`,
      details: { url: endpoint.url, description: endpoint.description },
    });
  }
}

/** Where `npm run events:listen` listens: texting a demo number shows its events there. */
export const DEMO_ENDPOINT_URL = "http://127.0.0.1:4400/events";

/**
 * A forwarding endpoint with the history of its last few events: mostly delivered at once, a
 * few after a retry, so its page has attempts of each kind to show. Written directly, after the
 * traffic (whose events went nowhere then): no job is queued, nothing is sent at start.
 */
async function seedDemoForwarding(prisma: PrismaClient, { teamId, userId }: { teamId: string; userId: string }) {
  const events = await prisma.event.findMany({ where: { teamId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: DEMO_FORWARDED_EVENTS, select: { id: true, createdAt: true } });
  if (events.length === 0) return;
  const oldest = events.at(-1)!.createdAt;
  const endpoint = await prisma.webhookEndpoint.create({
    data: {
      teamId,
      url: DEMO_ENDPOINT_URL,
      description: "Local receiver (npm run events:listen)",
      secretSealed: encryptSecret(generateSigningSecret()),
      createdById: userId,
      createdAt: new Date(oldest.getTime() - 60 * 60_000),
    },
  });
  const ok = '{"received":true}';
  for (const [i, event] of events.entries()) {
    // Every fifth event met a failure first: a 503 or, once, no answer in time.
    const failedFirst = i % 5 === 2;
    const started = new Date(event.createdAt.getTime() + 40);
    const retried = new Date(started.getTime() + 5_000 + (i % 3) * 700);
    const dispatchId = `dsp_demo_${i}`;
    const delivered = failedFirst ? retried : started;
    await prisma.eventDispatch.create({
      data: { id: dispatchId, teamId, eventId: event.id, endpointId: endpoint.id, status: "DELIVERED", attemptCount: failedFirst ? 2 : 1, nextAttemptAt: null, lastAttemptAt: delivered, deliveredAt: delivered, retryFrom: event.createdAt, createdAt: event.createdAt },
    });
    const attempt = { teamId, endpointId: endpoint.id, dispatchId, eventId: event.id };
    await prisma.endpointAttempt.createMany({
      data: [
        ...(failedFirst
          ? [
              i === 2
                ? { ...attempt, startedAt: started, durationMs: 10_000, statusCode: null, error: "No answer within 10 s: timed out.", responseBody: null, succeeded: false, nextAttemptAt: retried }
                : { ...attempt, startedAt: started, durationMs: 31 + i, statusCode: 503, responseBody: "upstream connect error: service unavailable", succeeded: false, nextAttemptAt: retried },
            ]
          : []),
        { ...attempt, startedAt: delivered, durationMs: 48 + ((i * 37) % 160), statusCode: 200, responseBody: ok, succeeded: true },
      ],
    });
  }
}

const DEMO_FORWARDED_EVENTS = 24;

/**
 * The team, its owner and its numbers have been around for the month their traffic covers, so
 * no page says a number's URL was issued after its first messages arrived.
 */
async function backdateDemoTeam(prisma: PrismaClient, { userId, teamId, numberIds, since }: { userId: string; teamId: string; numberIds: string[]; since: Date }) {
  await prisma.user.update({ where: { id: userId }, data: { createdAt: since } });
  await prisma.team.update({ where: { id: teamId }, data: { createdAt: since } });
  await prisma.membership.updateMany({ where: { teamId }, data: { createdAt: since } });
  // A minute apart, in the order they were added: the numbers page lists them by creation.
  for (const [i, id] of numberIds.entries()) {
    const at = new Date(since.getTime() + (i + 1) * 60_000);
    await prisma.phoneNumber.updateMany({ where: { id, teamId }, data: { createdAt: at, tokenRotatedAt: at } });
  }
}

/** A seeded number as the plan needs it: signed with what its demo signs with, over the stand-in URL. */
function demoNumber(number: IngestNumber): DemoNumber {
  const stored = openCredentialsOrThrow(number);
  const demo = DEMO_NUMBERS.find((candidate) => candidate.provider === number.provider && candidate.e164 === number.e164);
  return { e164: number.e164, credentials: stored && demo?.signWith ? demo.signWith : stored, url: standInUrl(number.provider) };
}

/** A demo number's credentials when they are the demo's own; null once the team changed them (or they cannot be opened). */
function demoCredentials({ provider, e164, credentials }: { provider: Provider; e164: string; credentials: string | null }): Credentials | null {
  const demo = DEMO_NUMBERS.find((number) => number.provider === provider && number.e164 === e164)?.credentials;
  const opened = openCredentials(provider, credentials);
  if (!demo || !opened.ok || !opened.value) return null;
  return JSON.stringify(opened.value) === JSON.stringify(demo) ? opened.value : null;
}

function readState(file: string): DemoState | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DemoState;
  } catch {
    return null;
  }
}

function key(provider: Provider, e164: string) {
  return `${provider}:${e164}`;
}
