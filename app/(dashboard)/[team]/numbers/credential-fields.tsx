"use client";

import { Field, Input, Select } from "@/components/ui/field";
import type { CredentialsSummary } from "@/lib/sms/credentials";
import type { ProviderForm } from "@/lib/providers";

/** Inputs are named `credentials.<field>` (lib/sms/credentials.ts reads them back). */
const PREFIX = "credentials.";

/**
 * A provider's credential fields, generated from its module's schema: each field's title, help
 * text and choices come from there. Nothing when the provider does not sign.
 */
export function CredentialFields({
  form,
  errors,
  current = { state: "none" },
  idPrefix,
}: {
  form: ProviderForm;
  errors: Record<string, string>;
  current?: CredentialsSummary;
  idPrefix: string;
}) {
  if (form.fields.length === 0) {
    return <p className="text-xs text-zinc-600 dark:text-zinc-400">{form.credentialsHelp}</p>;
  }
  const values = current.state === "set" ? current.values : {};
  const secretsSet = new Set(current.state === "set" ? current.secretsSet : []);
  return (
    <fieldset className="space-y-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">Signed webhooks (optional)</legend>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">{form.credentialsHelp}</p>
      {current.state === "unreadable" && <p className="text-xs font-medium text-red-600 dark:text-red-400">{current.reason}</p>}
      {form.fields.map((field) => {
        const name = PREFIX + field.name;
        const id = `${idPrefix}-${field.name}`;
        const hint = field.secret
          ? `${field.description} ${secretsSet.has(field.name) ? "One is stored (encrypted). Leave empty to keep it." : "Stored encrypted; never shown again."}`
          : field.description;
        return (
          <Field key={field.name} id={id} label={field.title} hint={hint} error={errors[name]}>
            {(props) =>
              field.options ? (
                <Select {...props} name={name} defaultValue={values[field.name] ?? ""}>
                  <option value="">Not signed</option>
                  {field.options.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </Select>
              ) : (
                <Input
                  {...props}
                  name={name}
                  type={field.secret ? "password" : "text"}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={field.placeholder ?? undefined}
                  defaultValue={field.secret ? undefined : values[field.name]}
                />
              )
            }
          </Field>
        );
      })}
    </fieldset>
  );
}
