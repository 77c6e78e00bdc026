import { problemResponse } from "@/lib/api/problem";

// ANY /api/v1/<anything else> - not a route: a 404 in the API's problem shape, not an HTML page
async function notFound(): Promise<Response> {
  return problemResponse("NOT_FOUND", "No such route. The routes are listed at /api/v1/openapi.json.");
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
