/**
 * The docs say which file proves what: every file they cite must exist. Covers README.md, docs/*.md
 * and each package's README; a cited path is read from the repository root, from the doc's folder
 * (or its src/), or (a command's `cd packages/core && … src/x.test.ts`) from the package it names.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ABOUT } from "../src/commands/about.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const mdIn = (dir: string) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `${dir}/${f}`)
    : [];
const packages = ["packages", "apps"].flatMap((top) => readdirSync(join(root, top)).map((p) => `${top}/${p}`));
const docs = ["README.md", ...mdIn("docs"), ...packages.flatMap(mdIn)];

/** Every source file of the repository (not node_modules, dist), by its path from the root. */
function sources(dir = ""): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith(".") || ["node_modules", "dist", "dist-test"].includes(e.name)) return [];
    const path = dir ? `${dir}/${e.name}` : e.name;
    return e.isDirectory() ? sources(path) : [path];
  });
}
const all = sources();

/** Test files, wherever they are cited (with or without backticks); other code files when cited by a path. */
function cited(text: string): string[] {
  const tests = [...text.matchAll(/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.test\.ts\b/g)].map((m) => m[0]);
  const paths = [...text.matchAll(/`([A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+\.(?:ts|mjs|sh))`/g)].map((m) => m[1]!);
  return [...new Set([...tests, ...paths])];
}

/** Whether `path`, as `doc` cites it, names a file that exists. */
function exists(doc: string, path: string): boolean {
  const clean = path.replace(/^\.\//, "");
  if (!clean.includes("/")) {
    // A bare file name: some file of that name in the doc's package (or anywhere, for the root's docs).
    const scope = doc.includes("/") && !doc.startsWith("docs/") ? `${dirname(doc)}/` : "";
    return all.some((f) => f.startsWith(scope) && basename(f) === clean);
  }
  const bases = ["", `${dirname(doc)}/`, `${dirname(doc)}/src/`, ...packages.map((p) => `${p}/`)];
  return bases.some((b) => existsSync(join(root, b, clean)));
}

describe("docs", () => {
  it("covers the README, docs/ and every package's README", () => {
    expect(docs).toContain("docs/reliability.md");
    expect(docs).toContain("packages/engine/README.md");
  });

  it.each(docs)("%s cites only files that exist", (doc) => {
    const text = readFileSync(join(root, doc), "utf8");
    const missing = cited(text).filter((p) => !exists(doc, p));
    expect(missing).toEqual([]);
  });

  it("README's architecture names every package and what each imports, as its package.json says", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = readme.slice(readme.indexOf("## Architecture")).split("```")[1]!;
    const drawn = new Map(
      [...block.matchAll(/@regdom\/(\w+)\s+(?:→ ([\w, ]+?)\s{2}|\(no regdom package\))/g)].map((m) => [
        m[1]!,
        (m[2] ?? "")
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean)
          .sort(),
      ]),
    );
    const declared = new Map(
      readdirSync(join(root, "packages")).map((p) => {
        const pkg = JSON.parse(readFileSync(join(root, "packages", p, "package.json"), "utf8"));
        const deps = Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith("@regdom/"));
        return [pkg.name.replace("@regdom/", ""), deps.map((d) => d.replace("@regdom/", "")).sort()];
      }),
    );
    expect(Object.fromEntries(drawn)).toEqual(Object.fromEntries(declared));
  });

  it("README's regdom-bulk table has a row for every command", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| `([a-z]+)[ `]/gm)].map((m) => m[1]!);
    expect(Object.keys(ABOUT).filter((c) => !rows.includes(c))).toEqual([]);
  });

  it("turbo.json names only environment variables that what turbo runs (builds and tests) reads", () => {
    const turbo: { globalEnv: string[]; tasks: Record<string, { env?: string[] }> } = JSON.parse(
      readFileSync(join(root, "turbo.json"), "utf8"),
    );
    const declared = [...turbo.globalEnv, ...Object.values(turbo.tasks).flatMap((t) => t.env ?? [])];
    // Read by the tools rather than our code: PATH (child processes), CI (vitest), NO_COLOR (picocolors).
    const tools = new Set(["PATH", "CI", "NO_COLOR"]);
    const code = all
      .filter((f) => /^(packages|apps)\/[^/]+\/(src|e2e)\/.*\.ts$/.test(f))
      .map((f) => readFileSync(join(root, f), "utf8"))
      .join("\n");
    const unread = declared.filter(
      (name) => !tools.has(name) && !new RegExp(`env\\??\\.${name}\\b|env\\[["']${name}["']\\]`).test(code),
    );
    expect(unread).toEqual([]);
  });

  it("finds a cited test that does not exist, with or without backticks", () => {
    const text = "proved by `apps/bulk/e2e/nothing.test.ts` and by nothing2.test.ts";
    expect(cited(text).filter((p) => !exists("docs/reliability.md", p))).toEqual([
      "apps/bulk/e2e/nothing.test.ts",
      "nothing2.test.ts",
    ]);
  });
});
