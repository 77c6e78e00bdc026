/**
 * The one check for every redirect target that came from outside (a `callbackUrl` query
 * parameter, a form field, an invite token, Auth.js's redirect callback): only a path on this
 * site passes, returned in a normalised spelling that browsers and servers read the same way.
 *
 * Browsers are lenient in ways an attacker uses: they drop tabs and newlines inside a URL, read
 * `\` as `/`, take `//host` as another origin, and some servers decode `%2F` before routing. So
 * the target is refused outright when it holds any of those, then resolved against a placeholder
 * origin, and must still be on it, with a path that is not protocol-relative once decoded.
 */
export function safeRedirectPath(target: unknown, { origin }: { origin?: string } = {}): string | null {
  if (typeof target !== "string" || target.length === 0 || target.length > MAX_LENGTH) return null;
  // Controls, spaces and backslashes have no place in a path this app writes.
  if (/[\u0000-\u0020\u007f-\u009f\\]/u.test(target) || /[\u2028\u2029\ufeff]/u.test(target)) return null;

  let relative = target;
  if (origin && !target.startsWith("/")) {
    // An absolute URL is accepted only for this site's own origin (Auth.js hands those over).
    const absolute = URL.parse(target);
    if (!absolute || absolute.origin !== new URL(origin).origin) return null;
    relative = absolute.pathname + absolute.search + absolute.hash;
  }
  if (!relative.startsWith("/") || relative.startsWith("//")) return null;

  const resolved = URL.parse(relative, PLACEHOLDER);
  if (!resolved || resolved.origin !== PLACEHOLDER || resolved.username || resolved.password) return null;
  const path = resolved.pathname;
  // `/%2F/evil.example` and friends: a proxy or router that decodes before matching would see `//`.
  const decoded = decodeRepeatedly(path);
  if (decoded === null || decoded.startsWith("//") || /[\\\u0000-\u0020\u007f]/u.test(decoded)) return null;
  return path + resolved.search + resolved.hash;
}

/** `safeRedirectPath`, with a fallback for anything that is not a path on this site. */
export function safeRedirectTarget(target: unknown, fallback = "/"): string {
  return safeRedirectPath(target) ?? fallback;
}

const MAX_LENGTH = 2048;
/** A name that cannot resolve (RFC 6761), only there to tell "same origin" from "elsewhere". */
const PLACEHOLDER = "http://redirect-check.invalid";

/** Decodes percent-escapes until nothing changes (a few rounds at most); null when malformed. */
function decodeRepeatedly(value: string): string | null {
  let current = value;
  for (let round = 0; round < 4; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}
