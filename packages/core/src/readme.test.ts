/** The README's example is run as written, against a sandbox, so it stays runnable. */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startSandbox } from "@regdom/sandbox";
import { describe, expect, it } from "vitest";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("README example", () => {
  it("reads a zone and the lock from a registrar", async () => {
    const readme = readFileSync(join(pkg, "README.md"), "utf8");
    const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toContain("new RegistrarClient");
    const sb = await startSandbox({ seed: 3, token: "t0ken", authEmail: "ops@example.se" });
    try {
      const dir = mkdtempSync(join(tmpdir(), "regdom-readme-"));
      // The example imports "@regdom/core": resolve it to this package.
      execFileSync("mkdir", ["-p", join(dir, "node_modules", "@regdom")]);
      symlinkSync(pkg, join(dir, "node_modules", "@regdom", "core"));
      writeFileSync(join(dir, "example.mjs"), code!);
      const name = [...sb.state.domains.keys()][0]!;
      // Asynchronously: the sandbox answers from this process.
      const { stdout: out } = await promisify(execFile)(process.execPath, [join(dir, "example.mjs"), name], {
        env: {
          PATH: process.env.PATH,
          REGDOM_ENDPOINT: sb.url,
          REGDOM_TOKEN: "t0ken",
          REGDOM_AUTH_EMAIL: "ops@example.se",
        },
      });
      expect(out).toContain(
        `${name}: ${sb.state.get(name)!.dns.length} records, locked: ${sb.state.get(name)!.locked}`,
      );
    } finally {
      await sb.close();
    }
  });
});
