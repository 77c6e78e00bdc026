import type { Role } from "@/lib/generated/prisma/enums";

/** Owners and admins manage numbers and members; members read. */
export function canManage(role: Role): boolean {
  return role === "OWNER" || role === "ADMIN";
}

export const ROLE_LABELS: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member" };
