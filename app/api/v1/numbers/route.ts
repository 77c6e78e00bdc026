import { methodNotAllowed, withApi } from "@/lib/api/endpoint";
import { listNumbersEndpoint } from "@/lib/api/routes";

// GET /api/v1/numbers - list the team's numbers, without secrets
export const GET = withApi(listNumbersEndpoint);

const notAllowed = methodNotAllowed("GET");
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
