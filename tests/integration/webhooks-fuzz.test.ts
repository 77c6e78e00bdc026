import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { GET, PATCH, POST } from "@/app/api/webhooks/[provider]/[token]/route";
import { createNumber } from "@/lib/data/numbers";
import { prisma, seedTeam } from "../helpers/db";

afterAll(() => prisma.$disconnect());

const handlers = { GET, POST, PATCH };

describe("the webhook route on arbitrary input", () => {
  it("never answers 500, and records every request that reached a number", async () => {
    const { team } = await seedTeam();
    const { token: vonageToken } = await createNumber(prisma, { teamId: team.id, provider: "VONAGE", e164: "+12192259404", label: "V", credentials: { signatureMethod: "SHA256", signatureSecret: "s" } });
    const { token: infobipToken } = await createNumber(prisma, { teamId: team.id, provider: "INFOBIP", e164: "+385921004026", label: "I" });
    const targets = [
      { provider: "vonage", token: vonageToken },
      { provider: "infobip", token: infobipToken },
      { provider: "rakuten", token: infobipToken },
    ];
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.constantFrom("GET", "POST", "PATCH") as fc.Arbitrary<keyof typeof handlers>,
        fc.option(fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-16")),
        fc.oneof(fc.string(), fc.json(), fc.webQueryParameters()),
        fc.dictionary(fc.constantFrom("msisdn", "to", "messageId", "text", "type", "sig", "concat", "concat-part", "concat-total", "concat-ref", "results"), fc.string()),
        async (target, method, contentType, body, query) => {
          const url = new URL(`http://moshi.test/api/webhooks/${target.provider}/${target.token}`);
          for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
          const response = await handlers[method](
            new Request(url, { method, body: method === "GET" ? undefined : body, headers: contentType ? { "content-type": contentType } : {} }),
            { params: Promise.resolve(target) },
          );
          expect([200, 400, 401, 404, 405]).toContain(response.status);
          expect(await response.json()).toEqual(expect.any(Object));
          if (response.status !== 404) reached++;
        },
      ),
      { numRuns: 150 },
    );
    const recorded = await prisma.delivery.count({ where: { teamId: team.id } });
    expect(recorded).toBe(reached);
    // The numbers' own URLs were reached, not only unknown tokens.
    expect(reached).toBeGreaterThan(0);
  });
});
