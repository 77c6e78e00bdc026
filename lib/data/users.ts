import "server-only";
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
};

/** Creates an account (and its first team, where one is named) in one transaction. */
export async function createUserWithPassword(prisma: PrismaClient, options: SignUpOptions) {
  const passwordHash = await hashPassword(options.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { name: options.name, email: normalizeEmail(options.email), passwordHash },
        select: { id: true, email: true, name: true },
      });
      const team = options.teamName ? await createTeamWithOwner(tx, { name: options.teamName, ownerId: user.id }) : null;
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
