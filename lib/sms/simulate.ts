/**
 * Builds realistic provider deliveries for a message, as the provider would send them: split
 * into parts where the provider sends parts, signed when the number's credentials allow it. Each
 * provider's module holds its own simulator; used by `npm run sms:send`, the dashboard's test
 * message and the demo traffic.
 */
import { adapters } from "./registry";
import type { SimulatedMessage, SimulatedRequest } from "./types";

export type { SimulatedMessage, SimulatedRequest };
export { splitCodeUnits } from "./providers/simulation";

export function buildDeliveries(message: SimulatedMessage): SimulatedRequest[] {
  const adapter = adapters[message.provider];
  if (message.format !== undefined && !adapter.formats.includes(message.format)) {
    throw new Error(`${adapter.name} requests are sent as ${adapter.formats.join(", ")}, not ${message.format}.`);
  }
  return adapter.simulate(message);
}
