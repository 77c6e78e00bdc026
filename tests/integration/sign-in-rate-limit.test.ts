import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_FAILURES_PER_EMAIL, SIGN_IN_WINDOW_MS, checkSignInBudget, recordSignInAttempt } from "@/lib/auth/rate-limit";
import { prisma } from "../helpers/db";

afterAll(() => prisma.$disconnect());

describe("failed sign-in rate limit", () => {
  it("blocks an email after repeated failures until the window has passed", async () => {
    const email = `victim-${randomUUID()}@example.test`;
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    await recordSignInAttempt(prisma, { email, ip: null, succeeded: true });
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL - 1; i++) await recordSignInAttempt(prisma, { email, ip, succeeded: false });
    expect(await checkSignInBudget(prisma, { email, ip })).toEqual({ allowed: true });

    await recordSignInAttempt(prisma, { email, ip, succeeded: false });
    const blocked = await checkSignInBudget(prisma, { email, ip });
    expect(blocked.allowed).toBe(false);
    if (!blocked.allowed) expect(blocked.retryAfterMs).toBeGreaterThan(SIGN_IN_WINDOW_MS - 60_000);

    // Other accounts are unaffected; the block lifts once the failures age out.
    expect(await checkSignInBudget(prisma, { email: `other-${randomUUID()}@example.test`, ip: null })).toEqual({ allowed: true });
    expect(await checkSignInBudget(prisma, { email, ip, now: new Date(Date.now() + SIGN_IN_WINDOW_MS + 1000) })).toEqual({ allowed: true });
  });

  it("blocks an address that tries many accounts", async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    await prisma.signInAttempt.createMany({ data: Array.from({ length: 30 }, (_, i) => ({ email: `spray-${i}-${randomUUID()}@example.test`, ip, succeeded: false })) });
    expect((await checkSignInBudget(prisma, { email: `fresh-${randomUUID()}@example.test`, ip })).allowed).toBe(false);
  });
});
