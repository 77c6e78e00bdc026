import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { getMessageEndpoint } from "@/lib/api/routes";

// GET /api/v1/messages/<id> - one message of the team
export const GET = withApi(getMessageEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
