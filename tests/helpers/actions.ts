/**
 * Calling server actions as a signed-in person from a test. The test file mocks the session
 * module itself (`vi.mock("@/lib/auth/auth", () => ({ auth: vi.fn() }))`, hoisted per file);
 * `signIn` then makes `auth()` answer for that person.
 */
import { vi } from "vitest";
import { auth } from "@/lib/auth/auth";

export function signIn(userId: string) {
  vi.mocked(auth).mockResolvedValue({ user: { id: userId }, expires: new Date(Date.now() + 3_600_000).toISOString() } as never);
}

/** A form as a team page posts it: the team's slug, then the fields. */
export function form(team: string, fields: Record<string, string> = {}) {
  const data = new FormData();
  data.set("team", team);
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}
