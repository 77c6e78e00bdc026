/**
 * Builds realistic provider deliveries for a message, as the provider would send them: split
 * into parts where the provider sends parts, signed when the number's credentials allow it. Each
 * provider's module holds its own simulator; used by `npm run sms:send`, the dashboard's test
 * message and the demo traffic.
 */
import { adapters } from "./registry";
import type { RawDelivery, SimulatedMessage, SimulatedRequest } from "./types";

export type { SimulatedMessage, SimulatedRequest };
export { splitCodeUnits } from "./providers/simulation";

/** The headers a simulated request is sent with: its content type and its own (signatures). */
export function requestHeaders(request: SimulatedRequest): Record<string, string> {
  return { ...(request.contentType ? { "content-type": request.contentType } : {}), ...request.headers };
}

/**
 * A simulated request as the pipeline reads it, as if sent to `url`: the URL it was signed for,
 * for providers that sign the URL (the dashboard's test message and the demo pass a stand-in,
 * since a number's token is never stored in clear).
 */
export function asRawDelivery(request: SimulatedRequest, url?: string): RawDelivery {
  return {
    method: request.method,
    contentType: request.contentType,
    headers: requestHeaders(request),
    query: request.query,
    body: request.body ?? "",
    urls: url ? [url] : [],
  };
}

export function buildDeliveries(message: SimulatedMessage): SimulatedRequest[] {
  const adapter = adapters[message.provider];
  if (message.format !== undefined && !adapter.formats.includes(message.format)) {
    throw new Error(`${adapter.name} requests are sent as ${adapter.formats.join(", ")}, not ${message.format}.`);
  }
  return adapter.simulate(message);
}
