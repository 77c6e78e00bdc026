/**
 * Runs once when a Next.js server starts. An invalid encryption key is reported here, at start,
 * rather than at the first Vonage delivery; the server still starts, because every webhook that
 * needs no signature secret keeps working without the key.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { encryptionKeyProblems } = await import("@/lib/crypto");
  for (const problem of encryptionKeyProblems()) console.error(`[moshi] ${problem}`);
}
