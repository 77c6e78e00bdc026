/**
 * The pages' Content-Security-Policy. Scripts run only with this response's nonce, or when a
 * script carrying it loads them ('strict-dynamic'): Next puts the nonce on its own scripts when
 * it finds it in the request's policy header (see proxy.ts). An injected `<script>` or inline
 * event handler has no nonce and does not run.
 *
 * Styles allow 'unsafe-inline': Radix positions popovers and Recharts draws charts with style
 * attributes, which nonces cannot cover. A style cannot run code, so this gives up little.
 */
export function contentSecurityPolicy({ nonce, development, allowGitHub }: { nonce: string; development: boolean; allowGitHub: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // React's development build evaluates strings for its debugging aids; production does not.
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    // Without JavaScript, the GitHub button's form is answered with a redirect to GitHub.
    "form-action": ["'self'", ...(allowGitHub ? ["https://github.com"] : [])],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

/** 128 random bits, base64: unguessable, and new for every response. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
