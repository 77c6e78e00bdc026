import { ROLE_LABELS } from "@/lib/auth/roles";
import type { Role } from "@/lib/generated/prisma/enums";

/** The roles an invite or a role change can grant: ownership never changes hands this way. */
export const ROLE_CHOICES = [
  { role: "MEMBER", label: ROLE_LABELS.MEMBER, description: "Read-only: sees the team's numbers and messages." },
  { role: "ADMIN", label: ROLE_LABELS.ADMIN, description: "Also manages numbers and members, and invites people." },
] as const satisfies readonly { role: Exclude<Role, "OWNER">; label: string; description: string }[];
