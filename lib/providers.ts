import "server-only";
import type { Provider } from "@/lib/generated/prisma/enums";
import { credentialFields, type CredentialField } from "@/lib/sms/credentials";
import { adapters, PROVIDERS } from "@/lib/sms/registry";
import type { Tone } from "@/lib/tone";

export { PROVIDERS };

/**
 * How a provider is shown, where its portal takes the inbound webhook URL, and whether it signs
 * its requests (its module's credentials schema has fields: a number of it may have
 * credentials): plain data, for pages and client components.
 */
export type ProviderDisplay = { label: string; tone: Tone; colour: string; setup: string; signs: boolean };

/** Each provider's display, read from its module. */
export const PROVIDER_INFO = Object.fromEntries(
  PROVIDERS.map((provider) => {
    const { name, tone, colour, setup } = adapters[provider];
    return [provider, { label: name, tone, colour, setup, signs: credentialFields(provider).length > 0 }];
  }),
) as Record<Provider, ProviderDisplay>;

/** What the number form needs of a provider: its display, its credential fields and their introduction. */
export type ProviderForm = ProviderDisplay & { provider: Provider; credentialsHelp: string; fields: CredentialField[] };

export function providerForms(): ProviderForm[] {
  return PROVIDERS.map((provider) => ({ provider, ...PROVIDER_INFO[provider], credentialsHelp: adapters[provider].credentialsHelp, fields: credentialFields(provider) }));
}

/** The providers' names in the registry's order, for sentences: "A, B or C". */
export function providerNames(conjunction: "and" | "or" = "or"): string {
  const names = PROVIDERS.map((provider) => PROVIDER_INFO[provider].label);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} ${conjunction} ${names.at(-1)}`;
}
