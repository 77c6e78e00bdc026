import { describe, expect, it } from "vitest";
import { decodePosition, encodePosition } from "@/lib/data/keyset";

const encode = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("decodePosition", () => {
  it("reads back what encodePosition wrote, at the edges of the range too", () => {
    for (const at of [new Date(0), new Date("2026-12-01T10:11:12.345Z"), new Date("9999-12-31T23:59:59.999Z")]) {
      const position = { at, id: "cm4n2x0a10000abcd1234" };
      expect(decodePosition(encodePosition(position))).toEqual(position);
    }
    const longest = { at: new Date("9999-12-31T23:59:59.999Z"), id: "x".repeat(64) };
    expect(decodePosition(encodePosition(longest))).toEqual(longest);
  });

  it.each([
    ["a date in the year 33658", encode("999999999999999:cm123")],
    ["the first date past 9999", encode(`${Date.UTC(10000, 0, 1)}:cm123`)],
    ["a negative time", encode("-1:cm123")],
    ["a fraction", encode("1.5:cm123")],
    ["an exponent", encode("1e15:cm123")],
    ["leading zeros", encode("0001:cm123")],
    ["sixteen digits", encode("1234567890123456:cm123")],
    ["no id", encode("1700000000000:")],
    ["an id with SQL", encode("1700000000000:x'; DROP TABLE")],
    ["an id of 65 characters", encode(`1700000000000:${"x".repeat(65)}`)],
    ["a trailing newline", encode("1700000000000:cm123\n")],
    ["a NUL byte", encode("1700000000000:cm\u0000123")],
    ["non-UTF-8 bytes", Buffer.from([0x31, 0x3a, 0xff, 0xfe]).toString("base64url")],
    ["padding", `${encode("1700000000000:cm123")}==`],
    ["standard base64 characters", Buffer.from("1700000000000:cm12?>").toString("base64")],
    ["stray characters in the base64", `${encode("1700000000000:cm123").slice(0, 4)}!!${encode("1700000000000:cm123").slice(4)}`],
    ["whitespace around it", ` ${encode("1700000000000:cm123")} `],
    ["an absurd length", "A".repeat(5000)],
    ["nothing", ""],
    ["not base64 at all", "???"],
  ])("refuses %s", (_, cursor) => {
    expect(decodePosition(cursor)).toBeNull();
  });
});
