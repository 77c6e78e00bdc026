import "server-only";
import { currentRequestOrigin, type RequestOrigin, recordAudit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { createTeamWithOwner } from "./teams";

export type SignUpOptions = {
  name: string;
  email: string;
  password: string;
  /** The first team's name; null when the person signs up to join a team by invite. */
  teamName: string | null;
  /** Where the sign-up came from, for the new team's audit log; the current request's when left out. */
  request?: RequestOrigin;
};

/**
 * Creates an account (and its first team, where one is named) in one transaction; the team's
 * audit log starts with its creation, as for a team created later.
 */
export async function createUserWithPassword(prisma: PrismaClient, options: SignUpOptions) {
  const passwordHash = await hashPassword(options.password);
  const request = options.request ?? (await currentRequestOrigin());
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { name: options.name, email: normalizeEmail(options.email), passwordHash },
        select: { id: true, email: true, name: true },
      });
      const team = options.teamName ? await createTeamWithOwner(tx, { name: options.teamName, ownerId: user.id }) : null;
      if (team) {
        await recordAudit(tx, { team, user, request }, { action: "team.created", target: { type: "team", id: team.id, label: team.name }, summary: `created the team ${team.name} when signing up`, details: { name: team.name } });
      }
      return { user, team };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists.", {
        email: "An account with this email already exists. Sign in instead.",
      });
    }
    throw error;
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
