import { describe, expect, it } from "vitest";
import { csvRecord } from "@/lib/csv";

describe("csvRecord", () => {
  it("joins plain fields with commas and ends the record with CRLF", () => {
    expect(csvRecord(["a", 1, true, null, undefined])).toBe("a,1,true,,\r\n");
  });

  it("quotes fields with commas, quotes and line breaks, doubling the quotes", () => {
    expect(csvRecord(['say "hi", then', "two\nlines", "cr\rlf"])).toBe('"say ""hi"", then","two\nlines","cr\rlf"\r\n');
  });

  it("writes dates as ISO 8601 in UTC", () => {
    expect(csvRecord([new Date("2026-11-23T10:00:00.123Z")])).toBe("2026-11-23T10:00:00.123Z\r\n");
  });

  it("keeps formulas from running in a spreadsheet", () => {
    expect(csvRecord(["=HYPERLINK(\"http://evil\",\"x\")"])).toBe(`"'=HYPERLINK(""http://evil"",""x"")"\r\n`);
    expect(csvRecord(["@SUM(A1)", "-2+3", "+cmd", "\tx"])).toBe("'@SUM(A1),'-2+3,'+cmd,'\tx\r\n");
  });

  it("leaves phone numbers and other plain numbers as they are", () => {
    expect(csvRecord(["+819012345678", "-12.5", "42"])).toBe("+819012345678,-12.5,42\r\n");
  });

  it("keeps Japanese and emoji untouched", () => {
    expect(csvRecord(["こんにちは 🎁", "👩‍👩‍👧"])).toBe("こんにちは 🎁,👩‍👩‍👧\r\n");
  });
});
