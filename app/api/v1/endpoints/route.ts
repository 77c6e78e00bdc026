import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { listEndpointsEndpoint } from "@/lib/api/routes";

// GET /api/v1/endpoints - list the team's forwarding endpoints, without secrets
export const GET = withApi(listEndpointsEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
