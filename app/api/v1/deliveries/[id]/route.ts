import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { getDeliveryEndpoint } from "@/lib/api/routes";

// GET /api/v1/deliveries/<id> - one delivery of the team, with its raw request
export const GET = withApi(getDeliveryEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
