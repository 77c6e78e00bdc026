"use client";

import { Field, Input, Select } from "@/components/ui/field";
import type { SignatureMethod } from "@/lib/generated/prisma/enums";
import { SIGNATURE_METHOD_LABELS } from "@/lib/providers";

/** Vonage signed-webhook settings: the method and secret from the Vonage account's settings. */
export function SignatureFields({
  errors,
  currentMethod,
  hasSecret = false,
}: {
  errors: Record<string, string>;
  currentMethod?: SignatureMethod | null;
  hasSecret?: boolean;
}) {
  return (
    <fieldset className="space-y-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">Signed webhooks (optional)</legend>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        If your Vonage account signs inbound messages, enter its signature secret and method. Unsigned or wrongly signed
        deliveries are then refused and logged.
      </p>
      <Field id="signatureMethod" label="Signature method" error={errors.signatureMethod}>
        {(props) => (
          <Select {...props} name="signatureMethod" defaultValue={currentMethod ?? ""}>
            <option value="">Not signed</option>
            {Object.entries(SIGNATURE_METHOD_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        id="signatureSecret"
        label="Signature secret"
        hint={hasSecret ? "A secret is stored (encrypted). Leave empty to keep it." : "Stored encrypted; never shown again."}
        error={errors.signatureSecret}
      >
        {(props) => <Input {...props} name="signatureSecret" type="password" autoComplete="off" />}
      </Field>
    </fieldset>
  );
}
