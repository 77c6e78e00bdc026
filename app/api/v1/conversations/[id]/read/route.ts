import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { markConversationReadEndpoint } from "@/lib/api/routes";

// POST /api/v1/conversations/<id>/read - mark a conversation read (read-write keys)
export const POST = withApi(markConversationReadEndpoint);

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
