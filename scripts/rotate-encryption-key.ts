/**
 * `npm run keys:rotate`: re-encrypts every stored signature secret sealed with
 * MOSHI_ENCRYPTION_KEY_PREVIOUS under MOSHI_ENCRYPTION_KEY, so the previous key can be removed.
 * Run it once every server runs with both keys (README, "Rotating MOSHI_ENCRYPTION_KEY"). It is
 * safe to run again, or twice at once: each row is rewritten only if it still holds what was read.
 *
 * Needs DATABASE_URL and the two keys in the environment. Locally, keys not in the environment
 * are read from .moshi/secrets.json (never generated here: a new key would open nothing).
 */
import path from "node:path";
import { encryptionKey, encryptionKeyProblems, keyId } from "@/lib/crypto";
import { localStateDir } from "./lib/project";
import { readLocalSecrets } from "./lib/secrets";
import { allowServerOnlyImports } from "./lib/server-only";

const CURRENT = "MOSHI_ENCRYPTION_KEY";
const PREVIOUS = "MOSHI_ENCRYPTION_KEY_PREVIOUS";

const stored = readLocalSecrets(path.join(localStateDir, "secrets.json"));
for (const name of [CURRENT, PREVIOUS] as const) {
  // Assigning undefined to process.env would store the string "undefined".
  if (!process.env[name] && stored[name]) process.env[name] = stored[name];
}

const problems = encryptionKeyProblems();
if (problems.length > 0) fail(problems.join("\n"));
const url = process.env.DATABASE_URL;
if (!url) fail("DATABASE_URL is not set: point it at the database Moshi uses (`npm run dev` prints it in its banner).");

const previous = process.env[PREVIOUS] ? keyId(encryptionKey(process.env[PREVIOUS])) : null;
console.log(`${CURRENT}: key ${keyId(encryptionKey())}; ${PREVIOUS}: ${previous ? `key ${previous}` : "not set"}.`);

// Imported late: app modules start with `import "server-only"`, which needs the hook in place.
allowServerOnlyImports();
const [{ createPrismaClient }, { resealCredentials, resealTokens }] = await Promise.all([import("@/lib/db"), import("@/lib/data/numbers")]);
const prisma = createPrismaClient(url);
let credentials: Awaited<ReturnType<typeof resealCredentials>>;
let tokens: Awaited<ReturnType<typeof resealTokens>>;
try {
  credentials = await resealCredentials(prisma);
  tokens = await resealTokens(prisma);
} finally {
  await prisma.$disconnect();
}

for (const [what, result] of [
  ["Numbers' credentials", credentials],
  ["Webhook URLs kept to show again", tokens],
] as const) {
  console.log(`\n${what}:`);
  console.log(`  re-encrypted with ${CURRENT}: ${result.resealed}`);
  console.log(`  already with ${CURRENT}: ${result.current}`);
  if (result.changedMeanwhile > 0) {
    console.log(`  changed by someone else while this ran: ${result.changedMeanwhile} (run again to confirm nothing is left)`);
  }
  console.log(`  opened by neither key: ${result.unreadable.length}`);
  for (const number of result.unreadable) console.log(`    team ${number.teamSlug}, ${number.e164} (${number.numberId}): ${number.reason}`);
}

const changedMeanwhile = credentials.changedMeanwhile + tokens.changedMeanwhile;
if (!previous) {
  console.log(`\n${PREVIOUS} is not set: there was nothing to re-encrypt.`);
} else if (changedMeanwhile === 0) {
  console.log(
    `\nNothing needs ${PREVIOUS} any more: remove it.` +
      (credentials.unreadable.length + tokens.unreadable.length > 0
        ? " What neither key opens stays unreadable either way: teams must enter those credentials again, and rotate those URLs to see them again."
        : ""),
  );
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
