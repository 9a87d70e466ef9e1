import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rememberedRate, rememberRate } from "./rateMemory.js";

function stateHome(content?: string): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "regdom-rates-"));
  if (content !== undefined) {
    mkdirSync(join(home, "regdom"), { recursive: true });
    writeFileSync(join(home, "regdom", "rates.json"), content);
  }
  return { XDG_STATE_HOME: home };
}

describe("rates.json", () => {
  it("remembers the measured ceiling per account, as given", () => {
    const env = stateHome();
    rememberRate("a", 12.345, env);
    rememberRate("b", 3, env);
    expect(rememberedRate("a", env)).toBe(12.35);
    expect(rememberedRate("b", env)).toBe(3);
    expect(rememberedRate("c", env)).toBeUndefined();
    const file = JSON.parse(readFileSync(join(env.XDG_STATE_HOME!, "regdom", "rates.json"), "utf8"));
    expect(file.version).toBe(1);
  });

  it.each([
    ["not JSON", "{"],
    ["another version", JSON.stringify({ version: 2, rates: { a: { rate: 5, at: "2026-01-01T00:00:00Z" } } })],
    [
      "a rate that is not a number",
      JSON.stringify({ version: 1, rates: { a: { rate: "5", at: "2026-01-01T00:00:00Z" } } }),
    ],
    ["a rate of zero", JSON.stringify({ version: 1, rates: { a: { rate: 0, at: "2026-01-01T00:00:00Z" } } })],
    ["no time", JSON.stringify({ version: 1, rates: { a: { rate: 5 } } })],
  ])("reads a file with %s as none (the next run starts slow)", (_, content) => {
    expect(rememberedRate("a", stateHome(content))).toBeUndefined();
  });
});
