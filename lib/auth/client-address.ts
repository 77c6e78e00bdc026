import { isIP } from "node:net";

type AddressEnv = Record<string, string | undefined>;

/**
 * The client's address as the infrastructure in front of the app saw it, or null when nothing
 * trustworthy says so: what the rate limits count by, and what the audit log records.
 *
 * `X-Forwarded-For` is a list every proxy appends to, and the client writes its beginning: only
 * entries added by our own proxies can be believed. With `MOSHI_TRUSTED_PROXY_HOPS=n` (n proxies
 * in front of the app, each appending the address it received from), the client is the n-th entry
 * from the right. `next start` keeps a client-sent `X-Forwarded-For` as it is and only fills it
 * in with the socket's address when it is missing, so on its own it vouches for nothing; Moshi's
 * own server (scripts/serve.ts, what `npm start` runs) appends the socket's address like a proxy
 * would and says so (`MOSHI_PEER_IN_FORWARDED_FOR`), which counts as one more hop. So under
 * `npm start` the default of 0 proxies gives the address that connected.
 *
 * On Vercel (`VERCEL` set) the platform's own header is used: Vercel overwrites
 * `x-vercel-forwarded-for` and `x-real-ip` with the address it received the request from.
 *
 * IPv6 addresses are cut to their /64: one host usually has a whole /64 to pick addresses from.
 */
export function clientAddress(headers: Headers, env: AddressEnv = process.env): string | null {
  if (env.VERCEL) return normalizeAddress(firstEntry(headers.get("x-vercel-forwarded-for")) ?? headers.get("x-real-ip"));
  const proxies = trustedProxyHops(env);
  const hops = proxies + (env.MOSHI_PEER_IN_FORWARDED_FOR === "1" ? 1 : 0);
  if (hops === 0) return null;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim());
  // Shorter than the configured chain: the request did not come through our proxies.
  if (chain.length < hops) return null;
  const address = normalizeAddress(chain[chain.length - hops]);
  // With no proxy configured, a peer on a private or loopback network is almost surely an
  // unconfigured proxy: counting it would give every client behind it one shared budget.
  if (proxies === 0 && address && isPrivateAddress(address)) return null;
  return address;
}

/** Loopback, private, link-local and shared (CGNAT) ranges, in the spelling normalizeAddress gives. */
function isPrivateAddress(address: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a === 0;
  }
  const first = parseInt(address.split(":")[0] ?? "", 16);
  // ::1 and :: normalize to a /64 starting with 0; fc00::/7 unique local; fe80::/10 link-local.
  return first === 0 || (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

export function trustedProxyHops(env: AddressEnv = process.env): number {
  const raw = env.MOSHI_TRUSTED_PROXY_HOPS?.trim();
  if (!raw) return 0;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`MOSHI_TRUSTED_PROXY_HOPS must be a whole number of proxies (0 to 10), got "${raw}".`);
  }
  return hops;
}

function firstEntry(header: string | null): string | undefined {
  return header?.split(",")[0]?.trim() || undefined;
}

/** One spelling per client: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 as its /64 prefix. */
function normalizeAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  // Some proxies add the port ("203.0.113.7:51234", "[2001:db8::1]:443").
  const bare = value.replace(/^\[([^\]]+)\](?::\d+)?$/, "$1").replace(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/, "$1");
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version !== 6) return null;
  const groups = expandIpv6(bare.toLowerCase());
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(groups.join(":"));
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join(".");
  }
  return `${groups.slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address `isIP` accepted, without leading zeros. */
function expandIpv6(address: string): string[] {
  let text = address;
  // A trailing dotted quad ("::ffff:192.0.2.1") becomes two groups.
  const quad = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, quad.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16).toString(16));
}
