/**
 * Headers every response gets, pages, API routes and static files alike. The pages'
 * Content-Security-Policy needs a nonce per response, so proxy.ts sets that one.
 */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers that predate CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()" },
  // Production only: a deployment is served over HTTPS (browsers ignore it on plain HTTP).
  ...(process.env.NODE_ENV === "production" ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  // The PostgreSQL driver, the argon2 binding and the job queue are loaded from node_modules at
  // run time (the queue reads its own SQL files and plugins from there).
  serverExternalPackages: ["pg", "@node-rs/argon2", "graphile-worker"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
