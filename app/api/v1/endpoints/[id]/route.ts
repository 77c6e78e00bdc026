import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { getEndpointEndpoint } from "@/lib/api/routes";

// GET /api/v1/endpoints/<id> - one forwarding endpoint of the team, without secrets
export const GET = withApi(getEndpointEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
