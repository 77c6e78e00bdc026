/**
 * `npm run keywords:recompute`: gives the messages stored before the keyword rule changed (the
 * first meaningful word, not the first word: lib/sms/keyword.ts) the keyword the rule gives them
 * now, so the keywords page's periods read alike before and after. Optional, once, after
 * deploying; safe to run again, and while messages arrive. `--team <id>` limits it to one team.
 *
 * Needs DATABASE_URL.
 */
import { parseArgs } from "node:util";
import { allowServerOnlyImports } from "./lib/server-only";

const { values } = parseArgs({ options: { team: { type: "string" } } });
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the database Moshi uses (`npm run dev` prints it in its banner).");
  process.exit(1);
}

// Imported late: app modules start with `import "server-only"`, which needs the hook in place.
allowServerOnlyImports();
const [{ createPrismaClient }, { recomputeKeywords }] = await Promise.all([import("@/lib/db"), import("@/lib/data/keywords")]);
const prisma = createPrismaClient(url);
try {
  const { read, changed } = await recomputeKeywords(prisma, { teamId: values.team });
  console.log(`Complete messages read: ${read}; keywords changed: ${changed}.`);
} finally {
  await prisma.$disconnect();
}
