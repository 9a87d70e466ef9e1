import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";

const BIN = new URL("../dist/bin.js", import.meta.url).pathname;

describe("regdom-sandbox CLI", () => {
  it("prints its endpoint first, serves, and saves state on SIGTERM", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sbcli-"));
    const state = join(dir, "state.json");
    const child = spawn(process.execPath, [BIN, "--seed", "7", "--state", state, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/domainsResellerAPI\/api\.php$/);
    const res = await fetch(first, { method: "POST", body: "action=DASSE&sld=ledig&tld=se" });
    expect(await res.json()).toEqual({ result: "success", das: "free ledig.se" });
    const exited = new Promise<number | null>((r) => child.on("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const saved = JSON.parse(await readFile(state, "utf8"));
    expect(Object.keys(saved.domains)).toHaveLength(7);
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
