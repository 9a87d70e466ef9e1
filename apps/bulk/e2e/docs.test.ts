/** The docs say which file proves what: every test or source file they cite must exist, by its full path. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const docs = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("docs", () => {
  it.each(docs)("%s cites only .ts files that exist, by their path from the repository root", (doc) => {
    const text = readFileSync(join(root, doc), "utf8");
    const cited = [...text.matchAll(/`([A-Za-z0-9_./-]+\.test\.ts)`/g)].map((m) => m[1]!);
    const missing = cited.filter((p) => !existsSync(join(root, p)));
    expect(missing).toEqual([]);
  });
});
