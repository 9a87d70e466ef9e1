/**
 * What a command loads: a workbook writer imported up front made V8 grow the heap of every command
 * further (validating a 100k-domain YAML manifest peaked at 610 MB instead of 316 MB). The
 * modules each run resolves are recorded by a loader hook given through NODE_OPTIONS.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { bulk, tempDir } from "./env.js";

const HOOK = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.REGDOM_TEST_MODULES, r.url + "\\n");
  return r;
}`;

async function modulesOf(args: string[], dir: string): Promise<string[]> {
  const hook = join(dir, "hook.mjs");
  const log = join(dir, "modules.txt");
  await writeFile(hook, HOOK);
  await writeFile(log, "");
  const register = `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hook).href)});`;
  const r = await bulk(undefined, args, {
    cwd: dir,
    env: {
      NODE_OPTIONS: `--import "data:text/javascript,${encodeURIComponent(register)}"`,
      REGDOM_TEST_MODULES: log,
    },
  });
  expect(r.code, r.stderr).toBe(0);
  return (await readFile(log, "utf8")).split("\n").filter(Boolean);
}

describe("modules a command loads", () => {
  it("validate of a YAML manifest does not load the workbook writer", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "m.yaml"), "version: 1\ndomains:\n  example.se:\n    lock: true\n");
    const loaded = await modulesOf(["validate", "m.yaml"], dir);
    expect(loaded.some((u) => u.includes("/yamlRead.js"))).toBe(true);
    expect(loaded.filter((u) => u.includes("write-excel-file"))).toEqual([]);
  });
});
