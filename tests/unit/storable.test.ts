import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { decodePayload, joinPayloads } from "@/lib/sms/decode";
import { describeIssues } from "@/lib/sms/providers/params";
import { assembleMessage } from "@/lib/sms/reassemble";
import { hexToText, isStorable, replaceUnstorable, storableId, storablePart, storablePayload, textToHex } from "@/lib/sms/storable";
import type { InboundPart } from "@/lib/sms/types";

const part = (fields: Partial<InboundPart>): InboundPart => ({
  providerMessageId: "id",
  from: "+817012345678",
  to: "+815012345678",
  encoding: "UCS2",
  payload: { format: "text", value: "hi" },
  udhHex: null,
  providerKeyword: null,
  providerTimestamp: null,
  price: null,
  callbackData: null,
  smsCount: null,
  concat: null,
  ...fields,
});

describe("storable text", () => {
  it("tells what PostgreSQL refuses: NUL and unpaired surrogates, not pairs", () => {
    expect(isStorable("こんにちは 😀")).toBe(true);
    expect(isStorable("a\u0000b")).toBe(false);
    expect(isStorable("\ud83d")).toBe(false);
    expect(isStorable("\ude00x")).toBe(false);
    expect(isStorable("\ud83d\ude00")).toBe(true);
    expect(replaceUnstorable("a\u0000\ud800\ud83d\ude00\udc00")).toEqual({ text: "a\ufffd\ufffd😀\ufffd", replaced: 3 });
  });

  it("makes any string storable, and keeps distinct ids distinct", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        expect(isStorable(replaceUnstorable(a).text)).toBe(true);
        expect(isStorable(storableId(a))).toBe(true);
        if (a !== b && isStorable(a) === isStorable(b)) expect(storableId(a)).not.toBe(storableId(b));
      }),
    );
  });

  it("keeps a text payload's code units through text-hex, so split parts rejoin whole", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const stored = storablePayload({ format: "text", value: text });
        expect(isStorable(stored.value)).toBe(true);
        expect(joinPayloads([stored]).value === text || (stored.format === "text-hex" && hexToText(stored.value) === text)).toBe(true);
      }),
    );
    const first = storablePayload({ format: "text", value: "こ\ud83d" });
    const second = storablePayload({ format: "text", value: "\ude00!" });
    expect(first.format).toBe("text-hex");
    expect(decodePayload(joinPayloads([first, second]), "UCS2")).toEqual({ text: "こ😀!", binaryHex: null, warnings: [] });
    expect(textToHex("A\u0000")).toBe("00410000");
  });

  it("makes every field of a part storable and says which held what", () => {
    const { part: stored, warnings } = storablePart(part({ providerMessageId: "\ud800", from: "81\u0000", callbackData: "x\udc00" }));
    expect(stored.providerMessageId).toBe('"\\ud800"');
    expect(stored.from).toBe("81\ufffd");
    expect(stored.callbackData).toBe("x\ufffd");
    expect(warnings.join(" ")).toMatch(/message id.*sender.*callback data/s);
  });
});

describe("reassembly", () => {
  it("shows the gaps of a partial message and completes when every part is there", () => {
    const p = (partIndex: number, value: string) => ({ partIndex, payload: { format: "text" as const, value } });
    expect(assembleMessage([p(2, "b")], "GSM7", 3)).toMatchObject({ text: "… b …", keyword: null, complete: false });
    expect(assembleMessage([p(3, "c"), p(1, "Yes! a")], "GSM7", 3)).toMatchObject({ text: "Yes! a … c", keyword: "YES", complete: false });
    expect(assembleMessage([p(3, "c"), p(1, "a"), p(2, "b")], "GSM7", 3)).toMatchObject({ text: "abc", complete: true });
  });
});

describe("reasons for invalid input", () => {
  it("stay short for thousands of issues, naming a few and counting the rest", () => {
    const schema = z.object({ results: z.array(z.object({ messageId: z.string(), from: z.string(), to: z.string(), text: z.string() })) });
    const input = { results: Array.from({ length: 5000 }, () => ({})) };
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const reason = describeIssues(result.error!.issues, input);
    expect(reason.length).toBeLessThan(400);
    expect(reason).toMatch(/^Missing results\[0\]\.messageId, results\[0\]\.from, .*; and 19992 more problems$/);
  });
});
