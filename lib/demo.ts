import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { hashToken } from "./crypto";
import { createNumber, webhookPath } from "./data/numbers";
import { createUserWithPassword } from "./data/users";
import type { PrismaClient, Provider } from "./generated/prisma/client";

/** The demo login printed by `npm run dev` and written in the README. */
export const DEMO_LOGIN = { email: "demo@moshi.local", password: "moshi-demo-password" } as const;

const DEMO_NUMBERS: { provider: Provider; e164: string; label: string }[] = [
  { provider: "RAKUTEN", e164: "+815012345678", label: "Tokyo support line" },
  { provider: "INFOBIP", e164: "+385921004026", label: "Zagreb promotions" },
  { provider: "VONAGE", e164: "+12192259404", label: "US hotline" },
];

type DemoState = { tokens: Record<string, string> };

export type SeedDemoResult = {
  created: boolean;
  login: { email: string; password: string };
  numbers: { provider: string; e164: string; label: string; webhookUrl: string | null }[];
};

/**
 * Seeds the demo team once: a user, a team and one number per provider. The webhook tokens
 * exist in plain text only at creation, so they are kept in a git-ignored local state file to
 * print the demo URLs at every start; a token rotated in the app since then prints as null.
 */
export async function seedDemo({ prisma, origin, stateFile }: { prisma: PrismaClient; origin: string; stateFile: string }): Promise<SeedDemoResult> {
  const existing = await prisma.user.findUnique({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
  let created = false;
  if (!existing) {
    const { team } = await createUserWithPassword(prisma, { name: "Demo User", ...DEMO_LOGIN, teamName: "Moshi Demo" });
    const tokens: Record<string, string> = {};
    for (const number of DEMO_NUMBERS) {
      const { token } = await createNumber(prisma, { teamId: team!.id, ...number });
      tokens[key(number.provider, number.e164)] = token;
    }
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, JSON.stringify({ tokens } satisfies DemoState, null, 2));
    created = true;
  }
  const state = readState(stateFile);
  const numbers = await prisma.phoneNumber.findMany({
    where: { team: { memberships: { some: { user: { email: DEMO_LOGIN.email }, role: "OWNER" } } } },
    orderBy: { createdAt: "asc" },
    select: { provider: true, e164: true, label: true, tokenHash: true },
  });
  return {
    created,
    login: { ...DEMO_LOGIN },
    numbers: numbers.map((number) => {
      const token = state?.tokens[key(number.provider, number.e164)];
      const valid = token !== undefined && hashToken(token) === number.tokenHash;
      return { provider: number.provider, e164: number.e164, label: number.label, webhookUrl: valid ? origin + webhookPath(number.provider, token) : null };
    }),
  };
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
