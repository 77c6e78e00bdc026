import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeGsm7Packed, decodePayload, joinPayloads } from "@/lib/sms/decode";
import type { Encoding, Payload } from "@/lib/sms/types";

const text = (value: string): Payload => ({ format: "text", value });
const utf16 = (value: string): Payload => ({ format: "utf16-hex", value });
const binary = (value: string): Payload => ({ format: "binary-hex", value });
const encodings: Encoding[] = ["GSM7", "UCS2", "BINARY"];

describe("joinPayloads", () => {
  it("joins text parts in order", () => {
    expect(joinPayloads([text("Hello "), text("wor"), text("ld")])).toEqual(text("Hello world"));
  });

  it("joins hex parts in order, as they came", () => {
    expect(joinPayloads([utf16("3053"), utf16("3093")])).toEqual(utf16("30533093"));
    expect(joinPayloads([binary("CAFE"), binary("babe")])).toEqual(binary("CAFEbabe"));
  });

  it("returns a single part unchanged", () => {
    expect(joinPayloads([binary("00")])).toEqual(binary("00"));
  });

  it("refuses parts of different formats, naming them", () => {
    expect(() => joinPayloads([text("a"), utf16("0062")])).toThrow(/different formats.*"text".*"utf16-hex"/);
  });

  it("refuses an empty list", () => {
    expect(() => joinPayloads([])).toThrow(/at least one/);
  });
});

describe("decodePayload: text", () => {
  it("keeps text as it is, whatever the encoding", () => {
    for (const encoding of encodings) {
      expect(decodePayload(text("Hello 😀 こんにちは"), encoding)).toEqual({ text: "Hello 😀 こんにちは", binaryHex: null, warnings: [] });
    }
  });

  it("rejoins a surrogate pair split across two parts", () => {
    const joined = joinPayloads([text("Smile \uD83D"), text("\uDE00!")]);
    expect(decodePayload(joined, "UCS2")).toEqual({ text: "Smile 😀!", binaryHex: null, warnings: [] });
  });

  it("shows a surrogate left unpaired by a missing part as U+FFFD, with a warning", () => {
    const result = decodePayload(text("Smile \uD83D"), "UCS2");
    expect(result.text).toBe("Smile \uFFFD");
    expect(result.warnings).toEqual([expect.stringMatching(/^1 unpaired UTF-16 surrogate .* is shown as \uFFFD/)]);
  });

  it("counts every unpaired surrogate, high or low", () => {
    const result = decodePayload(text("\uDE00a\uD83D\uD83D😀"), "UCS2");
    expect(result.text).toBe("\uFFFDa\uFFFD\uFFFD😀");
    expect(result.warnings).toEqual([expect.stringMatching(/^3 unpaired UTF-16 surrogates .* are shown/)]);
  });
});

describe("decodePayload: UTF-16 hex", () => {
  it("decodes Japanese UCS-2", () => {
    expect(decodePayload(utf16("30533093306B3061306F30004E16754C"), "UCS2")).toEqual({
      text: "こんにちは\u3000世界",
      binaryHex: null,
      warnings: [],
    });
  });

  it("accepts lowercase hex", () => {
    expect(decodePayload(utf16("00680069"), "UCS2").text).toBe("hi");
  });

  it("decodes the same way whatever the encoding says, since the format is explicit", () => {
    expect(decodePayload(utf16("0041"), "GSM7").text).toBe("A");
    expect(decodePayload(utf16("0041"), "BINARY")).toEqual({ text: "A", binaryHex: null, warnings: [] });
  });

  it("rejoins a surrogate pair split across two parts", () => {
    const joined = joinPayloads([utf16("0048D83D"), utf16("DE00")]);
    expect(decodePayload(joined, "UCS2")).toEqual({ text: "H😀", binaryHex: null, warnings: [] });
  });

  it("shows a surrogate left unpaired by a missing part as U+FFFD", () => {
    const result = decodePayload(utf16("0048D83D"), "UCS2");
    expect(result.text).toBe("H\uFFFD");
    expect(result.warnings).toEqual([expect.stringMatching(/unpaired UTF-16 surrogate/)]);
  });

  it("drops a big-endian byte order mark", () => {
    expect(decodePayload(utf16("FEFF00480069"), "UCS2")).toEqual({ text: "Hi", binaryHex: null, warnings: [] });
  });

  it("reads text behind a little-endian byte order mark as little-endian, and says so", () => {
    const result = decodePayload(utf16("FFFE480069003D D8 00 DE"), "UCS2");
    expect(result.text).toBe("Hi😀");
    expect(result.warnings).toEqual([expect.stringMatching(/little-endian/)]);
  });

  it("ignores white space between digits", () => {
    expect(decodePayload(utf16("0048 0069\n"), "UCS2")).toEqual({ text: "Hi", binaryHex: null, warnings: [] });
  });

  it.each([
    ["an odd byte", "004800", "H\uFFFD", /incomplete character/],
    ["an odd digit", "00480", "H\uFFFD", /incomplete character/],
    ["a non-hex code unit", "0048zz690069", "H\uFFFDi", /not valid hex: 1 byte/],
    ["a code unit with no hex in either byte", "0048zzzz0069", "H\uFFFDi", /not valid hex: 2 bytes/],
  ])("replaces %s with U+FFFD and warns", (_name, hex, expected, warning) => {
    const result = decodePayload(utf16(hex), "UCS2");
    expect(result.text).toBe(expected);
    expect(result.binaryHex).toBeNull();
    expect(result.warnings).toEqual([expect.stringMatching(warning)]);
  });

  it("decodes an empty payload to empty text", () => {
    expect(decodePayload(utf16(""), "UCS2")).toEqual({ text: "", binaryHex: null, warnings: [] });
  });
});

describe("decodePayload: binary hex", () => {
  it("passes bytes through as lowercase hex", () => {
    expect(decodePayload(binary("0605040B8423F0DEADbeef"), "BINARY")).toEqual({ text: null, binaryHex: "0605040b8423f0deadbeef", warnings: [] });
  });

  it("joins binary parts before passing them through", () => {
    expect(decodePayload(joinPayloads([binary("CA"), binary("FE")]), "BINARY").binaryHex).toBe("cafe");
  });

  it("keeps an empty payload as empty bytes", () => {
    expect(decodePayload(binary(""), "BINARY")).toEqual({ text: null, binaryHex: "", warnings: [] });
  });

  it("leaves out what is not hex, and warns", () => {
    const result = decodePayload(binary("CAzzFE0"), "BINARY");
    expect(result.binaryHex).toBe("cafe");
    expect(result.warnings).toEqual([expect.stringMatching(/not valid hex: 1 byte could not/), expect.stringMatching(/odd number of hex digits/)]);
  });

  it("decodes UCS-2 octets as UTF-16BE", () => {
    expect(decodePayload(binary("30533093306B3061306F"), "UCS2")).toEqual({ text: "こんにちは", binaryHex: null, warnings: [] });
  });

  it("rejoins a surrogate pair split across two UCS-2 binary parts", () => {
    expect(decodePayload(joinPayloads([binary("D83D"), binary("DE00")]), "UCS2").text).toBe("😀");
  });

  it("decodes GSM-7 octets as unpacked septets", () => {
    const septets = "48656C6C6F2C20776F726C6421"; // Hello, world!
    expect(decodePayload(binary(septets), "GSM7")).toEqual({ text: "Hello, world!", binaryHex: null, warnings: [] });
  });
});

describe("GSM 03.38 alphabet", () => {
  // Code points written out so the table under test is not compared against itself.
  const defaultAlphabet: [number, number][] = [
    [0x00, 0x40], [0x01, 0xa3], [0x02, 0x24], [0x03, 0xa5], [0x04, 0xe8], [0x05, 0xe9], [0x06, 0xf9], [0x07, 0xec],
    [0x08, 0xf2], [0x09, 0xc7], [0x0a, 0x0a], [0x0b, 0xd8], [0x0c, 0xf8], [0x0d, 0x0d], [0x0e, 0xc5], [0x0f, 0xe5],
    [0x10, 0x394], [0x11, 0x5f], [0x12, 0x3a6], [0x13, 0x393], [0x14, 0x39b], [0x15, 0x3a9], [0x16, 0x3a0], [0x17, 0x3a8],
    [0x18, 0x3a3], [0x19, 0x398], [0x1a, 0x39e], [0x1c, 0xc6], [0x1d, 0xe6], [0x1e, 0xdf], [0x1f, 0xc9],
    [0x20, 0x20], [0x21, 0x21], [0x22, 0x22], [0x23, 0x23], [0x24, 0xa4], [0x25, 0x25], [0x26, 0x26], [0x27, 0x27],
    [0x40, 0xa1], [0x5b, 0xc4], [0x5c, 0xd6], [0x5d, 0xd1], [0x5e, 0xdc], [0x5f, 0xa7],
    [0x60, 0xbf], [0x7b, 0xe4], [0x7c, 0xf6], [0x7d, 0xf1], [0x7e, 0xfc], [0x7f, 0xe0],
  ];
  // Ranges that map straight onto ASCII.
  for (const [from, to] of [[0x28, 0x3f], [0x41, 0x5a], [0x61, 0x7a]] as const) {
    for (let septet = from; septet <= to; septet++) defaultAlphabet.push([septet, septet]);
  }

  it("covers every septet but the escape", () => {
    expect(new Set(defaultAlphabet.map(([septet]) => septet)).size).toBe(127);
  });

  it.each(defaultAlphabet)("maps septet %i to code point %i", (septet, codePoint) => {
    expect(decodePayload(binary(hex([septet])), "GSM7").text).toBe(String.fromCodePoint(codePoint));
  });

  it.each([
    [0x0a, "\f"],
    [0x14, "^"],
    [0x28, "{"],
    [0x29, "}"],
    [0x2f, "\\"],
    [0x3c, "["],
    [0x3d, "~"],
    [0x3e, "]"],
    [0x40, "|"],
    [0x65, "\u20AC"],
  ])("maps ESC + septet %i to the extension character %j", (septet, expected) => {
    expect(decodePayload(binary(hex([0x1b, septet])), "GSM7")).toEqual({ text: expected, binaryHex: null, warnings: [] });
  });

  it("decodes extension characters among ordinary ones", () => {
    // "Price: €5 [a|b] {x} ~^\"
    const septets = [...ascii("Price: "), 0x1b, 0x65, ...ascii("5 "), 0x1b, 0x3c, 0x61, 0x1b, 0x40, 0x62, 0x1b, 0x3e, 0x20];
    septets.push(0x1b, 0x28, 0x78, 0x1b, 0x29, 0x20, 0x1b, 0x3d, 0x1b, 0x14, 0x1b, 0x2f);
    expect(decodePayload(binary(hex(septets)), "GSM7").text).toBe("Price: €5 [a|b] {x} ~^\\");
  });

  it("shows an undefined extension code as its default character, per TS 23.038", () => {
    expect(decodePayload(binary(hex([0x1b, 0x41])), "GSM7").text).toBe("A");
  });

  it("shows ESC ESC as a space, then reads on", () => {
    expect(decodePayload(binary(hex([0x1b, 0x1b, 0x65])), "GSM7").text).toBe(" €");
  });

  it("shows a trailing escape as a space and warns that a part may be missing", () => {
    const result = decodePayload(binary(hex([0x41, 0x1b])), "GSM7");
    expect(result.text).toBe("A ");
    expect(result.warnings).toEqual([expect.stringMatching(/ends with an escape/)]);
  });

  it("rejoins an escape split across two parts", () => {
    expect(decodePayload(joinPayloads([binary("411B"), binary("65")]), "GSM7").text).toBe("A€");
  });

  it("shows octets above 0x7F and unreadable hex as U+FFFD, and warns", () => {
    const result = decodePayload(binary("41FF42zz1B800"), "GSM7");
    expect(result.text).toBe("A\uFFFDB\uFFFD\uFFFD\uFFFD");
    expect(result.warnings).toEqual([
      expect.stringMatching(/not valid hex: 1 byte/),
      expect.stringMatching(/2 octets above 0x7F/),
      expect.stringMatching(/odd number of hex digits/),
    ]);
  });
});

describe("decodeGsm7Packed", () => {
  it.each([
    // Vectors quoted in public SMS PDU tutorials.
    ["E8329BFD06", "hello"],
    ["E8329BFD4697D9EC37", "hellohello"],
    ["C8F71D14969741F977FD07", "How are you?"],
  ])("decodes the published vector %s as %j", (packed, expected) => {
    expect(decodeGsm7Packed(packed)).toBe(expected);
    expect(decodeGsm7Packed(packed.toLowerCase())).toBe(expected);
  });

  it("agrees with an independent packer", () => {
    for (const message of ["Hello world", "a", "1234567", "12345678", "The quick brown fox jumps over the lazy dog"]) {
      expect(decodeGsm7Packed(pack(ascii(message)))).toBe(message);
    }
  });

  it("decodes extension characters", () => {
    expect(decodeGsm7Packed(pack([0x1b, 0x65, ...ascii("10 "), 0x1b, 0x3c, 0x61, 0x1b, 0x3e]))).toBe("€10 [a]");
  });

  it("skips the fill bits that follow a UDH", () => {
    // A 6-octet UDH is 48 bits, so one fill bit brings the text to a septet boundary (49).
    const udh = "050003CC0301";
    const userData = udh + pack(ascii("Hello world"), 1);
    expect(decodeGsm7Packed(userData.slice(udh.length), { paddingBits: 1 })).toBe("Hello world");
    // A 7-octet (16-bit reference) UDH is 56 bits: already a septet boundary.
    expect(decodeGsm7Packed(pack(ascii("Hello world"), 0), { paddingBits: 0 })).toBe("Hello world");
  });

  it("works for every amount of fill bits", () => {
    for (let padding = 0; padding <= 6; padding++) {
      expect(decodeGsm7Packed(pack(ascii("Hello world!"), padding), { paddingBits: padding })).toBe("Hello world!");
    }
  });

  describe("the last septet in 8n-1 messages", () => {
    it("drops seven zero fill bits rather than reading them as @", () => {
      // 7 septets take 49 bits: 7 octets with 7 spare bits.
      expect(pack(ascii("1234567"))).toHaveLength(14);
      expect(decodeGsm7Packed(pack(ascii("1234567")))).toBe("1234567");
    });

    it("drops the CR that TS 23.038 puts in those bits", () => {
      expect(decodeGsm7Packed(pack([...ascii("1234567"), 0x0d]))).toBe("1234567");
    });

    it("keeps a real eighth character", () => {
      expect(decodeGsm7Packed(pack(ascii("1234567X")))).toBe("1234567X");
    });

    it("keeps a trailing @ when the septet count says it is real", () => {
      expect(decodeGsm7Packed(pack([...ascii("1234567"), 0x00]), { septetCount: 8 })).toBe("1234567@");
      expect(decodeGsm7Packed(pack([...ascii("1234567"), 0x00]))).toBe("1234567");
    });
  });

  it("stops at the septet count", () => {
    expect(decodeGsm7Packed(pack(ascii("hello")), { septetCount: 3 })).toBe("hel");
    expect(decodeGsm7Packed(pack(ascii("hello")), { septetCount: 99 })).toBe("hello");
  });

  it("reads an empty or too-short payload as empty text", () => {
    expect(decodeGsm7Packed("")).toBe("");
    expect(decodeGsm7Packed("41", { paddingBits: 6 })).toBe("");
  });

  it("reads a negative or fractional padding as none", () => {
    expect(decodeGsm7Packed("E8329BFD06", { paddingBits: -1 })).toBe("hello");
    expect(decodeGsm7Packed("E8329BFD06", { paddingBits: 1.5 })).toBe("hello");
  });

  it("round-trips any septets through an independent packer", () => {
    const septet = fc.integer({ min: 0, max: 0x7f });
    fc.assert(
      fc.property(fc.array(septet, { maxLength: 200 }), fc.integer({ min: 0, max: 6 }), (septets, padding) => {
        const decoded = decodeGsm7Packed(pack(septets, padding), { paddingBits: padding, septetCount: septets.length });
        expect(decoded).toBe(decodePayload(binary(hex(septets)), "GSM7").text);
      }),
    );
  });
});

describe("never throws", () => {
  const anyString = fc.string({ unit: "binary" });
  const anyHex = fc.stringMatching(/^[0-9a-fA-F]*$/);
  const anyEncoding = fc.constantFrom(...encodings);
  const anyFormat = fc.constantFrom("text" as const, "utf16-hex" as const, "binary-hex" as const);

  it("decodePayload on arbitrary strings, hex or not, in any format and encoding", () => {
    fc.assert(
      fc.property(anyFormat, fc.oneof(anyString, anyHex), anyEncoding, (format, value, encoding) => {
        const result = decodePayload({ format, value }, encoding);
        expect(result.text === null || result.text.isWellFormed()).toBe(true);
        expect(result.binaryHex === null || /^[0-9a-f]*$/.test(result.binaryHex)).toBe(true);
      }),
    );
  });

  it("decodePayload on a format it does not know", () => {
    const unknown = { format: "base64", value: "AAAA" } as unknown as Payload;
    expect(decodePayload(unknown, "BINARY")).toEqual({ text: null, binaryHex: null, warnings: [expect.stringMatching(/"base64" is not known/)] });
  });

  it("decodePayload on any UTF-16 code units, returning well-formed text", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff })), (units) => {
        const value = units.map((unit) => unit.toString(16).padStart(4, "0")).join("");
        const result = decodePayload(utf16(value), "UCS2");
        expect(result.text?.isWellFormed()).toBe(true);
        // U+0000 is not text and cannot be stored: it becomes U+FFFD with a warning.
        if (String.fromCharCode(...units).isWellFormed() && !units.includes(0) && units[0] !== 0xfeff && units[0] !== 0xfffe) {
          expect(result).toEqual({ text: String.fromCharCode(...units), binaryHex: null, warnings: [] });
        }
      }),
    );
  });

  it("decodeGsm7Packed on arbitrary strings and options", () => {
    const count = fc.oneof(fc.integer(), fc.double(), fc.constant(undefined));
    fc.assert(
      fc.property(fc.oneof(anyString, anyHex), count, count, (value, paddingBits, septetCount) => {
        expect(typeof decodeGsm7Packed(value, { paddingBits, septetCount })).toBe("string");
      }),
    );
  });
});

function ascii(value: string): number[] {
  return Array.from(value, (char) => char.charCodeAt(0));
}

function hex(bytes: number[]): string {
  return bytes.map((byte) => byte.toString(16).padStart(2, "0").toUpperCase()).join("");
}

/** Packs septets as SMS TP-UD does, written as a bit string so it shares nothing with the decoder. */
function pack(septets: number[], paddingBits = 0): string {
  // Bits in transmission order, least significant first within each septet.
  const bits = "0".repeat(paddingBits) + septets.map((s) => s.toString(2).padStart(7, "0").split("").reverse().join("")).join("");
  const octets: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const chunk = bits.slice(i, i + 8).padEnd(8, "0");
    octets.push(Number.parseInt(chunk.split("").reverse().join(""), 2));
  }
  return hex(octets);
}
