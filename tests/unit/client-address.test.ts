import { describe, expect, it } from "vitest";
import { clientAddress, trustedProxyHops } from "@/lib/auth/client-address";

const headers = (values: Record<string, string>) => new Headers(values);

describe("clientAddress", () => {
  it("believes no X-Forwarded-For without configured proxies: next start keeps what the client sent", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "203.0.113.5" }), {})).toBeNull();
    expect(clientAddress(headers({ "x-forwarded-for": "203.0.113.5", "x-real-ip": "203.0.113.5" }), { MOSHI_TRUSTED_PROXY_HOPS: "0" })).toBeNull();
  });

  it("takes the entry the n-th proxy from the right appended", () => {
    const chain = headers({ "x-forwarded-for": "10.0.0.1, 198.51.100.4, 203.0.113.9" });
    expect(clientAddress(chain, { MOSHI_TRUSTED_PROXY_HOPS: "1" })).toBe("203.0.113.9");
    expect(clientAddress(chain, { MOSHI_TRUSTED_PROXY_HOPS: "2" })).toBe("198.51.100.4");
    // Fewer entries than proxies: the request did not pass through all of them.
    expect(clientAddress(chain, { MOSHI_TRUSTED_PROXY_HOPS: "4" })).toBeNull();
    expect(clientAddress(headers({}), { MOSHI_TRUSTED_PROXY_HOPS: "1" })).toBeNull();
    expect(clientAddress(headers({ "x-forwarded-for": "not-an-address" }), { MOSHI_TRUSTED_PROXY_HOPS: "1" })).toBeNull();
  });

  it("counts the address Moshi's own server appended as one more hop", () => {
    // The client forged the first entry; serve.ts appended the address that connected.
    const chain = headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" });
    expect(clientAddress(chain, { MOSHI_PEER_IN_FORWARDED_FOR: "1" })).toBe("203.0.113.9");
    // Behind one proxy: the proxy appended the client, the server appended the proxy.
    const proxied = headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" });
    expect(clientAddress(proxied, { MOSHI_PEER_IN_FORWARDED_FOR: "1", MOSHI_TRUSTED_PROXY_HOPS: "1" })).toBe("198.51.100.4");
    // A private or loopback peer with no proxy configured is a proxy nobody told Moshi about:
    // its clients must not share one budget.
    for (const peer of ["127.0.0.1", "10.1.2.3", "192.168.0.9", "172.20.0.1", "::1", "fd00::1", "::ffff:127.0.0.1"]) {
      expect(clientAddress(headers({ "x-forwarded-for": peer }), { MOSHI_PEER_IN_FORWARDED_FOR: "1" })).toBeNull();
    }
  });

  it("uses Vercel's own header on Vercel", () => {
    const request = headers({ "x-forwarded-for": "10.9.9.9", "x-vercel-forwarded-for": "198.51.100.23", "x-real-ip": "198.51.100.99" });
    expect(clientAddress(request, { VERCEL: "1" })).toBe("198.51.100.23");
    expect(clientAddress(headers({ "x-real-ip": "198.51.100.99" }), { VERCEL: "1" })).toBe("198.51.100.99");
  });

  it("spells one client one way", () => {
    const one = (value: string) => clientAddress(headers({ "x-forwarded-for": value }), { MOSHI_TRUSTED_PROXY_HOPS: "1" });
    expect(one("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(one("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(one("::ffff:cb00:7107")).toBe("203.0.113.7");
    expect(one("2001:DB8:0:1:aaaa::1")).toBe("2001:db8:0:1::/64");
    expect(one("[2001:db8:0:1:ffff:ffff:ffff:ffff]:443")).toBe("2001:db8:0:1::/64");
    expect(one("2001:0db8:0000:0001::")).toBe("2001:db8:0:1::/64");
    expect(one("::1")).toBe("0:0:0:0::/64");
  });

  it("refuses a proxy count that is not one", () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ MOSHI_TRUSTED_PROXY_HOPS: " 2 " })).toBe(2);
    expect(() => trustedProxyHops({ MOSHI_TRUSTED_PROXY_HOPS: "yes" })).toThrow(/MOSHI_TRUSTED_PROXY_HOPS/);
    expect(() => trustedProxyHops({ MOSHI_TRUSTED_PROXY_HOPS: "-1" })).toThrow(/MOSHI_TRUSTED_PROXY_HOPS/);
  });
});
