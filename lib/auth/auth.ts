import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import { db } from "@/lib/db";
import { createTeamWithOwner } from "@/lib/data/teams";
import { normalizeEmail } from "@/lib/data/users";
import { burnPasswordCheck, verifyPassword } from "./password";
import { checkSignInBudget, clientIp, recordSignInAttempt } from "./rate-limit";

/** Thrown when too many sign-ins failed; the sign-in form tells the person to wait. */
export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
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
          const ip = clientIp(request.headers);
          const budget = await checkSignInBudget(prisma, { email, ip });
          if (!budget.allowed) throw new TooManyAttempts();
          const user = await prisma.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
          const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, parsed.data.password) : (await burnPasswordCheck(parsed.data.password), false);
          await recordSignInAttempt(prisma, { email, ip, succeeded: ok });
          if (!ok || !user) return null;
          return { id: user.id, email: user.email, name: user.name };
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
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
  return config;
});
