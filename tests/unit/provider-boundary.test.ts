import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { adapters, PROVIDERS } from "@/lib/sms/registry";
import type { Provider } from "@/lib/sms/types";

/**
 * The provider boundary (lib/sms/registry.ts): a provider is its folder under
 * lib/sms/providers/, its line in the registry and its value of the Provider enum; nothing else
 * in app/, lib/ or components/ names it, in code, texts or comments. Pages build their sentences
 * from the registry, and behaviour follows the module's contract. A provider's folder names
 * only its own provider. Tests, scripts and benchmarks may name anyone.
 */

const root = path.resolve(import.meta.dirname, "../..");
const SCANNED = ["app", "lib", "components"];
/** Where naming providers is the point, or the code is generated from the schema. */
const EXEMPT = ["lib/sms/registry.ts", "lib/generated/"];
const PROVIDERS_DIR = "lib/sms/providers/";

/** Each provider's names: its enum value, its module's display name and every URL path segment that reaches it. */
const NAMES: { provider: Provider; folder: string; pattern: RegExp }[] = PROVIDERS.map((provider) => {
  const adapter = adapters[provider];
  const names = [...new Set([provider, adapter.name, ...adapter.pathSegments].map((name) => name.toLowerCase()))];
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
  // A whole word, any case: "VONAGE", "Vonage's", "/vonage/", not "sinchronize".
  return { provider, folder: adapter.pathSegments[0]!, pattern: new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join("|")})(?![\\p{L}\\p{N}_])`, "giu") };
});

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((entry) => {
    const relative = `${dir}/${entry}`;
    return statSync(path.join(root, relative)).isDirectory() ? filesUnder(relative) : [relative];
  });
}

/** The provider whose folder holds a file, if it is in one. */
function folderOf(file: string): Provider | null {
  if (!file.startsWith(PROVIDERS_DIR)) return null;
  const [folder, ...rest] = file.slice(PROVIDERS_DIR.length).split("/");
  if (rest.length === 0) return null;
  return NAMES.find((name) => name.folder === folder)?.provider ?? null;
}

/** Every line of the scanned files that names a provider it should not, as "file:line: …". */
function findOffences(): string[] {
  const offences: string[] = [];
  for (const file of SCANNED.flatMap(filesUnder)) {
    if (EXEMPT.some((exempt) => (exempt.endsWith("/") ? file.startsWith(exempt) : file === exempt))) continue;
    const bytes = readFileSync(path.join(root, file));
    if (bytes.includes(0)) continue; // images and other binary files
    const own = folderOf(file);
    for (const [i, line] of bytes.toString("utf8").split("\n").entries()) {
      for (const { provider, pattern } of NAMES) {
        if (provider === own) continue;
        const found = [...line.matchAll(pattern)].map((match) => match[0]);
        if (found.length > 0) offences.push(`${file}:${i + 1}: names ${provider} (${[...new Set(found)].join(", ")}): ${line.trim().slice(0, 160)}`);
      }
    }
  }
  return offences;
}

describe("the provider boundary", () => {
  it("has a folder for every registered provider", () => {
    const folders = readdirSync(path.join(root, PROVIDERS_DIR)).filter((entry) => statSync(path.join(root, PROVIDERS_DIR, entry)).isDirectory());
    expect(folders.toSorted()).toEqual(NAMES.map((name) => name.folder).toSorted());
  });

  it("recognises a provider's names in every spelling, and only as whole words", () => {
    const vonage = NAMES.find((name) => name.provider === "VONAGE")!.pattern;
    const rakuten = NAMES.find((name) => name.provider === "RAKUTEN")!.pattern;
    for (const text of ['provider !== "VONAGE"', "Vonage's dashboard", "/api/webhooks/nexmo/", "formerly Nexmo", "vonage.ts"]) expect(text.match(vonage), text).not.toBeNull();
    expect("Rakuten\nCPaaS".match(rakuten)).not.toBeNull();
    for (const text of ["vonages2", "_vonage", "provider"]) expect(text.match(vonage), text).toBeNull();
  });

  it("keeps provider names out of app/, lib/ and components/, and each provider's folder to itself", () => {
    const offences = findOffences();
    if (offences.length > 0) {
      expect.fail(`${offences.length} line(s) name a provider outside its module; build texts from the registry (lib/providers.ts) and decide behaviour by the module's contract:\n${offences.join("\n")}`);
    }
  });
});
