/**
 * Two applies of the same renewal at once (issue 31, "Money"): the account lock is taken before
 * live state is read, also while an apply waits at its prompt, and each money operation reads the
 * domain again under the lock just before it is sent. Ordered with the sandbox's hold, no sleeps.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accountKeyOf } from "@regdom/core";
import { FileLock } from "@regdom/files";
import type { Sandbox } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { BULK, bulk, EMAIL, sandbox, TOKEN, tempDir } from "./env.js";

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Waits for something the sandbox records (a request arriving), not for time to pass. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const addYears = (date: string, years: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};

/** One domain whose expiry is a day short of the target: a renewal of one year. */
async function renewal() {
  sb = await sandbox({ seed: 3 });
  const dir = await tempDir();
  const name = [...sb.state.domains.keys()][0]!;
  const before = sb.state.get(name)!.expiryDate;
  const target = addDays(before, 1);
  // X also manages the lock (as it is), so X reads DomainGetLockingStatus and Y does not.
  const mX = join(dir, "x.yaml");
  writeFileSync(
    mX,
    `version: 1\ndomains:\n  ${name}:\n    expires_not_before: ${target}\n    lock: ${sb.state.get(name)!.locked}\n`,
  );
  const mY = join(dir, "y.yaml");
  writeFileSync(mY, `version: 1\ndomains:\n  ${name}:\n    expires_not_before: ${target}\n`);
  return { sb, dir, name, before, mX, mY };
}

const renewArgs = (m: string, runDir: string) => ["apply", m, "--yes", "--allow-purchases", "--run-dir", runDir];

describe("two applies of one renewal renew it once", () => {
  it("an apply still reading live state holds the account lock: the second is refused (exit 3)", async () => {
    const { sb, dir, name, before, mX, mY } = await renewal();
    const release = sb.hold("DomainGetLockingStatus");
    let x: ReturnType<typeof bulk> | undefined;
    try {
      x = bulk(sb, renewArgs(mX, join(dir, "x")));
      await until(() => sb.requests.some((r) => r.action === "domaingetlockingstatus"));
      const y = await bulk(sb, renewArgs(mY, join(dir, "y")));
      expect(y.code, y.stderr).toBe(3);
      expect(y.stderr).toMatch(/another apply to this account \(pid \d+/);
    } finally {
      release();
    }
    const rx = await x;
    expect(rx.code, rx.stderr).toBe(0);
    expect(sb.executed("RenewDomain", name)).toBe(1);
    expect(sb.state.get(name)!.expiryDate).toBe(addYears(before, 1));
  });

  it("a plan read before another operator renewed is stale when its renewal comes to be sent (exit 3)", async () => {
    const { sb, dir, name, before, mX, mY } = await renewal();
    // Two operators, two machines: the account lock (one per user) does not see the other.
    const other = { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), "regdom-state-other-")) };
    const release = sb.hold("DomainGetLockingStatus");
    let x: ReturnType<typeof bulk> | undefined;
    try {
      x = bulk(sb, renewArgs(mX, join(dir, "x")));
      // X has read Sync (the expiry before) and waits for its lock status.
      await until(
        () =>
          sb.requests.some((r) => r.action === "domaingetlockingstatus") &&
          sb.requests.some((r) => r.action === "sync" && r.outcome === "success"),
      );
      const y = await bulk(sb, renewArgs(mY, join(dir, "y")), { env: other });
      expect(y.code, y.stderr).toBe(0);
      expect(sb.state.get(name)!.expiryDate).toBe(addYears(before, 1));
    } finally {
      release();
    }
    const rx = await x;
    expect(rx.code, rx.stderr + rx.stdout).toBe(3);
    expect(rx.stdout).toMatch(/Stale \(refused, plan again\): /);
    expect(sb.executed("RenewDomain", name)).toBe(1);
    expect(sb.state.get(name)!.expiryDate).toBe(addYears(before, 1));
  });

  const hasScript = (() => {
    try {
      execFileSync("script", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasScript)("an apply waiting at its prompt holds the account lock", async () => {
    const { sb, dir, name, before, mX, mY } = await renewal();
    const stateHome = mkdtempSync(join(tmpdir(), "regdom-state-"));
    // X on a real terminal (script(1) gives it one), stopped at "Apply these changes?".
    const argv = [process.execPath, BULK, "apply", mX, "--allow-purchases", "--run-dir", join(dir, "x")];
    const x: ChildProcess = spawn("script", ["-qefc", argv.map((a) => `'${a}'`).join(" "), "/dev/null"], {
      env: {
        PATH: process.env.PATH,
        NO_COLOR: "1",
        XDG_STATE_HOME: stateHome,
        REGDOM_ENDPOINT: sb.url,
        REGDOM_TOKEN: TOKEN,
        REGDOM_AUTH_EMAIL: EMAIL,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    x.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
    let ended = false;
    const exited = new Promise<number | null>((r) =>
      x.on("close", (code) => {
        ended = true;
        r(code);
      }),
    );
    try {
      await until(() => out.includes("Apply these changes?") || ended);
      expect(ended, out).toBe(false);
      const y = await bulk(sb, renewArgs(mY, join(dir, "y")), { env: { XDG_STATE_HOME: stateHome } });
      expect(y.code, y.stderr).toBe(3);
      expect(y.stderr).toMatch(/another apply to this account \(pid \d+/);
      expect(sb.executed("RenewDomain", name)).toBe(0);
      x.stdin!.write("yes\n");
      expect(await exited, out).toBe(0);
    } finally {
      x.kill("SIGKILL");
    }
    expect(sb.executed("RenewDomain", name)).toBe(1);
    expect(sb.state.get(name)!.expiryDate).toBe(addYears(before, 1));
  });
});

describe("the account lock is keyed by the normalised endpoint", () => {
  it("another spelling of the same endpoint finds the lock held (exit 3), and nothing is sent", async () => {
    sb = await sandbox({ seed: 2 });
    const dir = await tempDir();
    const name = [...sb.state.domains.keys()][0]!;
    const m = join(dir, "m.yaml");
    writeFileSync(m, `version: 1\ndomains:\n  ${name}:\n    lock: true\n`);
    const state = mkdtempSync(join(tmpdir(), "regdom-state-"));
    const url = new URL(sb.url);
    const locks = join(state, "regdom", "locks");
    execFileSync("mkdir", ["-p", locks]);
    // Held as a live apply against http://127.0.0.1:P/domainsResellerAPI/api.php holds it.
    const held = FileLock.acquire(join(locks, `account-${accountKeyOf(sb.url, EMAIL)}.lock`), "another apply");
    try {
      for (const spelling of [
        `http://localhost:${url.port}/domainsResellerAPI/api.php`,
        `http://LOCALHOST:${url.port}//domainsResellerAPI//api.php?`,
        `http://127.0.0.1:${url.port}/domainsResellerAPI/api.php#x`,
        `http://[::1]:${url.port}/domainsResellerAPI/api.php?a=b`,
      ]) {
        const r = await bulk(sb, ["apply", m, "--yes", "--run-dir", join(dir, "run")], {
          env: { XDG_STATE_HOME: state, REGDOM_ENDPOINT: spelling, REGDOM_AUTH_EMAIL: EMAIL.toUpperCase() },
        });
        expect(r.code, `${spelling}: ${r.stderr}`).toBe(3);
        expect(r.stderr).toMatch(/another apply/);
      }
    } finally {
      held.release();
    }
    expect(sb.requests).toHaveLength(0);
  });
});
