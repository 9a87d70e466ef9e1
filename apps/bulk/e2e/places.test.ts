/**
 * Folders regdom cannot write in (a path under a file, /proc, a read-only folder): the path and the
 * reason, exit 2, before anything is sent. Tests run as root here, which writes in any read-only
 * folder, so the unwritable places are made with a file in the path and /proc, which refuse root too.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir } from "./env.js";

async function setup() {
  const sb = await sandbox({ seed: 6 });
  const dir = await tempDir();
  const file = join(dir, "m.yaml");
  const name = [...sb.state.domains.keys()][0]!;
  const locked = sb.state.get(name)!.locked;
  writeFileSync(file, `version: 1\ndomains:\n  ${name}:\n    lock: ${!locked}\n`);
  const aFile = join(dir, "a-file");
  writeFileSync(aFile, "not a folder\n");
  return { sb, dir, file, aFile };
}

describe("apply where it cannot write", () => {
  it.each([
    [
      "XDG_STATE_HOME is a file",
      (aFile: string) => ({ env: { XDG_STATE_HOME: aFile }, args: [] }),
      /the state folder \(XDG_STATE_HOME, else ~\/\.local\/state\) .*a-file\/regdom\/locks cannot be used: .*a-file is a file, not a folder/,
    ],
    [
      "XDG_STATE_HOME is /proc/self",
      () => ({ env: { XDG_STATE_HOME: "/proc/self" }, args: [] }),
      /the state folder .*\/proc\/self\/regdom\/locks cannot be used: no folder can be made at \/proc\/self\/regdom/,
    ],
    [
      "--run-dir is under a file",
      (aFile: string) => ({ env: {}, args: ["--run-dir", join(aFile, "run")] }),
      /the run folder .*a-file\/run cannot be used: .*a-file is a file, not a folder/,
    ],
  ])("%s: exit 2 naming the path and why, nothing sent", async (_, how, message) => {
    const { sb, file, aFile } = await setup();
    try {
      const { env, args } = how(aFile);
      const r = await bulk(sb, ["apply", file, "--yes", ...args], { env });
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });

  it.skipIf(process.getuid?.() === 0)("a read-only run folder: exit 2 naming it, nothing sent", async () => {
    const { sb, dir, file } = await setup();
    try {
      const ro = join(dir, "ro");
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      const r = await bulk(sb, ["apply", file, "--yes", "--run-dir", join(ro, "run")]);
      expect(r.stderr).toMatch(/the run folder .*ro\/run cannot be used: permission denied at .*ro/);
      expect(r.code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});

describe("run where it cannot write, or from a file that is not one", () => {
  it.each([
    [
      "XDG_STATE_HOME is /proc/self",
      { XDG_STATE_HOME: "/proc/self" },
      [],
      /no folder can be made at \/proc\/self\/regdom/,
    ],
    ["--run-dir is under a file", {}, ["--run-dir", "a-file/run"], /a-file is a file, not a folder/],
  ])("%s: exit 2 naming the path and why, nothing sent", async (_, env, args, message) => {
    const { sb, dir, aFile } = await setup();
    try {
      const ops = join(dir, "ops.csv");
      writeFileSync(ops, `action,domain\nGetNameservers,${[...sb.state.domains.keys()][0]}\n`);
      const r = await bulk(sb, ["run", ops, "--yes", ...args.map((a) => a.replace("a-file", aFile))], {
        env,
        cwd: dir,
      });
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });

  it("an operations file that is a FIFO is exit 2 naming it, without waiting for a writer", async () => {
    const { sb, dir } = await setup();
    try {
      const ops = join(dir, "ops.csv");
      execFileSync("mkfifo", [ops]);
      const r = await bulk(sb, ["run", ops, "--yes"], { cwd: dir });
      expect(r.stderr).toContain(`${ops}: cannot be read: a FIFO (named pipe), not a regular file`);
      expect(r.code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});

describe("apply --plan from a file that is not one", () => {
  it("a FIFO is exit 2 naming it, without waiting for a writer", async () => {
    const { sb, dir } = await setup();
    try {
      const plan = join(dir, "plan.json");
      execFileSync("mkfifo", [plan]);
      const r = await bulk(sb, ["apply", "--plan", plan, "--yes"]);
      expect(r.stderr).toContain(`${plan}: not a readable plan (not a regular file)`);
      expect(r.code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
