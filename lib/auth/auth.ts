import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { cookies } from "next/headers";
import { z } from "zod";
import { db } from "@/lib/db";
import { createTeamWithOwner } from "@/lib/data/teams";
import { normalizeEmail } from "@/lib/data/users";
import { safeRedirectPath } from "@/lib/redirects";
import { checkPasswordSignIn } from "./attempts";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS } from "./device-cookie";

/** Thrown when too many sign-ins failed; the sign-in form tells the person how long to wait. */
export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterMs: number) {
    super();
  }
}

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(256) });

export const githubEnabled = Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET);

// The config is built per request (the function form) so the database client is created only
// when a request needs it, never at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const prisma = db();
  const config: NextAuthConfig = {
    // The Credentials provider needs JWT sessions; the adapter is there for GitHub accounts.
    session: { strategy: "jwt" },
    adapter: PrismaAdapter(prisma as unknown as Parameters<typeof PrismaAdapter>[0]),
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      // A wrong password is an expected outcome, answered in the form; not a server error.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error(error);
      },
    },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const email = normalizeEmail(parsed.data.email);
          const result = await checkPasswordSignIn(prisma, { email, password: parsed.data.password, headers: request.headers });
          if (result.status === "rate-limited") throw new TooManyAttempts(result.retryAfterMs);
          if (result.status === "rejected") return null;
          if (result.deviceCookie) {
            (await cookies()).set(DEVICE_COOKIE, result.deviceCookie, {
              httpOnly: true,
              sameSite: "lax",
              secure: new URL(request.url).protocol === "https:",
              path: "/",
              maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
            });
          }
          return result.user;
        },
      }),
      ...(githubEnabled ? [GitHub] : []),
    ],
    events: {
      // Someone who arrives through GitHub gets a first team, as a password sign-up does.
      async createUser({ user }) {
        if (!user.id) return;
        await createTeamWithOwner(prisma, { name: `${user.name || user.email?.split("@")[0] || "My"}'s team`, ownerId: user.id });
      },
    },
    callbacks: {
      // Same origin only, through the one check every redirect target passes.
      redirect({ url, baseUrl }) {
        return `${new URL(baseUrl).origin}${safeRedirectPath(url, { origin: baseUrl }) ?? "/"}`;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
  return config;
});
