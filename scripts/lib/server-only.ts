/**
 * Lets scripts import app modules that start with `import "server-only"`.
 *
 * That package throws unless resolved with the "react-server" condition, which only Next's server
 * bundler sets. Scripts run on the server too, so point them at the package's own empty module
 * instead of turning on "react-server" for every package (which would swap React's builds).
 */
import { registerHooks } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "./project";

let registered = false;

export function allowServerOnlyImports(): void {
  if (registered) return;
  registered = true;
  const empty = pathToFileURL(path.join(projectRoot, "node_modules", "server-only", "empty.js")).href;
  registerHooks({
    resolve: (specifier, context, next) =>
      specifier === "server-only" ? { url: empty, format: "commonjs", shortCircuit: true } : next(specifier, context),
  });
}
