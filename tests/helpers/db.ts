import { randomUUID } from "node:crypto";
import { createTeamWithOwner } from "@/lib/data/teams";
import { createPrismaClient } from "@/lib/db";

/** One client per test file, on the database the global setup created for this run. */
export const prisma = createPrismaClient(process.env.DATABASE_URL!);

/** A fresh user and team of their own, so tests never share rows and can run in parallel. */
export async function seedTeam(name = "Test team") {
  const user = await prisma.user.create({ data: { email: `owner-${randomUUID()}@example.test`, name: "Owner" } });
  const team = await createTeamWithOwner(prisma, { name, ownerId: user.id });
  return { user, team };
}

export async function seedUser(name = "Someone") {
  return prisma.user.create({ data: { email: `user-${randomUUID()}@example.test`, name } });
}
