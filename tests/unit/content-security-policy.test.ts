import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce } from "@/lib/content-security-policy";

const directives = (policy: string) => new Map(policy.split("; ").map((directive) => [directive.split(" ")[0], directive.split(" ").slice(1)]));

describe("contentSecurityPolicy", () => {
  it("lets scripts run only with the nonce in production, and never in frames", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc123==", development: false, allowGitHub: false }));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    // A nonce in style-src would switch 'unsafe-inline' off for the style attributes charts use.
    expect(policy.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect([...policy.values()].flat()).not.toContain("'unsafe-eval'");
  });

  it("allows eval in development only, and GitHub as a form target only when it signs people in", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "n", development: true, allowGitHub: true }));
    expect(policy.get("script-src")).toContain("'unsafe-eval'");
    expect(policy.get("form-action")).toEqual(["'self'", "https://github.com"]);
  });
});

describe("createNonce", () => {
  it("is 128 random bits in base64, new every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
