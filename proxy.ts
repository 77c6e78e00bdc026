import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, createNonce } from "@/lib/content-security-policy";

/**
 * Gives every page a Content-Security-Policy with a fresh script nonce. The policy goes on the
 * request too: Next reads the nonce from there and puts it on the scripts it renders. Headers
 * that need no nonce are set for every response in next.config.mjs.
 *
 * Only headers are read here, never a body: the webhook routes, which must see the raw body,
 * are outside the matcher anyway.
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({
    nonce: createNonce(),
    development: process.env.NODE_ENV === "development",
    allowGitHub: Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: not API routes (JSON for providers and scripts), not Next's static files,
      // not files served from public/ (anything with an extension).
      source: "/((?!api/|_next/static|_next/image|favicon\\.ico|.*\\.[a-z0-9]+$).*)",
      // Prefetches carry no HTML of their own to protect.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
