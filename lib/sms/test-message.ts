import type { PrismaClient } from "@/lib/generated/prisma/client";
import { findNumberForIngest, openCredentialsOrThrow, webhookPath } from "@/lib/data/numbers";
import { AppError } from "@/lib/errors";
import { PROVIDER_INFO } from "@/lib/providers";
import { processDelivery } from "./ingest";
import { asRawDelivery, buildDeliveries } from "./simulate";

export type TestMessageResult = { text: string; responses: { status: number; body: Record<string, unknown> }[] };

/** A test sender in the range reserved for fiction (Ofcom's 07700 900xxx), never a real person. */
export const TEST_SENDER = "+447700900123";

/**
 * Sends the Numbers page's test message to one of the team's numbers: a realistic, correctly
 * signed delivery in the provider's own format, through the same pipeline as a provider's
 * request. The webhook token exists only as a hash, so the delivery enters after the token
 * lookup, flagged as a test there: its messages are test messages (Message.isTest), kept out of
 * statistics, keywords, exports and the inbox's default view, and deletable. Nothing a provider
 * sends can set that flag, since it is not read from the request.
 */
export async function sendTestMessage(prisma: PrismaClient, { teamId, numberId, userId, now = new Date() }: { teamId: string; numberId: string; userId: string; now?: Date }): Promise<TestMessageResult> {
  const number = await findNumberForIngest(prisma, { teamId, numberId });
  if (!number) throw new AppError("NOT_FOUND", "Number not found");
  // Credentials this server cannot open are the team's answer, not a failed request.
  const credentials = openCredentialsOrThrow(number);
  const text = `TEST from Moshi: your ${PROVIDER_INFO[number.provider].label} setup works ✓ (${now.toISOString().slice(11, 16)} UTC)`;
  // The token exists only as a hash, so the URL a provider would sign is this stand-in.
  const url = `https://test-message.moshi.invalid${webhookPath(number.provider, "token")}`;
  const requests = buildDeliveries({ provider: number.provider, from: TEST_SENDER, to: number.e164, text, credentials, url, now });
  const responses = [];
  for (const request of requests) {
    // A provider that signs with a key only it holds (a private key) cannot be imitated: the
    // test then checks everything but the signature, and the delivery says it was not signed.
    const unsignable = credentials !== null && !request.signed;
    const { status, body } = await processDelivery(prisma, number, {
      raw: asRawDelivery(request, url),
      receivedAt: now,
      acceptUnsigned: unsignable ? { userId } : null,
      test: true,
    });
    responses.push({ status, body });
  }
  return { text, responses };
}
