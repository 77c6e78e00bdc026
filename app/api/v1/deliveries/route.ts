import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { listDeliveriesEndpoint } from "@/lib/api/routes";

// GET /api/v1/deliveries - list the team's deliveries, without bodies
export const GET = withApi(listDeliveriesEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
