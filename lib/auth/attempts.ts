import type { PrismaClient } from "@/lib/generated/prisma/client";
import { clientAddress } from "./client-address";
import { DEVICE_COOKIE, issueDeviceCookie, readCookie, verifyDeviceCookie } from "./device-cookie";
import { timingEqualiserHash, verifyPassword } from "./password";
import { type Bucket, refundAttempt, reserveAttempt } from "./rate-limit";

/**
 * The budgets for password sign-ins, each over 15 minutes:
 * - a browser that has signed in to the account before (a valid device cookie) has a budget of
 *   its own for that account, which nobody else can spend;
 * - every other client shares one budget per account, so guessing from many addresses gains
 *   nothing; it is what an attacker who knows the email can exhaust, and then only for browsers
 *   the owner never signed in with;
 * - and those clients also share one budget per address across all accounts (password spraying),
 *   when the address is known (see client-address.ts).
 * Reserved attempts of a successful sign-in are given back: only failures count.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_LIMITS = { perAccount: 5, perDevice: 10, perAddress: 30 } as const;

/** Accounts created per client address per hour. */
export const SIGN_UP_WINDOW_MS = 60 * 60 * 1000;
export const SIGN_UP_LIMIT_PER_ADDRESS = 10;

type SignedInUser = { id: string; email: string | null; name: string | null };

export type PasswordSignIn =
  | { status: "signed-in"; user: SignedInUser; deviceCookie: string | null }
  | { status: "rejected" }
  | { status: "rate-limited"; retryAfterMs: number };

export type PasswordSignInOptions = {
  /** Normalised (see normalizeEmail). */
  email: string;
  password: string;
  /** The request's headers: the client address and the device cookie are read from them. */
  headers: Headers;
};

/**
 * Checks an email and password within the rate limits. The attempt is counted before the
 * password is checked, so parallel guesses cannot overrun the limit.
 */
export async function checkPasswordSignIn(
  prisma: PrismaClient,
  { email, password, headers }: PasswordSignInOptions,
  { verify = verifyPassword }: { verify?: typeof verifyPassword } = {},
): Promise<PasswordSignIn> {
  const address = clientAddress(headers);
  const device = verifyDeviceCookie(readCookie(headers, DEVICE_COOKIE), email);
  const reserved = await reserveAttempt(prisma, signInBuckets({ email, address, device }));
  if (!reserved.allowed) return { status: "rate-limited", retryAfterMs: reserved.retryAfterMs };

  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  // An unknown email costs the same password check, so response times do not reveal accounts.
  const matches = await verify(user?.passwordHash ?? (await timingEqualiserHash()), password);
  const succeeded = Boolean(user?.passwordHash) && matches;
  // A record for people to read (and a later clean-up); the limit itself never reads it.
  await prisma.signInAttempt.create({ data: { email, ip: address, succeeded } });
  if (!succeeded || !user) return { status: "rejected" };

  await refundAttempt(prisma, reserved.reservation);
  return { status: "signed-in", user: { id: user.id, email: user.email, name: user.name }, deviceCookie: issueDeviceCookie(email) };
}

/**
 * Counts an account creation against the client address's budget. Without a trustworthy
 * address there is nothing fair to count by, and sign-up is not limited.
 */
export async function reserveSignUp(prisma: PrismaClient, headers: Headers): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
  const address = clientAddress(headers);
  if (!address) return { allowed: true };
  const reserved = await reserveAttempt(prisma, [{ key: `sign-up:address:${address}`, limit: SIGN_UP_LIMIT_PER_ADDRESS, windowMs: SIGN_UP_WINDOW_MS }]);
  return reserved.allowed ? { allowed: true } : reserved;
}

/** "15 minutes", "1 minute": how long to wait, rounded up, for a form message. */
export function describeWait(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

function signInBuckets({ email, address, device }: { email: string; address: string | null; device: string | null }): Bucket[] {
  const windowMs = SIGN_IN_WINDOW_MS;
  if (device) return [{ key: `sign-in:device:${device}:${email}`, limit: SIGN_IN_LIMITS.perDevice, windowMs }];
  return [
    { key: `sign-in:account:${email}`, limit: SIGN_IN_LIMITS.perAccount, windowMs },
    ...(address ? [{ key: `sign-in:address:${address}`, limit: SIGN_IN_LIMITS.perAddress, windowMs }] : []),
  ];
}
