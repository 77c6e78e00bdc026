/**
 * Fails when prisma/schema.prisma describes a database the committed migrations do not build,
 * i.e. someone changed the schema and forgot `npm run db:migrate`.
 *
 * Prisma replays the migrations into a shadow database and compares the result with the schema.
 * The shadow is created on the server DATABASE_URL points at; without one, an in-memory embedded
 * PostgreSQL plays the server (it accepts CREATE DATABASE, and being empty it is a clean shadow).
 *
 * Usage: npm run db:drift [-- --schema <path>]   (another schema file, to prove the check bites)
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "./lib/database";
import { runBinCaptured } from "./lib/processes";
import { projectRoot } from "./lib/project";

const { values } = parseArgs({ options: { schema: { type: "string" } } });
const schema = path.resolve(values.schema ?? path.join(projectRoot, "prisma", "schema.prisma"));
const schemaName = schema.startsWith(projectRoot + path.sep) ? path.relative(projectRoot, schema) : schema;

const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
const url = embedded?.url ?? process.env.DATABASE_URL!;

let result: { code: number; output: string };
try {
  const args = ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", schema];
  result = await runBinCaptured("prisma", [...args, "--exit-code"], {
    env: { ...process.env, DATABASE_URL: url, DIRECT_DATABASE_URL: url, CHECKPOINT_DISABLE: "1" },
  });
} finally {
  await embedded?.stop();
}

// `--exit-code`: 0 means no difference, 2 means a difference, anything else is an error.
if (result.code === 0) {
  console.log(`No drift: prisma/migrations builds exactly ${schemaName}.`);
} else if (result.code === 2) {
  console.error(result.output.trim());
  console.error(
    `\nDrift: ${schemaName} has changes that no migration creates (listed above).\n` +
      "Create one with `npm run db:migrate -- --name <what-changed>` and commit it.",
  );
} else {
  console.error(result.output.trim());
  console.error(`\nThe drift check could not run (prisma migrate diff exited with ${result.code}).`);
}
process.exitCode = result.code;
