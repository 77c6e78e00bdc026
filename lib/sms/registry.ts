/**
 * Every provider Moshi receives from: one line each. A provider is its folder under
 * `providers/`, its line here and its value of the `Provider` enum in the schema; nothing else
 * in the app names it. `satisfies Record<Provider, …>` makes a new enum value a compile error
 * until its module is registered.
 */
import { infobipAdapter } from "./providers/infobip";
import { plivoAdapter } from "./providers/plivo";
import { rakutenAdapter } from "./providers/rakuten";
import { sinchAdapter } from "./providers/sinch";
import { telnyxAdapter } from "./providers/telnyx";
import { twilioAdapter } from "./providers/twilio";
import { vonageAdapter } from "./providers/vonage";
import type { InboundAdapter, Provider } from "./types";

export const adapters = {
  RAKUTEN: rakutenAdapter,
  INFOBIP: infobipAdapter,
  VONAGE: vonageAdapter,
  TWILIO: twilioAdapter,
  TELNYX: telnyxAdapter,
  PLIVO: plivoAdapter,
  SINCH: sinchAdapter,
} satisfies Record<Provider, InboundAdapter>;

/** Every provider, in the order the app lists them. */
export const PROVIDERS = Object.keys(adapters) as Provider[];

const PATH_SEGMENTS = new Map<string, Provider>(PROVIDERS.flatMap((provider) => adapters[provider].pathSegments.map((segment) => [segment, provider] as const)));

/** The provider a webhook URL's path segment names (case-insensitive), or null for any other. */
export function providerFromPath(segment: string): Provider | null {
  return PATH_SEGMENTS.get(segment.toLowerCase()) ?? null;
}

/** The path segment Moshi hands out for a provider's webhook URLs. */
export function pathSegmentOf(provider: Provider): string {
  return adapters[provider].pathSegments[0]!;
}
