/**
 * The folders an export makes and prunes: those holding EPP codes are 0700 whatever the umask, a
 * place it cannot write is said before anything is sent, and --keep removes only regdom's backups.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exporter, sandbox, tempDir } from "./env.js";

/** Runs `fn` with this process's umask (the CLI child inherits it). */
async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const old = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(old);
  }
}

describe("folders that hold EPP codes", () => {
  it("are made 0700 whatever the umask: --format csv, --split and --backup-dir", async () => {
    const sb = await sandbox({ seed: 5 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const runs: [string, string[]][] = [
        ["csv", ["--out", join(dir, "csv"), "--format", "csv"]],
        ["split", ["--out", join(dir, "split"), "--format", "yaml", "--split"]],
        ["backups", ["--backup-dir", join(dir, "backups"), "--format", "csv"]],
      ];
      for (const [name, args] of runs) {
        const r = await withUmask(0o002, () => exporter(sb, [...names, ...args, "--with-epp", "--rate", "1000"]));
        expect(r.code, r.stderr).toBe(0);
        expect((statSync(join(dir, name)).mode & 0o777).toString(8), name).toBe("700");
      }
      const [stamp] = readdirSync(join(dir, "backups")).filter((n) => /^\d{4}-/.test(n));
      expect((statSync(join(dir, "backups", stamp!)).mode & 0o777).toString(8)).toBe("700");
      expect((statSync(join(dir, "backups", stamp!, "portfolio")).mode & 0o777).toString(8)).toBe("700");
    } finally {
      await sb.close();
    }
  });
});

describe("--keep N", () => {
  it("prunes only the backups regdom wrote (with its meta.json), never a user's folder with a date-like name", async () => {
    const sb = await sandbox({ seed: 3 });
    try {
      const dir = await tempDir();
      const b = join(dir, "backups");
      const mine = ["2020-01-01T00-00-00-000Z", "2021-06-01T12-00-00-000Z-notes", "2022-01-01T00-00-00-000Z.partial"];
      for (const m of mine) {
        mkdirSync(join(b, m), { recursive: true });
        writeFileSync(join(b, m, "keep-me.txt"), "the user's\n");
      }
      // A folder holding a meta.json that regdom did not write is not regdom's either.
      writeFileSync(join(b, mine[0]!, "meta.json"), '{"note": "my own"}\n');
      // What a killed export left: regdom's mark in a .partial folder named as regdom names them.
      const abandoned = join(b, "2019-01-01T00-00-00-000Z.partial");
      mkdirSync(abandoned);
      writeFileSync(join(abandoned, ".regdom-export-partial"), "");
      for (let i = 0; i < 3; i++) {
        const r = await exporter(sb, [...sb.state.domains.keys(), "--backup-dir", b, "--keep", "1", "--rate", "1000"]);
        expect(r.code, r.stderr).toBe(0);
      }
      for (const m of mine) expect(existsSync(join(b, m, "keep-me.txt")), m).toBe(true);
      expect(existsSync(abandoned)).toBe(false);
      const regdoms = readdirSync(b).filter((n) => !mine.includes(n) && n !== "latest");
      expect(regdoms).toHaveLength(1);
    } finally {
      await sb.close();
    }
  });
});

describe("where an export cannot write", () => {
  it.each([
    ["--out under a file", (f: string) => ["--out", join(f, "p.yaml")], /a-file is a file, not a folder/],
    ["--backup-dir under /proc", () => ["--backup-dir", "/proc/self/backups"], /no folder can be made at \/proc\/self/],
    [
      "--report under a file",
      (f: string) => ["--out", join(f, "..", "p.yaml"), "--report", join(f, "r.html")],
      /a-file is a file, not a folder/,
    ],
  ])("%s: exit 2 naming it, nothing sent", async (_, args, message) => {
    const sb = await sandbox({ seed: 3 });
    try {
      const dir = await tempDir();
      const aFile = join(dir, "a-file");
      writeFileSync(aFile, "x\n");
      const r = await exporter(sb, [...sb.state.domains.keys(), ...args(aFile), "--rate", "1000"]);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
