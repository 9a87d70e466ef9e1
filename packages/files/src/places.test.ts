import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCanMake, ensureDir, PlaceError } from "./index.js";

const fresh = () => mkdtempSync(join(tmpdir(), "regdom-places-"));

function failure(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlaceError);
    return (e as Error).message;
  }
  throw new Error("no PlaceError");
}

describe("ensureDir", () => {
  it("makes each missing level with the mode exactly, whatever the umask", () => {
    const dir = fresh();
    const old = process.umask(0o022);
    try {
      ensureDir("the run folder", join(dir, "a", "b"));
      process.umask(0o277);
      ensureDir("the run folder", join(dir, "a", "c"));
    } finally {
      process.umask(old);
    }
    for (const p of ["a", "a/b", "a/c"]) expect((statSync(join(dir, p)).mode & 0o777).toString(8)).toBe("700");
  });

  it("names the file in the way, and says /proc cannot hold a folder (Node's recursive mkdir spins there)", () => {
    const dir = fresh();
    writeFileSync(join(dir, "f"), "x");
    expect(failure(() => ensureDir("the state folder", join(dir, "f", "regdom", "locks")))).toBe(
      `the state folder ${join(dir, "f", "regdom", "locks")} cannot be used: ${join(dir, "f")} is a file, not a folder`,
    );
    expect(failure(() => ensureDir("the state folder", "/proc/self/regdom/locks"))).toBe(
      "the state folder /proc/self/regdom/locks cannot be used: no folder can be made at /proc/self/regdom",
    );
    expect(failure(() => ensureDir("the run folder", "/proc/self"))).toMatch(
      /^the run folder \/proc\/self cannot be used: (permission denied|no folder can be made) at \/proc\/self/,
    );
  });
});

describe("checkCanMake", () => {
  it("checks where a folder would be made without making it", () => {
    const dir = fresh();
    checkCanMake("the run folder", join(dir, "x", "y"));
    expect(existsSync(join(dir, "x"))).toBe(false);
    writeFileSync(join(dir, "f"), "x");
    expect(failure(() => checkCanMake("the run folder", join(dir, "f", "y")))).toMatch(/f is a file, not a folder$/);
  });
});
