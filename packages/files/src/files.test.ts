import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileLock, LockHeldError, userStateDir, writeFileAtomicSync } from "./index.js";

const dir = () => mkdtempSync(join(tmpdir(), "regdom-files-"));

describe("writeFileAtomicSync", () => {
  it("replaces the file whole, with the mode asked, and leaves no temp file", () => {
    const d = dir();
    const p = join(d, "f.json");
    writeFileSync(p, "old");
    writeFileAtomicSync(p, "new", 0o600);
    expect(readFileSync(p, "utf8")).toBe("new");
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(["f.json"]);
  });
});

describe("FileLock", () => {
  it("two takers never both hold it, even in one process", () => {
    const p = join(dir(), "lock");
    const a = FileLock.acquire(p, "apply");
    expect(() => FileLock.acquire(p, "apply")).toThrow(LockHeldError);
    a.release();
    FileLock.acquire(p, "apply").release();
  });
  it("an empty or foreign lock file is not free: it is refused with advice", () => {
    const p = join(dir(), "lock");
    writeFileSync(p, "");
    expect(() => FileLock.acquire(p, "apply")).toThrow(
      /cannot be read as a lock; if no regdom run is going on, remove it/,
    );
  });
  it("a dead owner's lock is taken over", () => {
    const p = join(dir(), "lock");
    writeFileSync(
      p,
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: FileLock.acquire(join(dir(), "x"), "probe").owner.host,
        nonce: "dead",
        since: "then",
      }),
    );
    const l = FileLock.acquire(p, "apply");
    expect(JSON.parse(readFileSync(p, "utf8")).nonce).toBe(l.owner.nonce);
    l.release();
  });
  it("release removes only its own lock, never one that replaced it", () => {
    const p = join(dir(), "lock");
    const a = FileLock.acquire(p, "apply");
    const other = { pid: process.pid, host: a.owner.host, nonce: "someone-else", since: "now", what: "apply" };
    writeFileSync(p, JSON.stringify(other));
    a.release();
    expect(JSON.parse(readFileSync(p, "utf8")).nonce).toBe("someone-else");
  });
});

describe("userStateDir", () => {
  it("follows XDG_STATE_HOME, else ~/.local/state", () => {
    expect(userStateDir({ XDG_STATE_HOME: "/x/state" })).toBe("/x/state/regdom");
    expect(userStateDir({})).toMatch(/\/\.local\/state\/regdom$/);
  });
});
