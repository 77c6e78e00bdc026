import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { getConversationEndpoint } from "@/lib/api/routes";

// GET /api/v1/conversations/<id> - one conversation of the team
export const GET = withApi(getConversationEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
