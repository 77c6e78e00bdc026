/**
 * Where things live. Scripts may be started from any working directory (npm runs them from the
 * project root, but a developer may not), so every path is resolved from this file instead.
 */
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");

/** Local, git-ignored state: the embedded database, generated secrets, demo webhook URLs. */
export const localStateDir = path.join(projectRoot, ".moshi");

/** The entry file of a locally installed CLI (`node_modules/.bin/<name>` resolves to it). */
export function binPath(name: string): string {
  return path.join(projectRoot, "node_modules", ".bin", name);
}
