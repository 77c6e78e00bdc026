/**
 * Secrets for running Moshi locally without any setup. They are generated once and kept in a
 * git-ignored file, because regenerating them on each start would sign everybody out and make
 * every stored provider secret undecryptable.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

const GENERATORS = {
  // Auth.js signs and encrypts session cookies with it.
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  // AES-256-GCM key for provider secrets at rest: exactly 32 bytes, base64 (see lib/crypto.ts).
  MOSHI_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
} as const;

type SecretName = keyof typeof GENERATORS;

/**
 * Returns a value for every secret: the environment's when set, else the stored one, else a new
 * one that is stored for next time.
 */
export function loadLocalSecrets(file: string): Record<SecretName, string> {
  const stored = readStored(file);
  let changed = false;
  const result = {} as Record<SecretName, string>;
  for (const name of Object.keys(GENERATORS) as SecretName[]) {
    const fromEnv = process.env[name];
    if (fromEnv) {
      result[name] = fromEnv;
      continue;
    }
    if (!stored[name]) {
      stored[name] = GENERATORS[name]();
      changed = true;
    }
    result[name] = stored[name];
  }
  if (changed) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
  }
  return result;
}

function readStored(file: string): Partial<Record<SecretName, string>> {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Record<SecretName, string>>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`Cannot read ${file}: ${(error as Error).message}. Fix or delete it.`);
  }
}
