/**
 * What the built CLIs load to start: only what the command needs. Counted, not timed (the time is
 * a benchmark row: `BENCH_ONLY=startup`). Each file Node loads is followed to the sources it was
 * bundled from (its source map), so a library inside a chunk is seen as well as one on its own.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BULK, tempDir } from "./env.js";

/** Every file the command loads and, for bundled ones, the sources in them. */
async function loaded(bin: string, args: string[]): Promise<{ files: string[]; sources: string[] }> {
  const dir = await tempDir();
  const log = join(dir, "loaded.txt");
  writeFileSync(
    join(dir, "hook.mjs"),
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  if (url.startsWith("file:")) appendFileSync(${JSON.stringify(log)}, url + "\\n");
  return next(url, context);
}`,
  );
  writeFileSync(
    join(dir, "register.mjs"),
    `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(join(dir, "hook.mjs")).href)});`,
  );
  writeFileSync(log, "");
  await promisify(execFile)(
    process.execPath,
    ["--import", pathToFileURL(join(dir, "register.mjs")).href, bin, ...args],
    {
      env: { PATH: process.env.PATH, NO_COLOR: "1" },
    },
  );
  const files = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((u) => fileURLToPath(u));
  const sources = files.flatMap((f) => {
    if (!existsSync(`${f}.map`)) return [f];
    const map = JSON.parse(readFileSync(`${f}.map`, "utf8")) as { sources: string[] };
    return map.sources.map((s) => resolve(dirname(f), s));
  });
  return { files, sources };
}

const HEAVY = ["@e965/xlsx", "write-excel-file", "undici", "csv-parse", "csv-stringify", "valibot", "cli-progress"];
const heavyIn = (sources: string[]) =>
  [...new Set(sources.flatMap((s) => HEAVY.filter((h) => s.includes(`/node_modules/${h}/`))))].sort();
const ofPackage = (sources: string[], pkg: string) => sources.filter((s) => s.includes(`/packages/${pkg}/`));

describe("start-up", () => {
  it("--help loads no manifest format, no engine, no HTTP stack", async () => {
    const { files, sources } = await loaded(BULK, ["--help"]);
    expect(heavyIn(sources)).toEqual([]);
    expect(ofPackage(sources, "engine")).toEqual([]);
    // Only how a problem's place is written (file:line:col, file.xlsx:Sheet!B7), which the CLI kit prints.
    expect(ofPackage(sources, "manifest").map((s) => s.replace(/.*\/manifest\//, ""))).toEqual(["src/place.ts"]);
    expect(sources.some((s) => s.includes("/node_modules/yaml/"))).toBe(false);
    expect(files.length).toBeLessThanOrEqual(10);
  });
  it("validate of a YAML manifest loads the YAML reader, and no other format, engine or HTTP stack", async () => {
    const dir = await tempDir();
    const m = join(dir, "m.yaml");
    writeFileSync(m, "version: 1\ndomains:\n  example.se:\n    nameservers: [ns1.example.net, ns2.example.net]\n");
    const { files, sources } = await loaded(BULK, ["validate", m]);
    expect(sources.some((s) => s.includes("/node_modules/yaml/"))).toBe(true);
    expect(heavyIn(sources)).toEqual([]);
    expect(sources.some((s) => s.includes("/node_modules/js-yaml/"))).toBe(false);
    expect(ofPackage(sources, "engine")).toEqual([]);
    expect(ofPackage(sources, "manifest").some((s) => /(xlsx|csv|zone)(Read|Write)/.test(s))).toBe(false);
    expect(files.length).toBeLessThanOrEqual(20);
  });
});
