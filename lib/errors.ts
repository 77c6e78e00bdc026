/**
 * The one error type the data layer throws for expected failures. Pages and actions map it
 * to a response in one place (`lib/actions.ts`), the REST API in another (`lib/api/problem.ts`):
 * NOT_FOUND becomes a 404, so a resource of another team is indistinguishable from one that
 * does not exist.
 */
export type AppErrorCode = "UNAUTHORIZED" | "NOT_FOUND" | "FORBIDDEN" | "INVALID" | "CONFLICT" | "RATE_LIMITED";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
    /** RATE_LIMITED: how long until another attempt is allowed. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function notFoundError(what = "Not found"): AppError {
  return new AppError("NOT_FOUND", what);
}
