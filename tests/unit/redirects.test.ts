import { describe, expect, it } from "vitest";
import { safeRedirectPath, safeRedirectTarget } from "@/lib/redirects";

describe("safeRedirectPath", () => {
  it.each([
    ["/", "/"],
    ["/acme/inbox", "/acme/inbox"],
    ["/acme/inbox?q=sale&unread=1", "/acme/inbox?q=sale&unread=1"],
    ["/acme/inbox#top", "/acme/inbox#top"],
    ["/invite/abc_DEF-123", "/invite/abc_DEF-123"],
    ["/acme/inbox?q=%E4%BA%88%E7%B4%84", "/acme/inbox?q=%E4%BA%88%E7%B4%84"],
    // Dot segments are resolved, and stay on the site.
    ["/acme/../teams/new", "/teams/new"],
    // A path segment, not credentials: still this site.
    ["/@evil.example", "/@evil.example"],
  ])("keeps the same-site path %j", (target, expected) => {
    expect(safeRedirectPath(target)).toBe(expected);
  });

  it.each([
    // Absolute URLs and other schemes
    "https://evil.example",
    "https://evil.example/acme/inbox",
    "http://evil.example",
    "HTTPS://EVIL.EXAMPLE",
    "ftp://evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "mailto:someone@evil.example",
    // Protocol-relative, in every spelling browsers accept
    "//evil.example",
    "//evil.example/acme",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/acme\\..\\..\\\\evil.example",
    // Whitespace and controls that browsers strip
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "/ /evil.example",
    "/\u0000/evil.example",
    "/\u007f/evil.example",
    "/\u2028/evil.example",
    // Encoded slashes and backslashes, once or twice
    "/%2F/evil.example",
    "/%2f/evil.example",
    "/%2F%2Fevil.example",
    "/%5C/evil.example",
    "/%5c%5cevil.example",
    "/%252F/evil.example",
    "/%25252F/evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%E0%A4%A",
    // Dot segments that climb into a protocol-relative path
    "/invite//../..//evil.example",
    "/a/..//evil.example",
    "/.//evil.example",
    // Credentials and host-looking things
    "@evil.example",
    "evil.example",
    "evil.example/acme",
    "./acme",
    "../acme",
    "?callbackUrl=x",
    "#top",
    // Not a string, empty, absurdly long
    "",
    undefined,
    null,
    42,
    ["/acme"],
    { toString: () => "/acme" },
    `/${"a".repeat(3000)}`,
  ])("refuses %j", (target) => {
    const result = safeRedirectPath(target);
    if (result !== null) {
      // Whatever passes must at least stay on the site: check before failing with the value.
      expect(new URL(result, "https://moshi.test").origin).toBe("https://moshi.test");
    }
    expect(result).toBeNull();
  });

  it("accepts an absolute URL only for the given origin", () => {
    const origin = "https://moshi.test";
    expect(safeRedirectPath("https://moshi.test/acme/inbox?unread=1", { origin })).toBe("/acme/inbox?unread=1");
    expect(safeRedirectPath("https://moshi.test", { origin })).toBe("/");
    expect(safeRedirectPath("/acme", { origin })).toBe("/acme");
    expect(safeRedirectPath("https://moshi.test.evil.example/acme", { origin })).toBeNull();
    expect(safeRedirectPath("https://moshi.test@evil.example/acme", { origin })).toBeNull();
    expect(safeRedirectPath("http://moshi.test/acme", { origin })).toBeNull();
    expect(safeRedirectPath("https://evil.example", { origin })).toBeNull();
    expect(safeRedirectPath("https://moshi.test//evil.example", { origin })).toBeNull();
    expect(safeRedirectPath("javascript:alert(1)", { origin })).toBeNull();
    // Without an origin to compare with, no absolute URL is accepted.
    expect(safeRedirectPath("https://moshi.test/acme")).toBeNull();
  });

  it("never lets anything through that a browser would take off-site", () => {
    // Every short string over the characters that matter: whatever passes resolves on the site.
    const alphabet = ["/", "\\", "%2F", "%5C", ".", "e", ":", "@", "\t", "?", "#"];
    const strings = [""];
    for (let length = 0; length < 4; length++) {
      for (const prefix of strings.splice(0)) for (const piece of alphabet) strings.push(prefix + piece);
      for (const candidate of strings) {
        const result = safeRedirectPath(candidate);
        if (result === null) continue;
        expect(result.startsWith("/") && !result.startsWith("//"), candidate).toBe(true);
        expect(new URL(result, "https://moshi.test").origin, candidate).toBe("https://moshi.test");
      }
    }
  });
});

describe("safeRedirectTarget", () => {
  it("falls back to the home page, or to the given path", () => {
    expect(safeRedirectTarget("//evil.example")).toBe("/");
    expect(safeRedirectTarget(undefined, "/sign-in")).toBe("/sign-in");
    expect(safeRedirectTarget("/acme/stats")).toBe("/acme/stats");
  });
});
