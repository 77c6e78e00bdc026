import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import vectors from "../fixtures/standard-webhooks-vectors.json";
import { isLocalHostname, isNonPublicAddress } from "@/lib/forwarding/addresses";
import { forwardingConfig, retryDelayMs } from "@/lib/forwarding/config";
import { generateSigningSecret, signatureHeaders } from "@/lib/forwarding/signing";
import { checkEndpointUrl } from "@/lib/forwarding/endpoints";

describe("signing (Standard Webhooks)", () => {
  // The spec's official vectors: what Moshi sends must carry exactly the expected signature
  // where one is expected, and the spec's library must accept or refuse each as it says.
  for (const vector of vectors.vectors) {
    it(`${vector.id}: ${vector.expect ? "accepted" : "refused"}`, () => {
      const at = new Date(Number(vector.timestamp) * 1000);
      const headers = { "webhook-id": vector.msg_id, "webhook-timestamp": vector.timestamp, "webhook-signature": vector.signature };
      const verify = () => verifyAt(vector.secret, vector.payload, headers, at);
      if (vector.expect) expect(verify).not.toThrow();
      else expect(verify).toThrow();
      if (vector.id === "SW-01") {
        expect(signatureHeaders(vector.msg_id, at, vector.payload, [vector.secret])).toEqual(headers);
      }
    });
  }

  it("signs with every secret given, space-separated, each verifiable on its own", () => {
    const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const at = new Date();
    const body = JSON.stringify({ type: "message.received", data: { text: "こんにちは 😀" } });
    const headers = signatureHeaders("evt_1", at, body, [current, previous]);
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(body + " ", headers)).toThrow();
  });
});

/** The library checks the timestamp against the clock: the vectors are from 2021. */
function verifyAt(secret: string, payload: string, headers: Record<string, string>, at: Date) {
  const realNow = Date.now;
  Date.now = () => at.getTime();
  try {
    new Webhook(secret).verify(payload, headers);
  } finally {
    Date.now = realNow;
  }
}

describe("retry schedule", () => {
  const config = forwardingConfig({});

  it("backs off exponentially, with jitter, and keeps trying for at least 24 hours", () => {
    const delays = Array.from({ length: 30 }, (_, i) => retryDelayMs(config, i + 1, 0.5));
    expect(delays.slice(0, 4)).toEqual([5_000, 15_000, 45_000, 135_000]);
    expect(Math.max(...delays)).toBe(4 * 60 * 60 * 1000);
    // With the shortest jitter every time, the attempts still span the whole window.
    let elapsed = 0;
    let retries = 0;
    while (elapsed < config.windowMs) elapsed += retryDelayMs(config, ++retries, 0);
    expect(retries).toBeLessThan(20);
    expect(retryDelayMs(config, 3, 0)).toBe(33_750);
    expect(retryDelayMs(config, 3, 0.999999)).toBeLessThanOrEqual(56_250);
  });

  it("is production's unless told otherwise", () => {
    expect(forwardingConfig({ NODE_ENV: "production" }).allowNonPublic).toBe(false);
    expect(forwardingConfig({ NODE_ENV: "production", MOSHI_ALLOW_PRIVATE_ENDPOINTS: "true" }).allowNonPublic).toBe(true);
    expect(forwardingConfig({ NODE_ENV: "development" }).allowNonPublic).toBe(true);
    expect(forwardingConfig({ NODE_ENV: "development", MOSHI_ALLOW_PRIVATE_ENDPOINTS: "false" }).allowNonPublic).toBe(false);
    expect(forwardingConfig({ MOSHI_FORWARD_TIMEOUT_MS: "-5" }).timeoutMs).toBe(10_000);
  });
});

describe("addresses", () => {
  it.each([
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
    "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "not an address",
  ])("%s is not public", (address) => expect(isNonPublicAddress(address)).toBe(true));

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "203.0.114.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  it("knows this machine's names", () => {
    expect(isLocalHostname("localhost")).toBe(true);
    expect(isLocalHostname("api.localhost")).toBe(true);
    expect(isLocalHostname("127.0.0.1")).toBe(true);
    expect(isLocalHostname("[::1]")).toBe(true);
    expect(isLocalHostname("example.com")).toBe(false);
  });
});

describe("endpoint URLs", () => {
  it("takes HTTPS, and plain HTTP only to this machine where that is allowed", () => {
    expect(checkEndpointUrl("https://hooks.example.com/moshi", false)).toEqual({ ok: true, url: "https://hooks.example.com/moshi" });
    expect(checkEndpointUrl("http://localhost:4400/events", true)).toEqual({ ok: true, url: "http://localhost:4400/events" });
    expect(checkEndpointUrl("http://127.0.0.1:4400/events", true).ok).toBe(true);
    expect(checkEndpointUrl("http://localhost:4400/events", false)).toMatchObject({ ok: false, error: "Use https://." });
    expect(checkEndpointUrl("http://hooks.example.com/", true)).toMatchObject({ ok: false });
    expect(checkEndpointUrl("https://10.0.0.5/hook", false)).toMatchObject({ ok: false, error: expect.stringMatching(/public internet/) });
    expect(checkEndpointUrl("https://[::1]/hook", false)).toMatchObject({ ok: false });
    expect(checkEndpointUrl("https://user:pw@hooks.example.com/", false)).toMatchObject({ ok: false, error: expect.stringMatching(/credentials/) });
    expect(checkEndpointUrl("ftp://hooks.example.com/", true)).toMatchObject({ ok: false });
    expect(checkEndpointUrl("hooks.example.com", true)).toMatchObject({ ok: false, error: expect.stringMatching(/full URL/) });
  });
});
