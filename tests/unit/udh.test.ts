import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseUdh } from "@/lib/sms/udh";

describe("parseUdh", () => {
  it("reads an 8-bit reference concatenation element", () => {
    expect(parseUdh("050003CC0301")).toEqual({
      ok: true,
      concat: { reference: 204, referenceBits: 8, total: 3, index: 1 },
      elements: [{ iei: 0x00, data: "cc0301" }],
    });
  });

  it("reads a 16-bit reference concatenation element", () => {
    expect(parseUdh("06080412340201")).toEqual({
      ok: true,
      concat: { reference: 0x1234, referenceBits: 16, total: 2, index: 1 },
      elements: [{ iei: 0x08, data: "12340201" }],
    });
  });

  it("accepts lowercase and mixed-case hex", () => {
    const expected = { reference: 204, referenceBits: 8, total: 3, index: 3 };
    expect(parseUdh("050003cc0303")).toMatchObject({ ok: true, concat: expected });
    expect(parseUdh("050003Cc0303")).toMatchObject({ ok: true, concat: expected });
  });

  it("reads the last part of a message", () => {
    expect(parseUdh("050003010202")).toMatchObject({ ok: true, concat: { reference: 1, total: 2, index: 2 } });
  });

  it("reads 8-bit and 16-bit references at the top of their range", () => {
    expect(parseUdh("050003FFFFFF")).toMatchObject({ ok: true, concat: { reference: 255, referenceBits: 8, total: 255, index: 255 } });
    expect(parseUdh("060804FFFF0101")).toMatchObject({ ok: true, concat: { reference: 65535, referenceBits: 16, total: 1, index: 1 } });
  });

  it("finds the concatenation element after a port addressing element (WAP push)", () => {
    // 0B 05 04 0B84 23F0 | 00 03 7F 02 01
    expect(parseUdh("0B05040B8423F000037F0201")).toEqual({
      ok: true,
      concat: { reference: 0x7f, referenceBits: 8, total: 2, index: 1 },
      elements: [
        { iei: 0x05, data: "0b8423f0" },
        { iei: 0x00, data: "7f0201" },
      ],
    });
  });

  it("finds a 16-bit concatenation element after other elements", () => {
    // 0x24 national language single shift (Portuguese), then the 16-bit concat element.
    expect(parseUdh("09240103080400100302")).toEqual({
      ok: true,
      concat: { reference: 0x0010, referenceBits: 16, total: 3, index: 2 },
      elements: [
        { iei: 0x24, data: "03" },
        { iei: 0x08, data: "00100302" },
      ],
    });
  });

  it("reads a port addressing header on its own as a single message", () => {
    expect(parseUdh("0605040B8423F0")).toEqual({ ok: true, concat: null, elements: [{ iei: 0x05, data: "0b8423f0" }] });
  });

  it("keeps zero-length elements", () => {
    expect(parseUdh("057000000103")).toEqual({
      ok: true,
      concat: null,
      elements: [
        { iei: 0x70, data: "" },
        { iei: 0x00, data: "03" },
      ],
    });
  });

  it("reads an empty string or a zero-length header as no elements", () => {
    expect(parseUdh("")).toEqual({ ok: true, concat: null, elements: [] });
    expect(parseUdh("00")).toEqual({ ok: true, concat: null, elements: [] });
  });

  describe("ignores concatenation elements that cannot be right", () => {
    it.each([
      ["total 0", "050003CC0001"],
      ["sequence 0", "050003CC0300"],
      ["sequence above total", "050003CC0304"],
      ["16-bit total 0", "06080412340001"],
      ["16-bit sequence 0", "06080412340200"],
      ["16-bit sequence above total", "06080412340203"],
      ["8-bit element with 4 data bytes", "06000412340201"],
      ["8-bit element with 2 data bytes", "0400020301"],
      ["16-bit element with 3 data bytes", "050803CC0301"],
    ])("%s", (_name, hex) => {
      const result = parseUdh(hex);
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.concat).toBeNull();
        expect(result.elements).toHaveLength(1);
      }
    });
  });

  it("lets the last usable concatenation element win", () => {
    expect(parseUdh("0B0003010201080412340201")).toMatchObject({
      ok: true,
      concat: { reference: 0x1234, referenceBits: 16, total: 2, index: 1 },
    });
    // A broken element after a good one does not erase it.
    expect(parseUdh("0B0003010201080412340000")).toMatchObject({
      ok: true,
      concat: { reference: 1, referenceBits: 8, total: 2, index: 1 },
    });
  });

  describe("rejects headers that do not parse, with a reason", () => {
    it.each([
      ["non-hex characters", "05000zCC0301", /not hexadecimal/],
      ["whitespace", "05 00 03 CC 03 01", /not hexadecimal/],
      ["a 0x prefix", "0x050003CC0301", /not hexadecimal/],
      ["an odd number of digits", "050003CC030", /odd number/],
      ["a length byte larger than the header", "060003CC0301", /says 6 bytes follow, but 5 do/],
      ["a length byte smaller than the header", "040003CC0301", /says 4 bytes follow, but 5 do/],
      ["user data after the header", "050003CC0301C8329BFD06", /says 5 bytes follow, but 10 do/],
      ["a length byte alone that promises more", "05", /says 5 bytes follow, but 0 do/],
      ["an element cut off after its identifier", "0100", /ends inside element 0x00/],
      ["an element whose data runs past the end", "03000301", /element 0x00 declares 3 data bytes, but only 1 remain/],
      ["a second element cut short", "070003CC03010504", /element 0x05 declares 4 data bytes, but only 0 remain/],
    ])("%s", (_name, hex, reason) => {
      const result = parseUdh(hex);
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    });
  });

  it("keeps a reason short when a long body lands in the udh field", () => {
    const result = parseUdh("not hex ".repeat(100));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(120);
  });

  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (input) => {
        const result = parseUdh(input);
        expect(typeof result.ok).toBe("boolean");
      }),
    );
  });

  it("never throws on arbitrary hex, and a concat it reports is always consistent", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F]*$/), (hex) => {
        const result = parseUdh(hex);
        if (result.ok && result.concat) {
          expect(result.concat.total).toBeGreaterThanOrEqual(1);
          expect(result.concat.index).toBeGreaterThanOrEqual(1);
          expect(result.concat.index).toBeLessThanOrEqual(result.concat.total);
        }
      }),
    );
  });

  it("parses any well-formed list of elements back to the same elements", () => {
    const element = fc.record({ iei: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 10 }), (elements) => {
        const body = elements.flatMap(({ iei, data }) => [iei, data.length, ...data]);
        fc.pre(body.length <= 255);
        const hex = [body.length, ...body].map((b) => b.toString(16).padStart(2, "0")).join("");
        const result = parseUdh(hex.toUpperCase());
        expect(result.ok).toBe(true);
        if (result.ok) {
          expect(result.elements).toEqual(elements.map(({ iei, data }) => ({ iei, data: Buffer.from(data).toString("hex") })));
        }
      }),
    );
  });
});
