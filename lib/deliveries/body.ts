/**
 * A stored raw body (bytes, as received) made readable: the text a provider module read, and,
 * when that text is not the whole truth (invalid UTF-8, NUL or other control characters), the
 * bytes as hex so nothing is hidden.
 */
export type ReadableBody = {
  /** UTF-8 text, invalid sequences shown as U+FFFD. */
  text: string;
  /** Whether `text` is exactly the bytes: valid UTF-8 without control characters but tab and newlines. */
  exact: boolean;
  /** The bytes as spaced hex, when `text` is not exact. */
  hex: string | null;
  size: number;
};

/** Hex of at most this many bytes is shown; the size says how many there were. */
const HEX_LIMIT = 16 * 1024;

export function readStoredBody(bytes: Uint8Array): ReadableBody {
  let exact = true;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    exact = false;
    text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) exact = false;
  const shown = bytes.subarray(0, HEX_LIMIT);
  const hex = exact ? null : Array.from(shown, (byte) => byte.toString(16).padStart(2, "0")).join(" ") + (bytes.length > HEX_LIMIT ? " …" : "");
  return { text, exact, hex, size: bytes.length };
}
