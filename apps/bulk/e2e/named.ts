/**
 * Real DNS for the DNSSEC tests: BIND's `named` (one process per address, each on port 53 of its own
 * loopback address, as real nameservers answer), zones signed with dnssec-keygen/dnssec-signzone.
 * Without `named` or root these skip, unless REQUIRE_NAMED=1 (CI), where they fail instead.
 * Test files run at the same time, so each takes its own addresses: dnssec.test.ts 127.0.0.2–5,
 * glueRead.test.ts 127.0.0.12–15, glue.test.ts 127.0.0.22–23, named.test.ts 127.0.0.32; a new file takes
 * the next free ten (127.0.0.42–45, …).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SandboxDomain } from "@regdom/sandbox";

const namedAvailable = spawnSync("named", ["-v"]).status === 0 && process.getuid?.() === 0;
const namedRequired = process.env.REQUIRE_NAMED === "1";
/** Run the named tests: named and root are here, or CI requires them (and fails without). */
export const withNamed = namedAvailable || namedRequired;

/** Adds a loopback address (as root) unless it is there; returns how to take it away again. */
export function loopbackAddress(addr: string): () => void {
  const shown = execFileSync("ip", ["-o", "addr", "show", "dev", "lo"], { encoding: "utf8" });
  if (shown.includes(` ${addr}/`)) return () => {};
  execFileSync("ip", ["addr", "add", `${addr}/32`, "dev", "lo"]);
  return () => {
    spawnSync("ip", ["addr", "del", `${addr}/32`, "dev", "lo"]);
  };
}

/** Makes a KSK for `zone` in `dir`; returns its file base (`Kzone.+013+12345`). */
export function keygen(dir: string, zone: string, alg: string[] = ["-a", "ECDSAP256SHA256", "-f", "KSK"]): string {
  return execFileSync("dnssec-keygen", ["-q", "-K", dir, ...alg, "-n", "ZONE", zone], { encoding: "utf8" }).trim();
}

/** The DS record (SHA-256) of a key, as a zone-file line. */
export function dsOf(dir: string, base: string): string {
  return execFileSync("dnssec-dsfromkey", ["-2", join(dir, `${base}.key`)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

const SOA = (ns: string, serial = 1) =>
  `$TTL 60\n@ IN SOA ${ns} hostmaster.se. ${serial} 3600 600 86400 60\n@ IN NS ${ns}\n`;

/**
 * The SOA serial last written to each parent zone file: each write takes the next, so that a named
 * told to reload says in its log when it serves the new one (`zone se/IN: loaded serial 2`).
 */
const serials = new Map<string, number>();

/**
 * A child zone: signed with `key` (every record, by the one KSK: -z) when given, its DNSKEY set
 * holding `extra` keys too (unused ones, to make the answer big). Returns the zone file.
 */
export function childZone(dir: string, zone: string, ns: string, key?: string, extra: string[] = []): string {
  const file = join(dir, `${zone}.${key ?? "plain"}.${ns}zone`);
  const includes = key ? [key, ...extra].map((k) => `$INCLUDE ${join(dir, `${k}.key`)}\n`).join("") : "";
  writeFileSync(file, `${SOA(ns)}@ IN A 192.0.2.1\n${includes}`);
  if (!key) return file;
  execFileSync("dnssec-signzone", ["-q", "-z", "-K", dir, "-o", zone, "-f", `${file}.signed`, file, key], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return `${file}.signed`;
}

/** A parent zone served by `ns.ZONE` at `address` (the named that will serve it), with `lines`. */
export function parentZone(dir: string, zone: string, lines: string[], address = "127.0.0.2"): string {
  const file = join(dir, `${zone}.parent.zone`);
  const serial = (serials.get(file) ?? 0) + 1;
  writeFileSync(file, `${SOA(`ns.${zone}.`, serial)}ns IN A ${address}\n${lines.join("\n")}\n`);
  serials.set(file, serial);
  return file;
}

export interface Named {
  stop(): Promise<void>;
  /**
   * Has named read its zone files anew (SIGHUP, in place: no second named racing the first for
   * ADDRESS:53); resolves once its log says it loaded each parent zone rewritten since, at the new serial.
   */
  reload(): Promise<void>;
}

/**
 * Starts `named -g` answering on ADDRESS:53 for the zones given; resolves once it says it runs with
 * every zone loaded and its sockets bound (a named that could not listen is an error, not a silent one).
 */
export async function startNamed(dir: string, address: string, zones: Record<string, string>): Promise<Named> {
  const home = join(dir, `named-${address}`);
  mkdirSync(home, { recursive: true });
  const conf = join(home, "named.conf");
  // check-integrity no: a parent zone may name in-zone nameservers it holds no address for (glue
  // not registered yet), as a test of missing glue needs; named then still serves the zone.
  writeFileSync(
    conf,
    `options {
  directory "${home}";
  pid-file "${home}/named.pid";
  session-keyfile "${home}/session.key";
  managed-keys-directory "${home}";
  listen-on port 53 { ${address}; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  notify no;
  check-integrity no;
};
controls { };
${Object.entries(zones)
  .map(([name, file]) => `zone "${name}" { type primary; file "${file}"; };`)
  .join("\n")}
`,
  );
  const child: ChildProcess = spawn("named", ["-g", "-n", "1", "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  /** named's log so far; `waitFor` resolves once it holds a line, rejects if named exits first. */
  let log = "";
  let seen = 0;
  const waiters = new Set<{ test: (line: string) => boolean; resolve: () => void; reject: (e: Error) => void }>();
  const waitFor = (test: (line: string) => boolean) =>
    new Promise<void>((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error(`named on ${address} is not running:\n${log}`));
      waiters.add({ test, resolve, reject });
    });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    log += chunk;
    const lines = log.split("\n");
    for (const line of lines.slice(seen, -1)) {
      // A socket it could not bind: it would run on, answering nothing there.
      if (/could not listen|address in use|not loaded due to errors/i.test(line)) {
        for (const w of waiters) w.reject(new Error(`named on ${address}: ${line}\n${log}`));
        waiters.clear();
      }
      for (const w of waiters)
        if (w.test(line)) {
          waiters.delete(w);
          w.resolve();
        }
    }
    seen = lines.length - 1;
  });
  child.once("exit", (code) => {
    for (const w of waiters) w.reject(new Error(`named on ${address} exited (${code}):\n${log}`));
    waiters.clear();
  });
  const spawned = new Promise<void>((_, reject) => child.once("error", reject));
  /** The serial each zone file held when named last read it. */
  const loaded = () => new Map(Object.entries(zones).map(([name, file]) => [name, serials.get(file)]));
  let served = loaded();
  // BIND 9.18 logs "all zones loaded" then "running" once it serves every zone on its sockets.
  await Promise.race([spawned, waitFor((line) => / running$/.test(line))]);
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  return {
    stop,
    reload: async () => {
      const now = loaded();
      const rewritten = [...now].filter(([name, serial]) => serial !== undefined && serial !== served.get(name));
      const done = Promise.all(
        rewritten.map(([name, serial]) =>
          waitFor((line) => line.endsWith(` zone ${name}/IN: loaded serial ${serial}`)),
        ),
      );
      child.kill("SIGHUP");
      await done;
      served = now;
    },
  };
}

/**
 * The parent zone as the registry would publish it from the sandbox's books: for each sandbox
 * domain under `zone`, its nameservers as NS records and its child nameservers (glue) as A/AAAA
 * records, beside `o.extra` lines; `o.address` is the address of the named serving it (as for
 * parentZone). Write it, then `reload()` the named serving it, so that a test
 * can plan → apply → republish → plan again against real DNS. Returns the zone file (the same file
 * parentZone writes, so a named started on it reads the new one on reload).
 */
export function parentZoneFromSandbox(
  dir: string,
  zone: string,
  domains: Iterable<SandboxDomain>,
  o: { address?: string; extra?: string[] } = {},
): string {
  const rel = (name: string) => name.slice(0, -(zone.length + 1));
  const lines = [...(o.extra ?? [])];
  for (const d of [...domains].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!d.name.endsWith(`.${zone}`)) continue;
    for (const ns of d.nameservers) lines.push(`${rel(d.name)} IN NS ${ns.replace(/\.$/, "")}.`);
    for (const [host, addresses] of Object.entries(d.childNameservers).sort()) {
      for (const a of addresses) lines.push(`${rel(host)} IN ${a.includes(":") ? "AAAA" : "A"} ${a}`);
    }
  }
  return parentZone(dir, zone, lines, o.address);
}
