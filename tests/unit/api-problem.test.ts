import { describe, expect, it } from "vitest";
import { problemFromError } from "@/lib/api/problem";
import { AppError } from "@/lib/errors";

describe("API problems", () => {
  it("answers 503 with Retry-After when the database is away, 500 for anything else unexpected", async () => {
    for (const error of [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), new Error("Connection terminated unexpectedly"), Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })]) {
      const response = problemFromError(error);
      expect(response.status, error.message).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 503, title: "Service unavailable" });
    }
    expect(problemFromError(new TypeError("x is undefined")).status).toBe(500);
    expect(problemFromError(new AppError("NOT_FOUND", "Not found.")).status).toBe(404);
  });
});
