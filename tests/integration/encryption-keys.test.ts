import { createCipheriv, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { replayDeliveryAction } from "@/app/(dashboard)/[team]/deliveries/actions";
import { createNumberAction, sendTestMessageAction } from "@/app/(dashboard)/[team]/numbers/actions";
import { auth } from "@/lib/auth/auth";
import { keyId, openSecret } from "@/lib/crypto";
import { createNumber, resealCredentials } from "@/lib/data/numbers";
import { ingestDelivery } from "@/lib/sms/ingest";
import { prisma, seedTeam } from "../helpers/db";

// The actions run as the seeded owner; outside a Next request there is no cache to revalidate.
vi.mock("@/lib/auth/auth", () => ({ auth: vi.fn() }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

// Keys of this file only: other test files seal with the suite's key, which these never touch.
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const strangerKey = randomBytes(32);

function useKeys(current: Buffer | string, previous?: Buffer) {
  vi.stubEnv("MOSHI_ENCRYPTION_KEY", typeof current === "string" ? current : current.toString("base64"));
  vi.stubEnv("MOSHI_ENCRYPTION_KEY_PREVIOUS", previous?.toString("base64"));
}

beforeEach(() => useKeys(keyA));
afterEach(() => vi.unstubAllEnvs());
afterAll(() => prisma.$disconnect());

async function addVonage(teamId: string, e164: string, secret: string) {
  return createNumber(prisma, { teamId, provider: "VONAGE", e164, label: e164, credentials: { signatureMethod: "SHA256", signatureSecret: secret } });
}

async function storedSecret(numberId: string) {
  return (await prisma.phoneNumber.findUniqueOrThrow({ where: { id: numberId }, select: { credentials: true } })).credentials!;
}

describe("rotating MOSHI_ENCRYPTION_KEY", () => {
  it("re-encrypts only the secrets sealed with the previous key, and a second run finds nothing to do", async () => {
    const { team } = await seedTeam();
    const one = await addVonage(team.id, "+12192250001", "secret-one");
    const legacy = await addVonage(team.id, "+12192250002", "placeholder");
    // As the migration to one credentials column left it: each secret field sealed on its own (here before key ids).
    const migrated = JSON.stringify({ signatureMethod: "SHA256", signatureSecret: sealV1("secret-legacy", keyA) });
    await prisma.phoneNumber.update({ where: { id: legacy.number.id }, data: { credentials: migrated } });
    useKeys(strangerKey);
    const lost = await addVonage(team.id, "+12192250003", "secret-lost");
    useKeys(keyB, keyA);
    const fresh = await addVonage(team.id, "+12192250004", "secret-fresh");
    const before = { fresh: await storedSecret(fresh.number.id), lost: await storedSecret(lost.number.id) };

    const first = await resealCredentials(prisma, { batchSize: 2 });
    expect(first).toMatchObject({ resealed: 2, current: 1, changedMeanwhile: 0 });
    expect(first.unreadable).toContainEqual({
      numberId: lost.number.id,
      teamSlug: team.slug,
      e164: "+12192250003",
      reason: expect.stringContaining(`sealed with key ${keyId(strangerKey)}`),
    });
    expect(await storedSecret(fresh.number.id)).toBe(before.fresh);
    expect(await storedSecret(lost.number.id)).toBe(before.lost);

    // Without the previous key, every secret it sealed now opens with the current one.
    useKeys(keyB);
    for (const [numberId, value] of [[one.number.id, "secret-one"], [legacy.number.id, "secret-legacy"], [fresh.number.id, "secret-fresh"]] as const) {
      const sealed = await storedSecret(numberId);
      expect(sealed.startsWith(`v2.${keyId(keyB)}.`)).toBe(true);
      expect(openSecret(sealed)).toEqual({ ok: true, value: JSON.stringify({ signatureMethod: "SHA256", signatureSecret: value }), previousKey: false });
    }

    useKeys(keyB, keyA);
    const again = await resealCredentials(prisma);
    expect(again).toMatchObject({ resealed: 0, current: 3, changedMeanwhile: 0 });
    expect(again.unreadable.map((u) => u.numberId)).toContain(lost.number.id);
  });

  it("reseals each secret once when two runs race", async () => {
    const { team } = await seedTeam();
    const numbers = [await addVonage(team.id, "+12192250011", "s1"), await addVonage(team.id, "+12192250012", "s2"), await addVonage(team.id, "+12192250013", "s3")];
    useKeys(keyB, keyA);
    const runs = await Promise.all([resealCredentials(prisma, { batchSize: 1 }), resealCredentials(prisma, { batchSize: 1 })]);
    expect(runs[0]!.resealed + runs[1]!.resealed).toBe(3);
    useKeys(keyB);
    for (const { number } of numbers) expect(openSecret(await storedSecret(number.id))).toMatchObject({ ok: true, previousKey: false });
  });
});

describe("numbers and delivery actions when a secret cannot be opened", () => {
  async function signedInTeam() {
    const { user, team } = await seedTeam();
    vi.mocked(auth).mockResolvedValue({ user: { id: user.id }, expires: new Date(Date.now() + 3_600_000).toISOString() } as never);
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      data.set("team", team.slug);
      for (const [name, value] of Object.entries(fields)) data.set(name, value);
      return data;
    };
    return { team, form };
  }

  it("answer the reason and the fix, and work again once the previous key is configured", async () => {
    const { team, form } = await signedInTeam();
    const { number, token } = await addVonage(team.id, "+12192250021", "my-secret");
    // An unsigned request is refused and recorded: a delivery to replay.
    const refused = await ingestDelivery(prisma, {
      providerSegment: "vonage",
      token,
      method: "GET",
      headers: new Headers(),
      url: new URL(`http://moshi.test/api/webhooks/vonage/${token}?msisdn=447700900123&to=12192250021&messageId=A1&text=hi&type=text`),
      body: "",
      receivedAt: new Date(),
    });
    expect(refused.status).toBe(401);

    useKeys(keyB);
    const reason = `The stored signature secret was sealed with key ${keyId(keyA)}, which is neither MOSHI_ENCRYPTION_KEY (${keyId(keyB)})`;
    const test = await sendTestMessageAction({ status: "idle" }, form({ numberId: number.id }));
    expect(test).toEqual({ status: "error", error: expect.stringContaining(reason), fieldErrors: undefined });
    const replay = await replayDeliveryAction({ status: "idle" }, form({ deliveryId: refused.deliveryId! }));
    expect(replay).toEqual({ status: "error", error: expect.stringContaining(reason), fieldErrors: undefined });
    // Refused before anything was recorded: no test message, no replay.
    expect(await prisma.delivery.count({ where: { phoneNumberId: number.id } })).toBe(1);

    useKeys("not a key");
    expect(await sendTestMessageAction({ status: "idle" }, form({ numberId: number.id }))).toMatchObject({
      status: "error",
      error: expect.stringContaining("MOSHI_ENCRYPTION_KEY (set but invalid, see the server log)"),
    });
    expect(await createNumberAction({ status: "idle" }, form({ provider: "VONAGE", number: "+12192250022", label: "New", "credentials.signatureMethod": "SHA256", "credentials.signatureSecret": "x" }))).toMatchObject({
      status: "error",
      error: expect.stringContaining("encryption key (MOSHI_ENCRYPTION_KEY) is missing or invalid"),
    });

    useKeys(keyB, keyA);
    expect(await sendTestMessageAction({ status: "idle" }, form({ numberId: number.id }))).toMatchObject({ status: "success", data: { responses: [{ status: 200 }] } });
    expect(await replayDeliveryAction({ status: "idle" }, form({ deliveryId: refused.deliveryId! }))).toMatchObject({ status: "success", data: { status: 401 } });
  });
});

/** A secret as Moshi sealed it before key ids: `v1.<iv>.<tag>.<ciphertext>`. */
function sealV1(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}
