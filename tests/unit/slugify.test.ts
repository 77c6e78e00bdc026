import { describe, expect, it } from "vitest";
import { slugify } from "@/lib/data/teams";

describe("slugify", () => {
  it.each([
    ["Acme Support", "acme-support"],
    ["  Café Déjà Vu!! ", "cafe-deja-vu"],
    ["東京チーム", "team"],
    ["a".repeat(80), "a".repeat(32)],
  ])("%j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});
