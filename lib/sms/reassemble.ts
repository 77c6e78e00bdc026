/**
 * A message as people read it, from the parts received so far: joined in index order before
 * decoding, with the gaps of a partial message shown, its keyword and its warnings. Pure: the
 * storage layer reads the parts and writes what this returns.
 */
import { decodePayload, joinPayloads } from "./decode";
import { extractKeyword, type KeywordOptions } from "./keyword";
import type { Encoding, Payload } from "./types";

export type ReceivedPart = { partIndex: number; payload: Payload };

export type AssembledMessage = {
  /** The text so far; a partial message shows "…" where parts are missing. Null for binary. */
  text: string | null;
  binaryHex: string | null;
  /** Our keyword, from the first part's first words (see keyword.ts); null until part 1 arrived. */
  keyword: string | null;
  warnings: string[];
  /** Every part from 1 to `partsExpected` is here. */
  complete: boolean;
};

/**
 * Joins `parts` (any order; one per index) of a message of `partsExpected` parts. Consecutive
 * parts are joined raw and decoded together, so a character split between them comes out
 * whole; a gap separates runs. `keywordOptions` are the team's, for the keyword. Never throws.
 */
export function assembleMessage(parts: ReceivedPart[], encoding: Encoding, partsExpected: number, keywordOptions: KeywordOptions = {}): AssembledMessage {
  const sorted = [...parts].sort((a, b) => a.partIndex - b.partIndex);
  const warnings: string[] = [];
  const texts: string[] = [];
  let binaryHex: string | null = null;
  for (const run of contiguousRuns(sorted)) {
    const decoded = decodeRun(
      run.map((part) => part.payload),
      encoding,
    );
    warnings.push(...decoded.warnings);
    if (decoded.text !== null) texts.push(decoded.text);
    if (decoded.binaryHex !== null) binaryHex = (binaryHex ?? "") + decoded.binaryHex;
  }
  const startsAtFirst = sorted[0]?.partIndex === 1;
  const endsAtLast = sorted.at(-1)?.partIndex === partsExpected;
  const complete = startsAtFirst && endsAtLast && sorted.length === partsExpected;
  // Gaps between runs are shown, so a partial message never reads as if it were whole.
  const text = texts.length === 0 ? null : complete ? texts.join("") : (startsAtFirst ? "" : "… ") + texts.join(" … ") + (endsAtLast ? "" : " …");
  return { text, binaryHex, keyword: startsAtFirst ? extractKeyword(texts[0] ?? null, keywordOptions) : null, warnings, complete };
}

function decodeRun(payloads: Payload[], encoding: Encoding) {
  try {
    return decodePayload(joinPayloads(payloads), encoding);
  } catch {
    // Parts that disagree on their format cannot be joined raw; decode them one by one.
    const decoded = payloads.map((payload) => decodePayload(payload, encoding));
    return {
      text: decoded.some((d) => d.text !== null) ? decoded.map((d) => d.text ?? "").join("") : null,
      binaryHex: decoded.some((d) => d.binaryHex !== null) ? decoded.map((d) => d.binaryHex ?? "").join("") : null,
      warnings: ["Parts arrived in different formats and were decoded separately.", ...decoded.flatMap((d) => d.warnings)],
    };
  }
}

function contiguousRuns<T extends { partIndex: number }>(parts: T[]): T[][] {
  const runs: T[][] = [];
  for (const part of parts) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.partIndex === part.partIndex - 1) run.push(part);
    else runs.push([part]);
  }
  return runs;
}
