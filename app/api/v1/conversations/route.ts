import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { listConversationsEndpoint } from "@/lib/api/routes";

// GET /api/v1/conversations - list the team's conversations
export const GET = withApi(listConversationsEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
