import { describe, expect, it } from "vitest";
import { describePhoneNumber, normalizePhoneNumber, normalizeProviderAddress } from "@/lib/phone";

describe("normalizePhoneNumber", () => {
  it.each([
    ["+81 90-1234-5678", "+819012345678"],
    ["819012345678", "+819012345678"],
    ["815012345678", "+815012345678"],
    ["+385 92 100 4026", "+385921004026"],
    ["(+1) 219-225-9404", "+12192259404"],
    ["12192259404", "+12192259404"],
  ])("reads %s as %s", (input, e164) => {
    expect(normalizePhoneNumber(input)).toEqual({ ok: true, e164 });
  });

  it("asks for the country code when a national number is given", () => {
    expect(normalizePhoneNumber("090-1234-5678")).toEqual({ ok: false, error: expect.stringMatching(/country code/) });
  });

  it.each(["", "hello", "+1", "+81 90 1234"])("rejects %j with a reason", (input) => {
    const result = normalizePhoneNumber(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeGreaterThan(5);
  });
});

describe("describePhoneNumber", () => {
  it("formats for people and names the country", () => {
    expect(describePhoneNumber("+819012345678")).toEqual({ international: "+81 90 1234 5678", country: "Japan" });
  });
});

describe("normalizeProviderAddress", () => {
  it.each([
    ["447700900001", "+447700900001"],
    ["+14843472194", "+14843472194"],
    ["0081901234567", "+81901234567"],
    ["ACME", "ACME"],
    ["12345", "12345"],
  ])("%j → %j", (raw, expected) => {
    expect(normalizeProviderAddress(raw)).toBe(expected);
  });
});
