import { openApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json - the OpenAPI 3.1 document of the REST API (public)
export function GET() {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}
