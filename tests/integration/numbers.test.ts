import { afterAll, describe, expect, it } from "vitest";
import { hashToken, openSecret } from "@/lib/crypto";
import {
  TOKEN_GRACE_MS,
  createNumber,
  deleteNumber,
  listNumbers,
  revealNumberToken,
  resealTokens,
  rotateNumberToken,
  updateNumber,
} from "@/lib/data/numbers";
import { AppError } from "@/lib/errors";
import { sqlPool } from "@/lib/db";
import { openCredentials, readCredentialsInput } from "@/lib/sms/credentials";
import { findNumberByTokenHash } from "@/lib/sms/store";
import type { Provider } from "@/lib/sms/types";
import { prisma, seedTeam } from "../helpers/db";

/** The lookup a webhook request starts with: its current token, or the previous one in its grace period. */
function findNumberByToken(prisma_: typeof prisma, { provider, token, now = new Date() }: { provider: Provider; token: string; now?: Date }) {
  return findNumberByTokenHash(sqlPool(prisma_), { provider, tokenHash: hashToken(token), now });
}

afterAll(() => prisma.$disconnect());

describe("numbers", () => {
  it("stores only the token's hash and finds the number by its token and provider", async () => {
    const { team } = await seedTeam();
    const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "INFOBIP", e164: "+385921004026", label: "Zagreb" });
    const row = await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(number.tokenHint).toBe(token.slice(-4));

    expect(await findNumberByToken(prisma, { provider: "INFOBIP", token })).toMatchObject({ id: number.id, teamId: team.id });
    // The provider in the URL must be the number's.
    expect(await findNumberByToken(prisma, { provider: "VONAGE", token })).toBeNull();
    expect(await findNumberByToken(prisma, { provider: "INFOBIP", token: token + "x" })).toBeNull();
  });

  it("shows the current URL's token again to its team, sealed beside its hash, and says when it cannot", async () => {
    const { team } = await seedTeam();
    const { number, token } = await createNumber(prisma, { teamId: team.id, provider: "TWILIO", e164: "+15005550006", label: "US" });
    const row = await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    expect(row.tokenSealed).not.toContain(token);
    expect(await revealNumberToken(prisma, { teamId: team.id, numberId: number.id })).toEqual({ provider: "TWILIO", label: "US", token });

    // A rotation keeps the new token to show; the one in its grace period is not shown.
    const { token: rotated } = await rotateNumberToken(prisma, { teamId: team.id, numberId: number.id });
    expect((await revealNumberToken(prisma, { teamId: team.id, numberId: number.id })).token).toBe(rotated);

    // Another team's number is not found; a token issued before tokens were kept says to rotate.
    const other = await seedTeam();
    await expect(revealNumberToken(prisma, { teamId: other.team.id, numberId: number.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await prisma.phoneNumber.update({ where: { id: number.id }, data: { tokenSealed: null } });
    await expect(revealNumberToken(prisma, { teamId: team.id, numberId: number.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/Rotate it/) });

    // Kept tokens follow a key rotation like credentials do.
    await rotateNumberToken(prisma, { teamId: team.id, numberId: number.id });
    const resealed = await resealTokens(prisma);
    expect(resealed.changedMeanwhile).toBe(0);
    expect(resealed.current).toBeGreaterThan(0);
  });

  it("keeps a rotated token valid for 24 hours, then refuses it", async () => {
    const { team } = await seedTeam();
    const { number, token: first } = await createNumber(prisma, { teamId: team.id, provider: "RAKUTEN", e164: "+815012345678", label: "Tokyo" });
    const rotatedAt = new Date();
    const { token: second } = await rotateNumberToken(prisma, { teamId: team.id, numberId: number.id, now: rotatedAt });
    expect(second).not.toBe(first);

    const justBefore = new Date(rotatedAt.getTime() + TOKEN_GRACE_MS - 1000);
    const justAfter = new Date(rotatedAt.getTime() + TOKEN_GRACE_MS + 1000);
    expect(await findNumberByToken(prisma, { provider: "RAKUTEN", token: first, now: justBefore })).toMatchObject({ id: number.id });
    expect(await findNumberByToken(prisma, { provider: "RAKUTEN", token: first, now: justAfter })).toBeNull();
    expect(await findNumberByToken(prisma, { provider: "RAKUTEN", token: second, now: justAfter })).toMatchObject({ id: number.id });

    // A second rotation retires the first token at once: only one previous token is kept.
    const { token: third } = await rotateNumberToken(prisma, { teamId: team.id, numberId: number.id });
    expect(await findNumberByToken(prisma, { provider: "RAKUTEN", token: first })).toBeNull();
    expect(await findNumberByToken(prisma, { provider: "RAKUTEN", token: second })).toMatchObject({ id: number.id });
    expect(await findNumberByToken(prisma, { provider: "RAKUTEN", token: third })).toMatchObject({ id: number.id });
  });

  it("seals a number's credentials at rest and reads them back only through the provider's schema", async () => {
    const { team } = await seedTeam();
    const { number, token } = await createNumber(prisma, {
      teamId: team.id,
      provider: "VONAGE",
      e164: "+12192259404",
      label: "US",
      credentials: { signatureMethod: "SHA256", signatureSecret: "my-vonage-secret" },
    });
    const row = await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    expect(row.credentials).not.toContain("my-vonage-secret");
    expect(row.credentials).not.toContain("SHA256");
    expect(openSecret(row.credentials!)).toMatchObject({ ok: true, value: JSON.stringify({ signatureMethod: "SHA256", signatureSecret: "my-vonage-secret" }) });
    expect(number.credentials).toEqual({ state: "set", values: { signatureMethod: "SHA256" }, secretsSet: ["signatureSecret"] });
    // The lookup leaves the credentials sealed: the caller opens them and decides what a failure means.
    expect(await findNumberByToken(prisma, { provider: "VONAGE", token })).toMatchObject({ credentialsSealed: row.credentials });
    expect(openCredentials("VONAGE", row.credentials)).toEqual({ ok: true, value: { signatureMethod: "SHA256", signatureSecret: "my-vonage-secret" }, previousKey: false });

    // A provider that does not sign has no credentials to keep.
    const infobip = await createNumber(prisma, { teamId: team.id, provider: "INFOBIP", e164: "+385921004026", label: "HR" });
    expect(infobip.number.credentials).toEqual({ state: "none" });

    // A method change without a new secret keeps the secret (the form reads it that way); null forgets them.
    const kept = readCredentialsInput("VONAGE", { "credentials.signatureMethod": "SHA512", "credentials.signatureSecret": "" }, { signatureMethod: "SHA256", signatureSecret: "my-vonage-secret" });
    expect(kept).toEqual({ ok: true, value: { signatureMethod: "SHA512", signatureSecret: "my-vonage-secret" } });
    await updateNumber(prisma, { teamId: team.id, numberId: number.id, label: "US main", credentials: kept.ok ? kept.value : null });
    const updated = (await findNumberByToken(prisma, { provider: "VONAGE", token }))!;
    expect(openCredentials("VONAGE", updated.credentialsSealed)).toMatchObject({ value: { signatureMethod: "SHA512", signatureSecret: "my-vonage-secret" } });
    await updateNumber(prisma, { teamId: team.id, numberId: number.id, label: "US main", credentials: null });
    expect(await findNumberByToken(prisma, { provider: "VONAGE", token })).toMatchObject({ credentialsSealed: null });

    // The schema's own rules, with each problem on its field.
    expect(readCredentialsInput("VONAGE", { "credentials.signatureSecret": "s" })).toEqual({
      ok: false,
      fieldErrors: { "credentials.signatureMethod": "Choose the signature method set in your Vonage account." },
    });
    expect(readCredentialsInput("VONAGE", { "credentials.signatureMethod": "SHA256" })).toEqual({
      ok: false,
      fieldErrors: { "credentials.signatureSecret": "Enter the signature secret from your Vonage account." },
    });
    expect(readCredentialsInput("VONAGE", { "credentials.signatureMethod": "", "credentials.signatureSecret": "" })).toEqual({ ok: true, value: null });
  });

  it("refuses the same number twice for one provider in a team, with a field error", async () => {
    const { team } = await seedTeam();
    await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "One" });
    const error = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "Two" }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "CONFLICT", fieldErrors: { number: expect.any(String) } });
    // Another provider, or another team, may hold the same number.
    await createNumber(prisma, { teamId: team.id, provider: "INFOBIP", e164: "+12192259404", label: "Three" });
    const other = await seedTeam();
    await createNumber(prisma, { teamId: other.team.id, provider: "VONAGE", e164: "+12192259404", label: "Theirs" });
  });

  it("never lets one team read, rotate, edit or delete another team's number", async () => {
    const mine = await seedTeam("Mine");
    const theirs = await seedTeam("Theirs");
    const { number } = await createNumber(prisma, { teamId: theirs.team.id, provider: "VONAGE", e164: "+12192259404", label: "Theirs" });

    expect(await listNumbers(prisma, mine.team.id)).toEqual([]);
    const attempts = [
      () => rotateNumberToken(prisma, { teamId: mine.team.id, numberId: number.id }),
      () => updateNumber(prisma, { teamId: mine.team.id, numberId: number.id, label: "Hijacked" }),
      () => deleteNumber(prisma, { teamId: mine.team.id, numberId: number.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } })).toMatchObject({ label: "Theirs" });
    expect((await listNumbers(prisma, theirs.team.id)).map((n) => n.label)).toEqual(["Theirs"]);
  });

  it("lets exactly one of two concurrent rotations win", async () => {
    const { team } = await seedTeam();
    const { number } = await createNumber(prisma, { teamId: team.id, provider: "INFOBIP", e164: "+385921004026", label: "Race" });
    const results = await Promise.allSettled([
      rotateNumberToken(prisma, { teamId: team.id, numberId: number.id }),
      rotateNumberToken(prisma, { teamId: team.id, numberId: number.id }),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    // Whatever happened, the number's current token is one that was handed out.
    const row = await prisma.phoneNumber.findUniqueOrThrow({ where: { id: number.id } });
    const handedOut = fulfilled.map((r) => hashToken((r as PromiseFulfilledResult<{ token: string }>).value.token));
    expect(handedOut).toContain(row.tokenHash);
  });
});
