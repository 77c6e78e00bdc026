/**
 * The one error type the data layer throws for expected failures. Pages and actions map it
 * to a response in one place (`lib/actions.ts`): NOT_FOUND becomes a 404, so a resource of
 * another team is indistinguishable from one that does not exist.
 */
export type AppErrorCode = "NOT_FOUND" | "FORBIDDEN" | "INVALID" | "CONFLICT" | "RATE_LIMITED";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function notFoundError(what = "Not found"): AppError {
  return new AppError("NOT_FOUND", what);
}
