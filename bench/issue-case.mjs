#!/usr/bin/env node
// The rate issue's own case: plan 300 domains against a 20 req/s sliding limit at 20 ms latency,
// --concurrency 8, with --rate 20, --rate 100 and --rate auto (cold). 15 s is the floor (300 / 20).
// `node bench/issue-case.mjs` after a build; prints one line per mode.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDnsStub, startSandbox } from "@regdom/sandbox";
import { binPath } from "@regdom/sandbox/testing";

const BULK = binPath("@regdom/bulk", "bin.js", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "regdom-issue-case-"));
const sb = await startSandbox({ seed: 300, token: "t", authEmail: "e@x.se", recordParams: false });
// The sandbox's DNS for the DNSSEC guard (every domain unsigned), never the machine's resolver.
const dns = await startDnsStub();
Object.assign(sb.faults, { latencyMs: 20, rateLimit: 20, limitShape: "sliding" });
const names = [...sb.state.domains.keys()];
const file = join(dir, "m.yaml");
writeFileSync(
  file,
  `version: 1\ndomains:\n${names.map((d) => `  ${d}:\n    nameservers: [ns1.x.se, ns2.x.se]\n`).join("")}`,
);

function plan(rate) {
  const env = {
    PATH: process.env.PATH,
    REGDOM_ENDPOINT: sb.url,
    REGDOM_TOKEN: "t",
    REGDOM_AUTH_EMAIL: "e@x.se",
    REGDOM_RESOLVER: dns.address,
    XDG_STATE_HOME: mkdtempSync(join(dir, "state-")),
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BULK, "plan", file, "--rate", rate, "--concurrency", "8"], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

for (const rate of ["20", "100", "auto"]) {
  sb.requests.length = 0;
  const t0 = performance.now();
  const r = await plan(rate);
  const s = (performance.now() - t0) / 1000;
  const refused = sb.requests.filter((x) => x.fault === "rate-limited").length;
  console.log(
    `--rate ${rate}: ${s.toFixed(1)} s (the floor is 15 s: ${(s / 15).toFixed(2)}x), ${sb.requests.length} requests, ${refused} answered 429${r.code ? `; exit ${r.code}: ${r.stderr}` : ""}`,
  );
}
await sb.close();
await dns.close();
