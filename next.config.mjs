/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  // The PostgreSQL driver and the argon2 binding are loaded from node_modules at run time.
  serverExternalPackages: ["pg", "@node-rs/argon2"],
};

export default nextConfig;
