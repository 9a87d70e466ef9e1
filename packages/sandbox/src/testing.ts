/**
 * Helpers for tests that run the built CLIs as child processes against a sandbox: the real
 * binaries, the real wire, no mocks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type DnsStub, startDnsStub } from "./dnsStub.js";

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
  /**
   * Kills a process still running after this long (default 10 minutes, beyond every test's own
   * timeout): it cleans up after a hung CLI, it is no bound a slow machine could hit.
   */
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
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 600_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
    opts.onSpawn?.(child);
  });
}

/**
 * A TCP proxy in front of a server that keeps every byte the client sent, as it reached the
 * socket: what a test checks for secrets, since the sandbox's own request log strips them.
 */
export async function recordingProxy(
  target: string,
): Promise<{ url: string; sent(): Buffer[]; close(): Promise<void> }> {
  const { createServer, connect } = await import("node:net");
  const to = new URL(target);
  const connections: Buffer[][] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(to.port), to.hostname);
    sockets.add(client).add(upstream);
    const chunks: Buffer[] = [];
    connections.push(chunks);
    client.on("data", (d: Buffer) => chunks.push(Buffer.from(d)));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as import("node:net").AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${to.pathname}`,
    /** The bytes each connection sent, one buffer per connection, in order. */
    sent: () => connections.map((c) => Buffer.concat(c)),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

let dns: Promise<DnsStub> | undefined;
/** One DNS stub per test process, started on first use (its socket does not keep the process alive). */
function sandboxDns(): Promise<DnsStub> {
  dns ??= startDnsStub();
  return dns;
}

/** The credentials every end-to-end test's sandbox expects (a token the leak tests look for). */
export const E2E_TOKEN = "rdTOKEN-e2e-Q9v7Zx31-do-not-leak";
export const E2E_EMAIL = "ops@example.se";

/**
 * What end-to-end tests of the CLIs use: a sandbox with the e2e credentials, a temp folder, and
 * each built CLI run against a sandbox with the connection in its environment. `from` is the
 * test's import.meta.url, from which the apps' bins are resolved.
 */
export function e2eKit(from: string) {
  const BULK = binPath("@regdom/bulk", "bin.js", from);
  const EXPORT = binPath("@regdom/export", "bin.js", from);
  const run =
    (bin: string) =>
    async (sb: { url: string } | undefined, args: string[], opts: CliOptions = {}) =>
      runCli(bin, args, {
        ...opts,
        env: {
          ...(sb ? { REGDOM_ENDPOINT: sb.url } : {}),
          REGDOM_TOKEN: E2E_TOKEN,
          REGDOM_AUTH_EMAIL: E2E_EMAIL,
          // The sandbox's DNS (no DS anywhere: every domain unsigned), never the machine's resolver.
          REGDOM_RESOLVER: (await sandboxDns()).address,
          ...opts.env,
        },
      });
  return {
    BULK,
    EXPORT,
    sandbox: async (opts: import("./server.js").SandboxOptions = {}) => {
      const { startSandbox } = await import("./server.js");
      return startSandbox({ token: E2E_TOKEN, authEmail: E2E_EMAIL, ...opts });
    },
    tempDir: () => mkdtempAsync(join(tmpdir(), "regdom-e2e-")),
    bulk: run(BULK),
    exporter: run(EXPORT),
  };
}

async function mkdtempAsync(prefix: string): Promise<string> {
  const { mkdtemp } = await import("node:fs/promises");
  return mkdtemp(prefix);
}
