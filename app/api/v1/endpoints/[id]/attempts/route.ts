import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { listEndpointAttemptsEndpoint } from "@/lib/api/routes";

// GET /api/v1/endpoints/<id>/attempts - the requests made to one endpoint
export const GET = withApi(listEndpointAttemptsEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
