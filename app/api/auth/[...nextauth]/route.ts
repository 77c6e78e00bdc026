// GET/POST /api/auth/* - Auth.js endpoints (session, CSRF, GitHub OAuth callback)
export { GET, POST } from "@/lib/auth/handlers";
