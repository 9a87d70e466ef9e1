/** The README's example is run as written, against this package, so it stays runnable. */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("README example", () => {
  it("holds a request at the sandbox and releases it", async () => {
    const readme = readFileSync(join(pkg, "README.md"), "utf8");
    const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toContain("sb.hold(");
    const dir = mkdtempSync(join(tmpdir(), "regdom-sbreadme-"));
    // The example imports "@regdom/sandbox": resolve it to this package.
    mkdirSync(join(dir, "node_modules", "@regdom"), { recursive: true });
    symlinkSync(pkg, join(dir, "node_modules", "@regdom", "sandbox"));
    writeFileSync(join(dir, "example.mjs"), code!);
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, "example.mjs")], {
      env: { PATH: process.env.PATH },
    });
    expect(stdout).toMatch(/^\S+\.\w+: \d+ records; the sandbox saw 1 request\(s\)\n$/);
  });
});
