/**
 * The README's "Try it in five minutes" cannot rot: its ```sh blocks run as written, in one bash
 * (-eo pipefail) from the repository root, and each block's output must hold the lines of the ```text
 * block after it, in order. Two things differ from a reader's terminal: the install line is left out
 * (the tests run on a built tree), and the sandbox listens on a free port instead of 8790 (the test
 * starts the README's own sandbox command with --port 0 and puts its port where the README says 8790).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startDnsStub } from "@regdom/sandbox";
import { describe, expect, it } from "vitest";
import { tempDir } from "./env.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const README_PORT = "8790";

interface Step {
  commands: string[];
  expected: string[];
}

/** The section's ```sh blocks, each with the ```text block that follows it (its expected output). */
function tryItSteps(readme: string): Step[] {
  const start = readme.indexOf("\n## Try it in five minutes\n");
  if (start < 0) throw new Error("README.md has no '## Try it in five minutes' section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const steps: Step[] = [];
  for (const m of section.matchAll(/```(sh|text)\n([\s\S]*?)```/g)) {
    const lines = m[2]!.split("\n").filter((l) => l.trim() !== "");
    if (m[1] === "sh") steps.push({ commands: lines, expected: [] });
    else steps.at(-1)!.expected.push(...lines.map((l) => l.trimEnd()));
  }
  return steps;
}

/** The expected lines that are not in the output, in order (each must come after the one before). */
function missing(expected: string[], output: string): string[] {
  const lines = output.split("\n").map((l) => l.trimEnd());
  let at = 0;
  const gone: string[] = [];
  for (const want of expected) {
    const i = lines.indexOf(want, at);
    if (i < 0) gone.push(want);
    else at = i + 1;
  }
  return gone;
}

const isInstall = (c: string) => c.startsWith("npx -y pnpm@12.4.2 install");
const isSandbox = (c: string) => c.startsWith("regdom-sandbox ");

describe("README: Try it in five minutes", () => {
  it("runs as written: sandbox, export, sed, plan, apply, plan (No changes.), rollback", async () => {
    const steps = tryItSteps(readFileSync(join(ROOT, "README.md"), "utf8"));
    const all = steps.flatMap((s) => s.commands);
    expect(all.filter(isSandbox)).toHaveLength(1);
    expect(all.join("\n")).toMatch(/regdom-export .*--out portfolio\.yaml/);
    expect(all.join("\n")).toMatch(/^sed .*portfolio\.yaml$/m);
    expect(all.join("\n")).toMatch(/^regdom-bulk rollback /m);

    const home = await tempDir();
    const dns = await startDnsStub();
    // The reader's shell: PATH from the README's own export line; state and DNS kept inside the test.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_STATE_HOME: join(home, "state"),
      REGDOM_RESOLVER: dns.address,
      TMPDIR: home,
    };
    const sandboxLine = all.find(isSandbox)!;
    const sandboxCommand = sandboxLine
      .replace(/\s*#.*$/, "")
      .replace(/\s*&$/, "")
      .replace(`--port ${README_PORT}`, "--port 0");
    expect(sandboxCommand).toMatch(/--port 0\b/);
    let sandbox: ChildProcess | undefined;
    try {
      // The sandbox step: the commands before it (PATH, cd), then its own command on port 0.
      const before = all.slice(0, all.indexOf(sandboxLine)).filter((c) => !isInstall(c));
      sandbox = spawn(
        "bash",
        ["--noprofile", "--norc", "-eo", "pipefail", "-c", [...before, `exec ${sandboxCommand}`].join("\n")],
        {
          cwd: ROOT,
          env,
        },
      );
      const sandboxStep = steps.find((s) => s.commands.includes(sandboxLine))!;
      let out = "";
      let err = "";
      sandbox.stdout!.on("data", (d) => {
        out += d;
      });
      sandbox.stderr!.on("data", (d) => {
        err += d;
      });
      const exited = new Promise((r) => sandbox!.on("exit", r));
      const port = await new Promise<string>((resolve, reject) => {
        createInterface({ input: sandbox!.stdout! }).once("line", (line) => {
          const url = /^http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
          if (url) resolve(url[1]!);
          else reject(new Error(`the sandbox's first line is not its endpoint: ${line}`));
        });
        sandbox!.on("exit", (code) => reject(new Error(`the sandbox exited (${code}): ${out}${err}`)));
      });

      // Every other command, in one shell (exports and cd carry over), a marker before each block.
      const script: string[] = ["exec 2>&1"];
      steps.forEach((step, i) => {
        script.push(`echo "@@step ${i}"`);
        for (const c of step.commands) {
          if (isInstall(c) || isSandbox(c)) continue;
          script.push(c.replaceAll(`127.0.0.1:${README_PORT}/`, `127.0.0.1:${port}/`));
        }
      });
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script.join("\n")], {
          cwd: ROOT,
          env,
        });
        let output = "";
        child.stdout.on("data", (d) => {
          output += d;
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
      });
      expect(code, output).toBe(0);
      const parts = output.split(/^@@step (\d+)\n/m);
      steps.forEach((step, i) => {
        if (step.commands.some(isSandbox)) return;
        const at = parts.indexOf(String(i));
        expect(at, output).toBeGreaterThan(0);
        expect(missing(step.expected, parts[at + 1]!), `step ${i} printed:\n${parts[at + 1]}`).toEqual([]);
      });
      // The last plan says so in words; the rollback restored what apply changed.
      expect(output).toMatch(/^No changes\.$/m);
      expect(output).toMatch(/Restored 1 section\(s\)/);

      // What the sandbox printed before it was stopped: its endpoint, then the domain names.
      sandbox.kill("SIGTERM");
      await exited;
      const printed = `${out.replaceAll(`:${port}/`, `:${README_PORT}/`)}${err}`;
      expect(missing(sandboxStep.expected, printed), printed).toEqual([]);
    } finally {
      if (sandbox && sandbox.exitCode === null && sandbox.signalCode === null) {
        const exited = new Promise((r) => sandbox!.on("exit", r));
        sandbox.kill("SIGTERM");
        await exited;
      }
      await dns.close();
    }
  });
});
