import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ROLE_LABELS } from "@/lib/auth/roles";
import type { Role } from "@/lib/generated/prisma/enums";

const tones: Record<Role, BadgeTone> = { OWNER: "violet", ADMIN: "sky", MEMBER: "neutral" };

export function RoleBadge({ role }: { role: Role }) {
  return <Badge tone={tones[role]}>{ROLE_LABELS[role]}</Badge>;
}
