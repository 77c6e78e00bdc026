/**
 * One inbound adapter per provider. `satisfies Record<Provider, InboundAdapter>` makes a new
 * provider a compile error until its adapter is registered.
 */
import { infobipAdapter } from "./providers/infobip";
import { rakutenAdapter } from "./providers/rakuten";
import { vonageAdapter } from "./providers/vonage";
import type { InboundAdapter, Provider } from "./types";

export const adapters = {
  RAKUTEN: rakutenAdapter,
  INFOBIP: infobipAdapter,
  VONAGE: vonageAdapter,
} satisfies Record<Provider, InboundAdapter>;

// Nexmo is Vonage's former name; URLs configured under it keep working.
const PATH_SEGMENTS: Record<string, Provider> = { rakuten: "RAKUTEN", infobip: "INFOBIP", vonage: "VONAGE", nexmo: "VONAGE" };

/** The provider a webhook URL's path segment names (case-insensitive), or null for any other. */
export function providerFromPath(segment: string): Provider | null {
  const key = segment.toLowerCase();
  return Object.hasOwn(PATH_SEGMENTS, key) ? (PATH_SEGMENTS[key] ?? null) : null;
}
