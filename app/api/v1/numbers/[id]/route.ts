import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { getNumberEndpoint } from "@/lib/api/routes";

// GET /api/v1/numbers/<id> - one number of the team, without secrets
export const GET = withApi(getNumberEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
