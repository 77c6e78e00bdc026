import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { listMessagesEndpoint } from "@/lib/api/routes";

// GET /api/v1/messages - list the team's messages
export const GET = withApi(listMessagesEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
