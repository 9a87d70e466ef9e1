import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";

const BIN = new URL("../dist/bin.js", import.meta.url).pathname;

/** The marker's content once the process has written it: waits for an event, it races nothing. */
async function untilWritten(path: string): Promise<string> {
  for (;;) {
    const text = await readFile(path, "utf8").catch(() => "");
    if (text) return text;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("regdom-sandbox CLI", () => {
  it("prints its endpoint first, serves, and saves state on SIGTERM", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sbcli-"));
    const state = join(dir, "state.json");
    const child = spawn(process.execPath, [BIN, "--seed", "7", "--state", state, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once("line", resolve),
    );
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/domainsResellerAPI\/api\.php$/);
    const res = await fetch(first, { method: "POST", body: "action=DASSE&sld=ledig&tld=se" });
    expect(await res.json()).toEqual({ result: "success", das: "free ledig.se" });
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const saved = JSON.parse(await readFile(state, "utf8"));
    expect(Object.keys(saved.domains)).toHaveLength(7);
  });
  it("names the domains it holds after its endpoint, on stderr: wrapped at 100 columns, past 60 a count", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sbnames-"));
    const state = join(dir, "state.json");
    const child = spawn(process.execPath, [BIN, "--seed", "70", "--state", state], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout }).once("line", resolve),
    );
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const names = Object.keys(JSON.parse(await readFile(state, "utf8")).domains).sort();
    const lines = err.trimEnd().split("\n");
    expect(lines[0]).toBe("regdom-sandbox: 70 domains; Ctrl-C to stop");
    expect(lines.at(-1)).toBe("  … and 10 more");
    const listed = lines.slice(1, -1);
    for (const l of listed) expect(l.length).toBeLessThanOrEqual(100);
    expect(listed.join(" ").split(" ").filter(Boolean)).toEqual(names.slice(0, 60));
  });
  it("a SIGKILL during a state save it has seen begin leaves the previous file whole", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sbkill-"));
    const state = join(dir, "state.json");
    const marker = join(dir, "paused");
    const start = (env: Record<string, string> = {}) => {
      const child = spawn(process.execPath, [BIN, "--seed", "300", "--state", state], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...env },
      });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
      const url = new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
      return { child, exited, url };
    };
    // A first run writes the seeded state and stops cleanly.
    const first = start();
    await first.url;
    first.child.kill("SIGTERM");
    await first.exited;
    const before = await readFile(state, "utf8");
    const name = Object.keys(JSON.parse(before).domains)[0]!;
    const dot = name.indexOf(".");
    // The second run saves after a change and pauses with the new file complete but not yet renamed
    // (the atomic writer's test hook writes the marker then); the kill lands there, by construction.
    const second = start({ REGDOM_TEST_PAUSE_BEFORE_RENAME: marker });
    const url = await second.url;
    const domain = `sld=${name.slice(0, dot)}&tld=${name.slice(dot + 1)}`;
    // biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field
    const post = async (u: string, body: string): Promise<any> => (await fetch(u, { method: "POST", body })).json();
    expect(await post(url, `action=SaveNameservers&${domain}&ns1=ns1.killed.se`)).toEqual({ result: "success" });
    const temp = await untilWritten(marker);
    second.child.kill("SIGKILL");
    expect(await second.exited).toBe("SIGKILL");
    // The save had begun: its temp file holds the change in full. The state file is the old one.
    expect(JSON.parse(await readFile(temp, "utf8")).domains[name].nameservers).toEqual(["ns1.killed.se"]);
    expect(await readFile(state, "utf8")).toBe(before);
    // And it loads: a third run serves the 300 domains as they were before the kill.
    const third = start();
    expect((await post(await third.url, `action=GetNameservers&${domain}`)).ns1).not.toBe("ns1.killed.se");
    third.child.kill("SIGTERM");
    await third.exited;
    expect(Object.keys(JSON.parse(await readFile(state, "utf8")).domains)).toHaveLength(300);
  });
  it("--auth-field email --dialect modules: the login e-mail is read from email, the lock from lockenabled", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "--seed", "1", "--token", "t", "--auth-email", "a@b.se", "--auth-field", "email", "--dialect", "modules"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const url = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once("line", resolve),
      );
      const post = async (body: string) => (await fetch(url, { method: "POST", body })).json();
      expect(await post("token=t&authemail=a%40b.se&action=DASSE&sld=ledig&tld=se")).toMatchObject({ result: "error" });
      expect(await post("token=t&email=a%40b.se&action=DASSE&sld=ledig&tld=se")).toEqual({
        result: "success",
        das: "free ledig.se",
      });
      expect(await post("token=t&email=a%40b.se&action=DomainUpdateLockingStatus&sld=x&tld=se")).toMatchObject({
        result: "error",
      });
    } finally {
      const exited = new Promise((r) => child.on("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  });
  it("refuses a bad option with a message", async () => {
    const child = spawn(process.execPath, [BIN, "--fail-rate", "2"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).not.toBe(0);
    expect(err).toMatch(/--fail-rate must be a number from 0 to 1/);
  });
});
