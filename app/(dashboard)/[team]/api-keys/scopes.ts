import type { ApiKeyScope } from "@/lib/generated/prisma/enums";

export const SCOPE_CHOICES: { scope: ApiKeyScope; label: string; description: string }[] = [
  { scope: "READ", label: "Read only", description: "Messages, conversations, numbers, deliveries, events and endpoint attempts." },
  { scope: "READ_WRITE", label: "Read and write", description: "Everything read-only keys can, and marking conversations read." },
];

export const SCOPE_LABELS: Record<ApiKeyScope, string> = { READ: "Read only", READ_WRITE: "Read and write" };
