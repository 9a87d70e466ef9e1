/**
 * A manifest folder from a pull request, through the built CLI: links out of it, a FIFO, a workbook
 * bomb. Each is exit 2 naming the file, nothing sent, and nothing of the runner's files printed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, sandbox, TOKEN, tempDir } from "./env.js";

describe("a manifest folder that reaches out of itself", () => {
  it("a link to the token file, to /etc/passwd, a FIFO: exit 2 naming each, the token never printed, nothing sent", async () => {
    const dir = await tempDir();
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const m = join(dir, "manifests");
    mkdirSync(m);
    writeFileSync(join(m, "a.csv"), "domain,lock\na.se,ja\n");
    symlinkSync(tokenFile, join(m, "t.csv"));
    symlinkSync("/etc/passwd", join(m, "p.csv"));
    symlinkSync("/dev/zero", join(m, "z.csv"));
    execFileSync("mkfifo", [join(m, "f.csv")]);
    const sb = await sandbox({ seed: 3 });
    try {
      for (const command of ["validate", "plan", "apply"]) {
        const r = await bulk(sb, command === "apply" ? [command, m, "--yes"] : [command, m]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`${join(m, "t.csv")}: a symbolic link that leads outside its folder`);
        expect(r.stderr).toContain(`${join(m, "p.csv")}: a symbolic link that leads outside its folder`);
        expect(r.stderr).toContain(`${join(m, "z.csv")}: a symbolic link that leads outside its folder`);
        expect(r.stderr).toContain(`${join(m, "f.csv")}: cannot be read: a FIFO (named pipe), not a regular file`);
        expect(r.stderr + r.stdout).not.toContain(TOKEN);
        expect(r.stderr + r.stdout).not.toContain("root:");
      }
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
