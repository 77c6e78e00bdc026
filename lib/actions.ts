import "server-only";
import { notFound } from "next/navigation";
import { z } from "zod";
import { assertCanManage, requireTeam, type TeamContext } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";

/** What every form action answers; forms render `error` and `fieldErrors` next to the fields. */
export type ActionState<T = unknown> =
  | { status: "idle" }
  | { status: "success"; message?: string; data?: T }
  | { status: "error"; error: string; fieldErrors?: Record<string, string> };

export const idle: ActionState<never> = { status: "idle" };

type TeamActionOptions = { manage?: boolean };

/**
 * Wraps a team-scoped form action: validates the form with zod, resolves the team from the
 * `team` field through the membership guard (a non-member gets a 404), checks the role, and
 * maps expected failures to form errors in one place.
 */
export function teamAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>, context: TeamContext) => Promise<ActionState<T>>,
  { manage = true }: TeamActionOptions = {},
) {
  return async (_previous: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    const slug = formData.get("team");
    if (typeof slug !== "string" || !slug) notFound();
    const context = await requireTeam(slug);
    return runAction(async () => {
      if (manage) assertCanManage(context);
      const parsed = schema.safeParse(formToObject(formData));
      if (!parsed.success) return validationError(parsed.error);
      return handler(parsed.data, context);
    });
  };
}

/** Runs an action body, turning AppError into an error state (and NOT_FOUND into a 404). */
export async function runAction<T>(body: () => Promise<ActionState<T>>): Promise<ActionState<T>> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "NOT_FOUND") notFound();
    return { status: "error", error: error.message, fieldErrors: error.fieldErrors };
  }
}

export function validationError(error: z.ZodError): ActionState<never> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] ??= issue.message;
  }
  return { status: "error", error: "Please correct the highlighted fields.", fieldErrors };
}

export function formToObject(formData: FormData): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string" && !key.startsWith("$ACTION")) object[key] = value;
  return object;
}
