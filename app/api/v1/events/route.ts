import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { listEventsEndpoint } from "@/lib/api/routes";

// GET /api/v1/events - list the team's forwarded events
export const GET = withApi(listEventsEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
