import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { SIGN_IN_LIMITS, SIGN_IN_WINDOW_MS, SIGN_UP_LIMIT_PER_ADDRESS, checkPasswordSignIn, reserveSignUp } from "@/lib/auth/attempts";
import { DEVICE_COOKIE } from "@/lib/auth/device-cookie";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { prisma } from "../helpers/db";

const PASSWORD = "the owner's long password";

afterEach(() => vi.unstubAllEnvs());
afterAll(() => prisma.$disconnect());

describe("password sign-in rate limit", () => {
  it("runs at most the limit's number of password checks for 25 parallel wrong guesses", async () => {
    const { email } = await seedAccount();
    const verify = vi.fn(verifyPassword);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => checkPasswordSignIn(prisma, { email, password: `guess ${i}`, headers: fromAddress(`198.51.100.${i}`) }, { verify })),
    );
    expect(verify).toHaveBeenCalledTimes(SIGN_IN_LIMITS.perAccount);
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(SIGN_IN_LIMITS.perAccount);
    expect(results.filter((result) => result.status === "rate-limited")).toHaveLength(25 - SIGN_IN_LIMITS.perAccount);
    // The owner's password, from a browser that never signed in here, has to wait as well.
    const owner = await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: new Headers() }, { verify });
    expect(owner.status).toBe("rate-limited");
    if (owner.status === "rate-limited") expect(owner.retryAfterMs).toBeGreaterThan(0);
    if (owner.status === "rate-limited") expect(owner.retryAfterMs).toBeLessThanOrEqual(SIGN_IN_WINDOW_MS);
    expect(verify).toHaveBeenCalledTimes(SIGN_IN_LIMITS.perAccount);
  });

  it("lets the owner's browser in while an attacker elsewhere is held back", async () => {
    const { email } = await seedAccount();
    const first = await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: new Headers() });
    expect(first.status).toBe("signed-in");
    const deviceCookie = first.status === "signed-in" ? first.deviceCookie : null;
    expect(deviceCookie).toBeTruthy();

    for (let i = 0; i < SIGN_IN_LIMITS.perAccount * 2; i++) {
      await checkPasswordSignIn(prisma, { email, password: `guess ${i}`, headers: fromAddress("203.0.113.9") });
    }
    expect((await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: fromAddress("203.0.113.9") })).status).toBe("rate-limited");

    const owner = await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: withCookie(new Headers(), deviceCookie!) });
    expect(owner.status).toBe("signed-in");
    // A device cookie is bound to its account and to this server's secret: it opens nothing else.
    const other = await seedAccount();
    await exhaustAccount(other.email);
    expect((await checkPasswordSignIn(prisma, { email: other.email, password: PASSWORD, headers: withCookie(new Headers(), deviceCookie!) })).status).toBe("rate-limited");
    const forged = `${deviceCookie!.split(".")[0]}.${"A".repeat(43)}`;
    expect((await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: withCookie(new Headers(), forged) })).status).toBe("rate-limited");
  });

  it("does not count successful sign-ins", async () => {
    const { email } = await seedAccount();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount * 2; i++) {
      expect((await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: new Headers() })).status).toBe("signed-in");
    }
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      expect((await checkPasswordSignIn(prisma, { email, password: "wrong", headers: new Headers() })).status).toBe("rejected");
    }
  });

  it("lifts the limit once the window has passed", async () => {
    const { email } = await seedAccount();
    await exhaustAccount(email);
    expect((await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: new Headers() })).status).toBe("rate-limited");
    // The window is moved back rather than waited for.
    await prisma.$executeRaw`UPDATE "RateLimitBucket" SET "windowStart" = "windowStart" - interval '15 minutes' WHERE "key" LIKE ${`%:${email}`}`;
    expect((await checkPasswordSignIn(prisma, { email, password: PASSWORD, headers: new Headers() })).status).toBe("signed-in");
  });

  it("holds an address that sprays many accounts, however it rotates X-Forwarded-For", async () => {
    // One proxy in front: it appends the address it received from, the rest is the client's.
    vi.stubEnv("MOSHI_TRUSTED_PROXY_HOPS", "1");
    const statuses = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress + 5; i++) {
      const headers = new Headers({ "x-forwarded-for": `10.${i}.0.1, 192.0.2.${i}, 203.0.113.77` });
      const result = await checkPasswordSignIn(prisma, { email: `spray-${i}-${randomUUID()}@example.test`, password: "Summer2026!", headers });
      statuses.push(result.status);
    }
    expect(statuses.slice(0, SIGN_IN_LIMITS.perAddress).every((status) => status === "rejected")).toBe(true);
    expect(statuses.slice(SIGN_IN_LIMITS.perAddress)).toEqual(Array(5).fill("rate-limited"));
    // Another client behind the same proxy is not affected.
    const elsewhere = new Headers({ "x-forwarded-for": "203.0.113.78" });
    expect((await checkPasswordSignIn(prisma, { email: `fresh-${randomUUID()}@example.test`, password: "x", headers: elsewhere })).status).toBe("rejected");
  });

  it("ignores X-Forwarded-For unless proxies are configured, and trusts Vercel's header on Vercel", async () => {
    // No proxy configured: a rotating header must not open fresh budgets for one account.
    const { email } = await seedAccount();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      await checkPasswordSignIn(prisma, { email, password: `guess ${i}`, headers: fromAddress(`192.0.2.${i}`) });
    }
    expect((await checkPasswordSignIn(prisma, { email, password: "again", headers: fromAddress("192.0.2.200") })).status).toBe("rate-limited");

    vi.stubEnv("VERCEL", "1");
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      const headers = new Headers({ "x-forwarded-for": `10.0.0.${i}`, "x-vercel-forwarded-for": "2001:db8:1:2:aaaa::1" });
      expect((await checkPasswordSignIn(prisma, { email: `v-${i}-${randomUUID()}@example.test`, password: "x", headers })).status).toBe("rejected");
    }
    // Another address of the same IPv6 /64 is the same client.
    const sameNetwork = new Headers({ "x-vercel-forwarded-for": "2001:db8:1:2:bbbb::9" });
    expect((await checkPasswordSignIn(prisma, { email: `v-${randomUUID()}@example.test`, password: "x", headers: sameNetwork })).status).toBe("rate-limited");
  });
});

describe("sign-up rate limit", () => {
  it("allows a number of accounts per client address per hour", async () => {
    vi.stubEnv("MOSHI_TRUSTED_PROXY_HOPS", "1");
    const address = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const outcomes = [];
    for (let i = 0; i < SIGN_UP_LIMIT_PER_ADDRESS + 2; i++) {
      outcomes.push((await reserveSignUp(prisma, new Headers({ "x-forwarded-for": `10.1.1.${i}, ${address}` }))).allowed);
    }
    expect(outcomes).toEqual([...Array(SIGN_UP_LIMIT_PER_ADDRESS).fill(true), false, false]);
    const refused = await reserveSignUp(prisma, new Headers({ "x-forwarded-for": address }));
    expect(refused).toEqual({ allowed: false, retryAfterMs: expect.any(Number) });
    // Counted in the hour-long sign-up window, not the sign-in one.
    if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(SIGN_IN_WINDOW_MS);
    expect((await reserveSignUp(prisma, new Headers({ "x-forwarded-for": "198.18.255.1" }))).allowed).toBe(true);
  });
});

async function seedAccount() {
  const email = `owner-${randomUUID()}@example.test`;
  await prisma.user.create({ data: { email, name: "Owner", passwordHash: await hashPassword(PASSWORD) } });
  return { email };
}

async function exhaustAccount(email: string) {
  for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) await checkPasswordSignIn(prisma, { email, password: `guess ${i}`, headers: new Headers() });
}

function fromAddress(address: string): Headers {
  return new Headers({ "x-forwarded-for": address });
}

function withCookie(headers: Headers, value: string): Headers {
  headers.set("cookie", `theme=dark; ${DEVICE_COOKIE}=${value}`);
  return headers;
}
