import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Failed password sign-ins are counted in the database, not in memory: any number of server
 * instances share the same budget. Successful sign-ins do not count against it.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export type SignInBudget = { allowed: true } | { allowed: false; retryAfterMs: number };

export async function checkSignInBudget(
  prisma: PrismaClient,
  { email, ip, now = new Date() }: { email: string; ip: string | null; now?: Date },
): Promise<SignInBudget> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const byEmail = await prisma.signInAttempt.findMany({
    where: { email, succeeded: false, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    take: MAX_FAILURES_PER_EMAIL,
    select: { createdAt: true },
  });
  if (byEmail.length >= MAX_FAILURES_PER_EMAIL) return blockedUntil(byEmail.at(-1)!.createdAt, now);
  if (ip) {
    const byIp = await prisma.signInAttempt.findMany({
      where: { ip, succeeded: false, createdAt: { gt: since } },
      orderBy: { createdAt: "desc" },
      take: MAX_FAILURES_PER_IP,
      select: { createdAt: true },
    });
    if (byIp.length >= MAX_FAILURES_PER_IP) return blockedUntil(byIp.at(-1)!.createdAt, now);
  }
  return { allowed: true };
}

export async function recordSignInAttempt(
  prisma: PrismaClient,
  attempt: { email: string; ip: string | null; succeeded: boolean },
): Promise<void> {
  await prisma.signInAttempt.create({ data: attempt });
}

/** The client address as the platform reports it (Vercel and most proxies set x-forwarded-for). */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || null;
}

function blockedUntil(oldestCountedFailure: Date, now: Date): SignInBudget {
  return { allowed: false, retryAfterMs: oldestCountedFailure.getTime() + SIGN_IN_WINDOW_MS - now.getTime() };
}
