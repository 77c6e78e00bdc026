import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/cron/forward/route";

describe("the forwarding cron route", () => {
  const saved = process.env.CRON_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.CRON_SECRET;
    else process.env.CRON_SECRET = saved;
  });

  it("stays shut without CRON_SECRET, and refuses a wrong or missing bearer", async () => {
    delete process.env.CRON_SECRET;
    expect((await GET(new Request("http://moshi.test/api/cron/forward", { headers: { authorization: "Bearer anything" } }))).status).toBe(404);
    process.env.CRON_SECRET = "cron-secret-for-tests-0123456789";
    for (const authorization of [undefined, "Bearer wrong", "Bearer cron-secret-for-tests-012345678", "cron-secret-for-tests-0123456789"]) {
      const response = await GET(new Request("http://moshi.test/api/cron/forward", { headers: authorization ? { authorization } : {} }));
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
    }
  });
});
