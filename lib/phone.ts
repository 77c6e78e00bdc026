import { parsePhoneNumberWithError, ParseError, type CountryCode } from "libphonenumber-js/max";

export type PhoneParseResult = { ok: true; e164: string } | { ok: false; error: string };

/**
 * Normalizes what a person types (or a provider sends) into E.164. Providers write numbers as
 * country code + national number without "+", so a run of digits that does not start with a
 * trunk "0" is read as international.
 */
export function normalizePhoneNumber(input: string, defaultCountry?: CountryCode): PhoneParseResult {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, error: "Enter a phone number." };
  const digitsOnly = /^[\d\s().-]+$/.test(trimmed);
  const candidate = digitsOnly && !trimmed.startsWith("0") && !defaultCountry ? `+${trimmed}` : trimmed;
  try {
    const parsed = parsePhoneNumberWithError(candidate, defaultCountry);
    if (!parsed.isValid()) return { ok: false, error: "That is not a valid phone number for its country." };
    return { ok: true, e164: parsed.number };
  } catch (error) {
    if (error instanceof ParseError) {
      return {
        ok: false,
        error:
          error.message === "INVALID_COUNTRY"
            ? "Include the country code, e.g. +81 90 1234 5678."
            : "That does not look like a phone number.",
      };
    }
    throw error;
  }
}

/** How a number reads to people: international format with spaces, and its country. */
export function describePhoneNumber(e164: string): { international: string; country: string | null } {
  try {
    const parsed = parsePhoneNumberWithError(e164);
    const country = parsed.country ? regionName(parsed.country) : null;
    return { international: parsed.formatInternational(), country };
  } catch {
    return { international: e164, country: null };
  }
}

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
function regionName(code: string): string {
  return regionNames.of(code) ?? code;
}

/**
 * Normalizes an address as a provider sends it (country code + national number, no "+"). Unlike
 * `normalizePhoneNumber` it never refuses: test ranges and unallocated numbers still send real
 * messages, and senders may be alphanumeric IDs ("ACME") or short codes, kept as sent.
 */
export function normalizeProviderAddress(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/^\+/, "").replace(/^00/, "");
  return /^\d{7,15}$/.test(digits) ? `+${digits}` : trimmed;
}

/** The ISO 3166-1 alpha-2 country of a number in E.164, or null (not a number, or no single country). */
export function countryOf(address: string): string | null {
  if (!/^\+\d{7,15}$/.test(address)) return null;
  try {
    return parsePhoneNumberWithError(address).country ?? null;
  } catch {
    return null;
  }
}
