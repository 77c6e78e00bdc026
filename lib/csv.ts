/**
 * CSV as RFC 4180 writes it, for spreadsheets: fields quoted when they need it, CRLF between
 * records. Text that a spreadsheet would run as a formula (=, +, -, @ and a few control
 * characters at the start) gets a leading apostrophe: messages come from strangers, and an
 * export must not turn "=HYPERLINK(…)" into a live link. Plain numbers such as "+819012345678"
 * are left alone, as no spreadsheet treats them as more than a number.
 */
export function csvRecord(fields: readonly (string | number | boolean | Date | null | undefined)[]): string {
  return fields.map(csvField).join(",") + "\r\n";
}

/** A byte order mark first, so spreadsheet apps read the file as UTF-8 (Japanese, emoji). */
export const CSV_BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

function csvField(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
