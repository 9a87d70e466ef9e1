import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { readRegularFile } from "./fileRead.js";
import { loadManifests } from "./load.js";

const TOKEN = "tok-3f9c2a7d-runner-secret";

async function problemsOf(paths: string[], dir: string): Promise<string[]> {
  const e = (await loadManifests(paths).catch((x: unknown) => x)) as UserError;
  expect(e).toBeInstanceOf(UserError);
  return e.problems.map((x) => `${x.file.slice(dir.length)}:${x.line ?? ""}: ${x.message}`);
}

describe("a manifest folder cannot read the runner", () => {
  it("refuses a link that leads outside the folder, naming the link and never quoting what it leads to", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-links-"));
    await writeFile(join(dir, "token"), `${TOKEN}\n`);
    const m = join(dir, "m");
    await mkdir(m);
    await writeFile(join(m, "a.csv"), "domain,lock\na.se,ja\n");
    await symlink(join(dir, "token"), join(m, "t.csv"));
    await symlink("/etc/passwd", join(m, "p.csv"));
    await symlink("../token", join(m, "r.yaml"));
    const problems = await problemsOf([m], dir);
    expect(problems).toEqual([
      expect.stringMatching(/^\/m\/p\.csv:: a symbolic link that leads outside its folder: refused/),
      expect.stringMatching(/^\/m\/r\.yaml:: a symbolic link that leads outside its folder: refused/),
      expect.stringMatching(/^\/m\/t\.csv:: a symbolic link that leads outside its folder: refused/),
    ]);
    // Named one by one (as a shell glob names them), the same.
    expect(await problemsOf([join(m, "t.csv"), join(m, "p.csv")], dir)).toEqual([
      expect.stringMatching(/^\/m\/t\.csv:: a symbolic link that leads outside/),
      expect.stringMatching(/^\/m\/p\.csv:: a symbolic link that leads outside/),
    ]);
    const all = JSON.stringify(problems);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain("root:");
  });

  it("refuses a folder named through a link that leads outside its own folder, unless named with a trailing /", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-links-"));
    await mkdir(join(dir, "outside"));
    await writeFile(join(dir, "outside", "x.csv"), `domain,lock\n${TOKEN}.se,ja\n`);
    const m = join(dir, "m");
    await mkdir(m);
    await symlink(join(dir, "outside"), join(m, "sub"));
    expect(await problemsOf([join(m, "sub")], dir)).toEqual([
      "/m/sub:: a symbolic link that leads outside its folder: refused (links in a manifest folder may only lead to files inside it); end the name with / to read the folder it leads to",
    ]);
    const { files } = await loadManifests([`${join(m, "sub")}/`]);
    expect(files).toEqual([join(m, "sub", "x.csv")]);
  });

  it("follows a link that stays inside the folder", async () => {
    const m = await mkdtemp(join(tmpdir(), "regdom-links-"));
    await mkdir(join(m, "shared"));
    await writeFile(join(m, "shared", "real.csv"), "domain,lock\na.se,ja\n");
    await symlink("shared/real.csv", join(m, "a.csv"));
    const { manifest } = await loadManifests([m]);
    expect(manifest.domains.get("a.se")?.lock).toBe(true);
  });

  it("never quotes a header that matched nothing; it names the columns expected", async () => {
    const m = await mkdtemp(join(tmpdir(), "regdom-header-"));
    await writeFile(join(m, "x.csv"), `root:x:0:0:root:/root:/bin/bash,${TOKEN}\n`);
    const problems = await problemsOf([m], m);
    expect(problems).toEqual([
      expect.stringMatching(
        /^\/x\.csv:1: cannot tell what this CSV holds from its header row: it has no "domain" column .*expected one of: domains \(domain,/,
      ),
    ]);
    expect(JSON.stringify(problems)).not.toContain(TOKEN);
    expect(JSON.stringify(problems)).not.toContain("root:x");
  });
});

describe("only regular files of bounded size are read", () => {
  it("refuses a FIFO without waiting for a writer, a folder, and /dev/zero, naming each", async () => {
    const m = await mkdtemp(join(tmpdir(), "regdom-kinds-"));
    execFileSync("mkfifo", [join(m, "f.csv")]);
    await mkdir(join(m, "g.csv"));
    await writeFile(join(m, "h.csv"), "domain,lock\nh.se,ja\n");
    expect(await problemsOf([m], m)).toEqual([
      "/f.csv:: cannot be read: a FIFO (named pipe), not a regular file",
      "/g.csv:: cannot be read: a folder, not a regular file",
    ]);
    expect(await readRegularFile("/dev/zero", 1 << 20)).toEqual({
      refused: "cannot be read: a device, not a regular file",
    });
  });

  it("counts the bytes it reads, not the size the file system gives (a /proc file says 0)", async () => {
    expect(await readRegularFile("/proc/self/status", 16)).toEqual({
      refused: "file is larger than 16 bytes; manifests larger than that are refused",
    });
    const ok = await readRegularFile("/proc/self/status", 1 << 20);
    expect("bytes" in ok && ok.bytes.toString("utf8")).toMatch(/^Name:/);
  });
});
