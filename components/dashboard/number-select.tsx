import { Select } from "@/components/ui/field";
import type { Provider } from "@/lib/generated/prisma/enums";
import { PROVIDER_INFO } from "@/lib/providers";

export type NumberOption = { id: string; label: string; provider: Provider };

/** The `number` field of a page's GET filter form: one of the team's numbers, or all of them. */
export function NumberSelect({ id, numbers, current, className }: { id: string; numbers: NumberOption[]; current: string | null; className?: string }) {
  return (
    <Select id={id} name="number" defaultValue={current ?? ""} className={className}>
      <option value="">All numbers</option>
      {numbers.map((n) => (
        <option key={n.id} value={n.id}>
          {n.label} ({PROVIDER_INFO[n.provider].label})
        </option>
      ))}
    </Select>
  );
}
