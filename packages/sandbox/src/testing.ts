/**
 * Helpers for tests that run the built CLIs as child processes against a sandbox: the real
 * binaries, the real wire, no mocks.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /** Called once the process has started (to kill it at a chosen moment). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Path of a built bin beside a workspace package's main entry, e.g. binPath("@regdom/bulk"). */
export function binPath(pkg: string, file = "bin.js", from: string = import.meta.url): string {
  const require = createRequire(from);
  return join(dirname(require.resolve(pkg)), file);
}

/** One state folder per test process, so account locks never touch the user's own. */
let stateHome: string | undefined;

export function runCli(bin: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  stateHome ??= mkdtempSync(join(tmpdir(), "regdom-state-"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH, NO_COLOR: "1", XDG_STATE_HOME: stateHome, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
    opts.onSpawn?.(child);
  });
}
