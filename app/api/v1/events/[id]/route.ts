import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { getEventEndpoint } from "@/lib/api/routes";

// GET /api/v1/events/<id> - one event of the team
export const GET = withApi(getEventEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
