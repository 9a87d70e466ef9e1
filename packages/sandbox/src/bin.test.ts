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
  it("a SIGKILL during state saves never leaves a broken state file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sbkill-"));
    const state = join(dir, "state.json");
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, [BIN, "--seed", "300", "--state", state], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise((r) => child.on("exit", r));
      const url = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once("line", resolve),
      );
      const writes = Array.from({ length: 200 }, (_, i) =>
        fetch(url, { method: "POST", body: `action=SetAutoRenew&sld=x&tld=se&autorenew=1&n=${i}` }).catch(
          () => undefined,
        ),
      );
      const names = JSON.parse(await readFile(state, "utf8").catch(() => '{"domains":{}}')).domains;
      const first = Object.keys(names)[0] ?? "vind1.se";
      const dot = first.indexOf(".");
      const saves = Array.from({ length: 200 }, () =>
        fetch(url, {
          method: "POST",
          body: `action=SaveNameservers&sld=${first.slice(0, dot)}&tld=${first.slice(dot + 1)}&ns1=ns${round}.a.se`,
        }).catch(() => undefined),
      );
      await new Promise((r) => setTimeout(r, 30 + round * 40));
      child.kill("SIGKILL");
      await Promise.all([...writes, ...saves]);
      await exited;
      const saved = JSON.parse(await readFile(state, "utf8"));
      expect(Object.keys(saved.domains)).toHaveLength(300);
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
