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
  // AES-256-GCM key for provider secrets at rest: 32 bytes in canonical base64, the form
  // `openssl rand -base64 32` prints and lib/crypto.ts insists on.
  MOSHI_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
} as const;

/**
 * Kept in the file only when someone puts them there, never generated: to rotate the local key,
 * rename MOSHI_ENCRYPTION_KEY to MOSHI_ENCRYPTION_KEY_PREVIOUS in the file and start again.
 */
const OPTIONAL = ["MOSHI_ENCRYPTION_KEY_PREVIOUS"] as const;

type SecretName = keyof typeof GENERATORS;
type OptionalName = (typeof OPTIONAL)[number];
type StoredSecrets = Partial<Record<SecretName | OptionalName, string>>;

/**
 * Returns a value for every secret: the environment's when set, else the stored one, else a new
 * one that is stored for next time. Optional ones come from the environment or the file, if set.
 */
export function loadLocalSecrets(file: string): Record<SecretName, string> & Partial<Record<OptionalName, string>> {
  const stored = readLocalSecrets(file);
  let changed = false;
  const result: Record<SecretName, string> & Partial<Record<OptionalName, string>> = {} as Record<SecretName, string>;
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
  for (const name of OPTIONAL) {
    const value = process.env[name] || stored[name];
    if (value) result[name] = value;
  }
  if (changed) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
  }
  return result;
}

/** The stored secrets as they are, generating nothing (empty when there is no file yet). */
export function readLocalSecrets(file: string): StoredSecrets {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as StoredSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`Cannot read ${file}: ${(error as Error).message}. Fix or delete it.`);
  }
}
