#!/usr/bin/env node
// `pnpm bench`: every benchmark the issues name, one table, also written to bench/results.json.
// Figures are measured on each run. BENCH_SCALE (default 1) shrinks the portfolios for a quick look.
import { execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Journal } from "@regdom/engine";
import { loadManifests, writeXlsxManifest } from "@regdom/manifest";
import { startDnsStub, startSandbox } from "@regdom/sandbox";
import { binPath } from "@regdom/sandbox/testing";
import { writeBigManifest, writeBigYaml } from "./gen-manifest.mjs";
import { naivePlan } from "./naive.mjs";

let dnsStub;
/** The sandbox's DNS (every domain unsigned) for the DNSSEC guard, never the machine's resolver. */
function benchDns() {
  dnsStub ??= startDnsStub();
  return dnsStub;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const scale = Number(process.env.BENCH_SCALE ?? "1");
const only = process.env.BENCH_ONLY?.split(",");
const BULK = binPath("@regdom/bulk", "bin.js", import.meta.url);
const EXPORT = binPath("@regdom/export", "bin.js", import.meta.url);
const TOKEN = "bench-token";
const EMAIL = "bench@example.se";
const work = mkdtempSync(join(tmpdir(), "regdom-bench-"));
const rows = [];
const n = (x) => Math.max(10, Math.round(x * scale));
const log = (s) => process.stderr.write(`${s}\n`);

/** Runs a CLI through measure.mjs: its own wall time, CPU time and peak memory. */
function measured(bin, args, env = {}) {
  const out = join(work, `m-${Date.now()}-${Math.random()}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, "measure.mjs"), bin, ...args], {
      env: { PATH: process.env.PATH, NO_COLOR: "1", REGDOM_BENCH_OUT: out, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolve({ ...JSON.parse(readFileSync(out, "utf8")), code, stdout, stderr });
      } catch (_e) {
        reject(new Error(`${bin} ${args.join(" ")} failed (${code}): ${stderr}`));
      }
    });
  });
}

function achievedRate(requests) {
  if (requests.length < 2) return 0;
  const at = requests.map((r) => r.at);
  const span = (Math.max(...at) - Math.min(...at)) / 1000;
  return (requests.length - 1) / span;
}

const want = (name) => !only || only.includes(name);

/** One bare csv-parse pass over the manifest's files, in a fresh process: the floor validate stands on. */
function bareCsvParse(dir) {
  return JSON.parse(
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `
      import { parse } from "csv-parse"; import { readFileSync } from "node:fs";
      const t0 = performance.now(); let n = 0;
      for (const f of ["domains.csv", "dns.csv"]) await new Promise((res, rej) => { const p = parse({ relax_column_count: true }); p.on("data", () => n++); p.on("end", res); p.on("error", rej); p.end(readFileSync(${JSON.stringify(dir)} + "/" + f)); });
      console.log(JSON.stringify({ ms: performance.now() - t0, records: n }));`,
      ],
      { cwd: join(here, "..", "packages", "core") },
    ).toString(),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function benchValidate() {
  const domains = n(100_000);
  const runs = Number(process.env.BENCH_VALIDATE_RUNS ?? "5");
  const dir = join(work, "big");
  writeBigManifest(dir, domains);
  log(`validate: ${domains} domains, ${domains * 5} DNS rows, ${runs} runs`);
  // This machine's speed drifts by up to 2x over minutes, so each run is paired with a bare
  // csv-parse pass made just before it, and the medians are reported with the spread.
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    const bare = bareCsvParse(dir);
    const m = await measured(BULK, ["validate", dir]);
    if (m.code !== 0) throw new Error(m.stderr);
    pairs.push({ m, bare: bare.ms, ratio: m.wallMs / bare.ms });
  }
  const walls = pairs.map((x) => x.m.wallMs);
  rows.push({
    name: `validate ${domains} domains + ${domains * 5} DNS rows (CSV)`,
    calls: "-",
    minimum: "-",
    rate: "-",
    configured: "-",
    cpuMsPerDomain: median(pairs.map((x) => x.m.cpuMs)) / domains,
    peakMb: Math.max(...pairs.map((x) => x.m.maxRssMb)),
    wallS: median(walls) / 1000,
    note:
      `median of ${runs} (${(Math.min(...walls) / 1000).toFixed(2)}–${(Math.max(...walls) / 1000).toFixed(2)} s); ` +
      `${median(pairs.map((x) => x.ratio)).toFixed(2)}x a bare csv-parse pass (${(median(pairs.map((x) => x.bare)) / 1000).toFixed(2)} s); targets 3 s, 400 MB`,
  });
}

/**
 * YAML at portfolio scale: the same data as CSV and as one YAML file, 20k and 100k domains,
 * validated alternately in one run, so the ratios compare like with like on this machine.
 * Targets: YAML at most 2x the CSV time, within 1 GB; 20k -> 100k grows at most 5.5x.
 */
async function benchValidateYaml() {
  const sizes = [n(20_000), n(100_000)];
  const runs = Number(process.env.BENCH_VALIDATE_RUNS ?? "3");
  const walls = {};
  const peaks = {};
  const builds = baselineBuilds("bulk");
  for (const size of sizes) {
    const dir = join(work, `yaml-${size}`);
    writeBigManifest(join(dir, "csv"), size);
    writeBigYaml(join(dir, "m.yaml"), size);
    log(`validate YAML vs CSV: ${size} domains, ${runs} runs each`);
    const targets = builds.flatMap(([build, bin]) => [
      [`csv${build}`, join(dir, "csv"), bin],
      [`yaml${build}`, join(dir, "m.yaml"), bin],
    ]);
    for (const [label] of targets) {
      walls[`${label}${size}`] = [];
      peaks[`${label}${size}`] = 0;
    }
    for (let i = 0; i < runs; i++) {
      for (const [label, target, bin] of targets) {
        const m = await measured(bin, ["validate", target]);
        if (m.code !== 0) throw new Error(m.stderr);
        walls[`${label}${size}`].push(m.wallMs);
        peaks[`${label}${size}`] = Math.max(peaks[`${label}${size}`], m.maxRssMb);
      }
    }
  }
  const [small, big] = sizes;
  const w = (k) => median(walls[k]);
  // Growth says how time scales only when both runs are large enough to be more than start-up and noise.
  const growthOf = (build) =>
    small >= 10_000 && w(`yaml${build}${big}`) > 1000
      ? `${small} -> ${big} domains: ${(w(`yaml${build}${big}`) / w(`yaml${build}${small}`)).toFixed(2)}x the time (${(w(`yaml${build}${small}`) / 1000).toFixed(2)} s at ${small})`
      : `growth ${small} -> ${big} not shown (only when both sizes are >= 10000 domains and the larger takes > 1 s)`;
  for (const [build] of builds)
    rows.push({
      name: `validate ${big} domains + ${big * 5} DNS rows (YAML, one file)${build}`,
      calls: "-",
      minimum: "-",
      rate: "-",
      configured: "-",
      cpuMsPerDomain: "-",
      peakMb: peaks[`yaml${build}${big}`],
      wallS: w(`yaml${build}${big}`) / 1000,
      note:
        `median of ${runs}; ${(w(`yaml${build}${big}`) / w(`csv${build}${big}`)).toFixed(2)}x the same data as CSV in this run (${(w(`csv${build}${big}`) / 1000).toFixed(2)} s, ${peaks[`csv${build}${big}`].toFixed(0)} MB); ` +
        `${growthOf(build)}; ` +
        `targets <= 1.6x CSV, <= 5.5x growth, 350 MB`,
    });
}

/**
 * This checkout's CLI, and with BENCH_BASELINE=/path/to/another/built/checkout that one's beside
 * it (run alternately in the same rows), to measure a change before and after side by side.
 */
function baselineBuilds(app) {
  const own = app === "bulk" ? BULK : EXPORT;
  const base = process.env.BENCH_BASELINE;
  return base
    ? [
        ["", own],
        [" (baseline)", join(base, "apps", app, "dist", "bin.js")],
      ]
    : [["", own]];
}

/**
 * XLSX at portfolio scale: the same 100k domains and 500k DNS rows as CSV files and as one workbook
 * (written by regdom's own XLSX writer from the CSV), validated alternately in one run.
 */
async function benchValidateXlsx() {
  const size = n(100_000);
  const runs = Number(process.env.BENCH_VALIDATE_RUNS ?? "3");
  const dir = join(work, `xlsx-${size}`);
  writeBigManifest(join(dir, "csv"), size);
  const { manifest } = await loadManifests([join(dir, "csv")]);
  writeFileSync(join(dir, "m.xlsx"), await writeXlsxManifest(manifest, { tool: "bench", time: new Date() }));
  log(`validate XLSX vs CSV: ${size} domains, ${runs} runs each`);
  const builds = baselineBuilds("bulk");
  const targets = builds.flatMap(([build, bin]) => [
    [`csv${build}`, join(dir, "csv"), bin],
    [`xlsx${build}`, join(dir, "m.xlsx"), bin],
  ]);
  const walls = Object.fromEntries(targets.map(([label]) => [label, []]));
  const peaks = Object.fromEntries(targets.map(([label]) => [label, 0]));
  for (let i = 0; i < runs; i++)
    for (const [label, target, bin] of targets) {
      const m = await measured(bin, ["validate", target]);
      if (m.code !== 0) throw new Error(m.stderr);
      walls[label].push(m.wallMs);
      peaks[label] = Math.max(peaks[label], m.maxRssMb);
    }
  for (const [build] of builds) {
    const [csv, xlsx] = [`csv${build}`, `xlsx${build}`];
    rows.push({
      name: `validate ${size} domains + ${size * 5} DNS rows (XLSX, one workbook)${build}`,
      calls: "-",
      minimum: "-",
      rate: "-",
      configured: "-",
      cpuMsPerDomain: "-",
      peakMb: peaks[xlsx],
      wallS: median(walls[xlsx]) / 1000,
      note:
        `median of ${runs}; ${(median(walls[xlsx]) / median(walls[csv])).toFixed(2)}x the time of the same data as CSV in this run ` +
        `(${(median(walls[csv]) / 1000).toFixed(2)} s, ${peaks[csv].toFixed(0)} MB); ${(peaks[xlsx] / peaks[csv]).toFixed(2)}x its peak memory; ` +
        "targets <= 3x CSV, <= 500 MB",
    });
  }
}

async function benchSandbox() {
  const sb = await startSandbox({ seed: 10, recordParams: false });
  try {
    const domain = [...sb.state.domains.keys()][0];
    const requests = n(40_000);
    // Asynchronous: the sandbox serves from this process while the load comes from another.
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(here, "loadgen.mjs"),
      sb.url,
      String(requests),
      "32",
      domain,
    ]);
    const out = JSON.parse(stdout);
    rows.push({
      name: `sandbox throughput (${requests} GetNameservers, 32 connections)`,
      calls: out.requests,
      minimum: requests,
      rate: out.requests / out.seconds,
      configured: "-",
      cpuMsPerDomain: "-",
      peakMb: "-",
      wallS: out.seconds,
      note: "target at least 5,000 requests/s",
    });
  } finally {
    await sb.close();
  }
}

function planManifest(names, withSync) {
  return `version: 1\ndomains:\n${names.map((d, i) => `  ${d}:\n    nameservers: [ns1.bench.se, ns2.bench.se]\n${i % 10 === 0 && withSync ? "    expires_not_before: 2020-01-01\n" : ""}`).join("")}`;
}

async function benchPlan() {
  const domains = n(2000);
  const sb = await startSandbox({
    seed: domains,
    token: TOKEN,
    authEmail: EMAIL,
    faults: { latencyMs: 20 },
    recordParams: false,
  });
  try {
    const names = [...sb.state.domains.keys()];
    const file = join(work, "plan.yaml");
    writeFileSync(file, planManifest(names, true));
    const minimum = domains + names.filter((_, i) => i % 10 === 0).length;
    const env = {
      REGDOM_ENDPOINT: sb.url,
      REGDOM_TOKEN: TOKEN,
      REGDOM_AUTH_EMAIL: EMAIL,
      REGDOM_RESOLVER: (await benchDns()).address,
    };
    for (const [rate, conc] of [
      [50, 8],
      [1000, 16],
    ]) {
      sb.requests.length = 0;
      log(`plan: ${domains} domains at 20 ms latency, --rate ${rate} --concurrency ${conc}`);
      const m = await measured(BULK, ["plan", file, "--rate", String(rate), "--concurrency", String(conc)], env);
      if (m.code !== 0) throw new Error(m.stderr);
      rows.push({
        name: `plan ${domains} domains, 20 ms latency, --rate ${rate} --concurrency ${conc}`,
        calls: sb.requests.length,
        minimum,
        rate: achievedRate(sb.requests),
        configured: rate,
        cpuMsPerDomain: m.cpuMs / domains,
        peakMb: m.maxRssMb,
        wallS: m.wallMs / 1000,
        note: "",
      });
    }
    sb.requests.length = 0;
    log("plan: the naive baseline (one request at a time, a new connection each)");
    const reads = names.flatMap((d, i) =>
      i % 10 === 0
        ? [
            [d, "Sync"],
            [d, "GetNameservers"],
          ]
        : [[d, "GetNameservers"]],
    );
    const t0 = performance.now();
    const calls = await naivePlan(sb.url, TOKEN, EMAIL, reads);
    const naiveS = (performance.now() - t0) / 1000;
    rows.push({
      name: `naive baseline: the same plan, sequential, no keep-alive`,
      calls,
      minimum,
      rate: calls / naiveS,
      configured: "-",
      cpuMsPerDomain: "-",
      peakMb: "-",
      wallS: naiveS,
      note: "",
    });
    for (const r of rows.filter((x) => x.name.startsWith("plan ")))
      r.note = `${(naiveS / r.wallS).toFixed(1)}x faster than the naive baseline`;
  } finally {
    await sb.close();
  }
}

/**
 * The registrar's rate, found rather than guessed: for limits of 3, 10 and 40 requests per second
 * in each shape (sliding window, token bucket with a burst, fixed per-second window), a plan of
 * enough domains to run at least BENCH_RATE_SECONDS (30) and at least 150 requests (at 3 req/s a
 * 30-second run is 96 requests, and one refused request alone would be 1.04%), at 20 ms latency,
 * --concurrency 8, with --rate auto cold (nothing remembered), --rate auto again from the rate the
 * cold run remembered (warm: every later run against the same endpoint), and --rate equal to the
 * limit. Achieved is calls over wall time; "wall vs limit" compares the wall time with calls / limit
 * (1.00 is the best possible). At BENCH_SCALE < 1 (the quick look) the runs shrink with the scale
 * (3 s and at least 15 requests at 0.1) and only the 10 req/s limit is run: a look at each shape,
 * not a measure of the search's precision (the CLI's start is a large part of a 3 s run).
 */
async function benchRate() {
  const shrink = Math.min(1, scale);
  const seconds = Number(process.env.BENCH_RATE_SECONDS ?? String(30 * shrink));
  const minRequests = Math.max(10, Math.round(150 * shrink));
  const limits = (process.env.BENCH_RATE_LIMITS ?? (scale < 1 ? "10" : "3,10,40")).split(",").map(Number);
  const shapes = (process.env.BENCH_RATE_SHAPES ?? "sliding,bucket,fixed").split(",");
  for (const limit of limits) {
    const domains = Math.ceil(Math.max(limit * seconds, minRequests) * 1.05);
    const sb = await startSandbox({
      seed: Math.min(domains, 4000),
      token: TOKEN,
      authEmail: EMAIL,
      recordParams: false,
    });
    try {
      const names = [...sb.state.domains.keys()];
      // More domains than the seed holds are planned as absent ones (one Sync each, answered "not found").
      const file = join(work, `rate-${limit}.yaml`);
      writeFileSync(file, planManifest(names, false));
      for (const shape of shapes) {
        let state;
        for (const mode of ["auto", "auto-warm", "fixed"]) {
          Object.assign(sb.faults, {
            latencyMs: 20,
            rateLimit: limit,
            limitShape: shape,
            burst: shape === "bucket" ? limit * 2 : undefined,
          });
          sb.requests.length = 0;
          // The warm run reads the state the cold run wrote.
          if (mode !== "auto-warm") state = mkdtempSync(join(work, "state-"));
          const rate = mode === "fixed" ? String(limit) : "auto";
          const label = mode === "auto-warm" ? "auto (warm)" : mode === "auto" ? "auto (cold)" : rate;
          log(`rate: limit ${limit}/s (${shape}), --rate ${label}, ${names.length} domains`);
          const env = {
            REGDOM_ENDPOINT: sb.url,
            REGDOM_TOKEN: TOKEN,
            REGDOM_AUTH_EMAIL: EMAIL,
            REGDOM_RESOLVER: (await benchDns()).address,
            XDG_STATE_HOME: state,
          };
          const m = await measured(BULK, ["plan", file, "--rate", rate, "--concurrency", "8"], env);
          if (m.code !== 0) throw new Error(m.stderr);
          const calls = sb.requests.length;
          const refused = sb.requests.filter((r) => r.fault === "rate-limited").length;
          const achieved = calls / (m.wallMs / 1000);
          const accepted = /accepted ~([\d.]+) req\/s/.exec(m.stderr)?.[1];
          rows.push({
            name: `rate: limit ${limit}/s ${shape}${shape === "bucket" ? ` (burst ${limit * 2})` : ""}, --rate ${label}`,
            calls,
            minimum: names.length,
            rate: achieved,
            configured: mode === "fixed" ? limit : "auto",
            cpuMsPerDomain: "-",
            peakMb: m.maxRssMb,
            wallS: m.wallMs / 1000,
            note:
              `${((achieved / limit) * 100).toFixed(0)}% of the limit; ${((refused / calls) * 100).toFixed(1)}% answered 429 (${refused}); ` +
              `wall vs limit ${(m.wallMs / 1000 / (calls / limit)).toFixed(2)}${accepted ? `; found ~${accepted} req/s` : ""}`,
          });
          log(`  ${rows[rows.length - 1].note}`);
        }
      }
    } finally {
      await sb.close();
    }
  }
}

async function benchApply() {
  const domains = n(2000);
  const sb = await startSandbox({
    seed: domains,
    token: TOKEN,
    authEmail: EMAIL,
    faults: { latencyMs: 20 },
    recordParams: false,
  });
  try {
    const names = [...sb.state.domains.keys()];
    for (const name of names) sb.state.get(name).locked = false;
    const file = join(work, "apply.yaml");
    writeFileSync(
      file,
      `version: 1\ndomains:\n${names.map((d) => `  ${d}:\n    nameservers: [ns1.apply.se, ns2.apply.se]\n    lock: true\n    forwarding: [{prefix: bench, to: ops@bench.se}]\n`).join("")}`,
    );
    const env = {
      REGDOM_ENDPOINT: sb.url,
      REGDOM_TOKEN: TOKEN,
      REGDOM_AUTH_EMAIL: EMAIL,
      REGDOM_RESOLVER: (await benchDns()).address,
    };
    log(`apply: ${domains} domains, 3 changed sections each, 20 ms latency, --rate 50`);
    const runDir = join(work, "apply-run");
    const m = await measured(
      BULK,
      ["apply", file, "--yes", "--rate", "50", "--concurrency", "8", "--run-dir", runDir],
      env,
    );
    if (m.code !== 0) throw new Error(m.stderr);
    const writes = sb.requests.filter((r) => r.changed);
    const journalBytes = readFileSync(join(runDir, "journal.jsonl")).length;
    rows.push({
      name: `apply ${domains} domains x 3 changed sections, 20 ms latency, --rate 50`,
      calls: sb.requests.length,
      minimum: domains * 6,
      rate: achievedRate(sb.requests),
      configured: 50,
      cpuMsPerDomain: m.cpuMs / domains,
      peakMb: m.maxRssMb,
      wallS: m.wallMs / 1000,
      note: `writes ${writes.length} = changed sections ${domains * 3}; journal ${(journalBytes / (domains * 3)).toFixed(0)} bytes per write`,
    });
  } finally {
    await sb.close();
  }
  // The journal's own cost: one write() per line; fdatasync only before money operations.
  const j = new Journal(join(work, "journal-bench.jsonl"));
  const lines = 20_000;
  let t0 = performance.now();
  for (let i = 0; i < lines; i++)
    j.append({
      domain: `d${i}.se`,
      section: "nameservers",
      action: "SaveNameservers",
      phase: i % 2 ? "ok" : "intent",
      before: ["ns1.a.se"],
      after: ["ns1.b.se"],
    });
  const plainUs = ((performance.now() - t0) * 1000) / lines;
  t0 = performance.now();
  for (let i = 0; i < 500; i++)
    j.append({ domain: `d${i}.se`, section: "renew", action: "RenewDomain", phase: "intent" }, true);
  const durableUs = ((performance.now() - t0) * 1000) / 500;
  j.close();
  rows.push({
    name: "journal: cost per line",
    calls: lines,
    minimum: "-",
    rate: "-",
    configured: "-",
    cpuMsPerDomain: "-",
    peakMb: "-",
    wallS: "-",
    note: `${plainUs.toFixed(1)} µs per line; ${durableUs.toFixed(0)} µs with fdatasync (money intents)`,
  });
}

async function benchExport() {
  const domains = n(10_000);
  const sb = await startSandbox({
    seed: domains,
    token: TOKEN,
    authEmail: EMAIL,
    faults: { latencyMs: 10 },
    recordParams: false,
  });
  try {
    const list = join(work, "export-domains.txt");
    writeFileSync(list, [...sb.state.domains.keys()].join("\n"));
    const env = {
      REGDOM_ENDPOINT: sb.url,
      REGDOM_TOKEN: TOKEN,
      REGDOM_AUTH_EMAIL: EMAIL,
      REGDOM_RESOLVER: (await benchDns()).address,
    };
    log(`export: ${domains} domains, 10 ms latency, --rate 100`);
    const m = await measured(
      EXPORT,
      ["--domains", list, "--out", join(work, "export.yaml"), "--rate", "100", "--concurrency", "8"],
      env,
    );
    if (m.code !== 0) throw new Error(m.stderr);
    rows.push({
      name: `export ${domains} domains x 5 sections, 10 ms latency, --rate 100`,
      calls: sb.requests.length,
      minimum: domains * 5,
      rate: achievedRate(sb.requests),
      configured: 100,
      cpuMsPerDomain: m.cpuMs / domains,
      peakMb: m.maxRssMb,
      wallS: m.wallMs / 1000,
      note: "target: peak memory under 300 MB",
    });
  } finally {
    await sb.close();
  }
}

/**
 * Export memory at portfolio scale: 100k domains, every section, each format in turn from one
 * sandbox, no latency. Peak memory is the CLI's own (the sandbox serves from this process).
 */
async function benchExportMemory() {
  const domains = n(100_000);
  const formats = (process.env.BENCH_EXPORT_FORMATS ?? "yaml,csv,json,bind,xlsx").split(",");
  const builds = baselineBuilds("export");
  const sb = await startSandbox({ seed: domains, token: TOKEN, authEmail: EMAIL, recordParams: false });
  try {
    const list = join(work, "export-memory-domains.txt");
    writeFileSync(list, [...sb.state.domains.keys()].join("\n"));
    const env = { REGDOM_ENDPOINT: sb.url, REGDOM_TOKEN: TOKEN, REGDOM_AUTH_EMAIL: EMAIL };
    for (const format of formats)
      for (const [label, bin] of builds) {
        const single = format === "yaml" || format === "json" || format === "xlsx";
        const out = join(work, `export-memory-${format}${label ? "-baseline" : ""}${single ? `.${format}` : ""}`);
        log(`export memory: ${domains} domains as ${format}${label}`);
        sb.requests.length = 0;
        const m = await measured(
          bin,
          ["--domains", list, "--out", out, "--format", format, "--rate", "100000", "--concurrency", "32"],
          env,
        );
        if (m.code !== 0) throw new Error(m.stderr);
        rows.push({
          name: `export ${domains} domains x 5 sections as ${format}${label}`,
          calls: sb.requests.length,
          minimum: domains * 5,
          rate: "-",
          configured: "-",
          cpuMsPerDomain: m.cpuMs / domains,
          peakMb: m.maxRssMb,
          wallS: m.wallMs / 1000,
          note: `target peak <= ${format === "xlsx" ? 600 : 300} MB`,
        });
        sb.requests.length = 0;
      }
  } finally {
    await sb.close();
  }
}

/**
 * How fast the CLIs start: `regdom-bulk --help`, `validate` of a one-domain YAML manifest and
 * `regdom-export --help`, each against `node -e 0` (Node's own start), taken in turns in the same
 * run so that the ratios hold however fast the machine is at the moment. Target: within 1.6x.
 */
async function benchStartup() {
  const runs = Number(process.env.BENCH_STARTUP_RUNS ?? "21");
  const one = join(work, "one.yaml");
  writeFileSync(one, "version: 1\ndomains:\n  example.se:\n    nameservers: [ns1.example.net, ns2.example.net]\n");
  const commands = {
    node: ["-e", "0"],
    help: [BULK, "--help"],
    validate: [BULK, "validate", one],
    export: [EXPORT, "--help"],
  };
  const names = {
    help: "start-up: regdom-bulk --help",
    validate: "start-up: regdom-bulk validate (one domain, YAML)",
    export: "start-up: regdom-export --help",
  };
  log(`start-up: ${Object.keys(names).join(", ")} against node -e 0, ${runs} rounds`);
  const walls = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const wallOf = (args) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH } });
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return performance.now() - t0;
  };
  const keys = Object.keys(commands);
  for (const k of keys) wallOf(commands[k]); // warm the file cache
  for (let i = 0; i < runs; i++)
    // A different order each round, so no command always follows the same one.
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(i + j) % keys.length];
      walls[k].push(wallOf(commands[k]));
    }
  const base = median(walls.node);
  for (const [k, name] of Object.entries(names)) {
    const ratios = walls[k].map((w, i) => w / walls.node[i]);
    rows.push({
      name,
      calls: "-",
      minimum: "-",
      rate: "-",
      configured: "-",
      cpuMsPerDomain: "-",
      peakMb: "-",
      wallS: median(walls[k]) / 1000,
      note:
        `${(median(walls[k]) / base).toFixed(2)}x node -e 0 (${(base / 1000).toFixed(3)} s), median of ${runs} rounds ` +
        `(round by round ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}x); target <= 1.6x`,
    });
  }
}

const KINDS = {
  startup: benchStartup,
  validate: benchValidate,
  "validate-yaml": benchValidateYaml,
  "validate-xlsx": benchValidateXlsx,
  rate: benchRate,
  sandbox: benchSandbox,
  plan: benchPlan,
  apply: benchApply,
  export: benchExport,
  "export-memory": benchExportMemory,
};
for (const [kind, bench] of Object.entries(KINDS)) {
  if (!want(kind)) continue;
  const before = rows.length;
  await bench();
  for (const r of rows.slice(before)) r.kind = kind;
}
// With BENCH_ONLY, the other benchmarks' rows of the last full run are kept (each row says when it ran).
const now = new Date().toISOString();
for (const r of rows) r.time = now;
if (only) {
  try {
    const previous = JSON.parse(readFileSync(join(here, "results.json"), "utf8"));
    const kept = previous.rows.filter((r) => r.kind && !only.includes(r.kind));
    rows.push(...kept);
    const order = Object.keys(KINDS);
    rows.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  } catch {
    /* no earlier results */
  }
}

const fmt = (v, d = 1) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(d)) : v);
const header = [
  "benchmark",
  "calls",
  "minimum",
  "achieved/s",
  "configured/s",
  "CPU ms/domain",
  "peak MB",
  "wall s",
  "note",
];
const table = [
  header,
  ...rows.map((r) => [
    r.name,
    fmt(r.calls),
    fmt(r.minimum),
    fmt(r.rate),
    fmt(r.configured),
    fmt(r.cpuMsPerDomain, 2),
    fmt(r.peakMb, 0),
    fmt(r.wallS, 2),
    r.note,
  ]),
];
const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
const line = (row) => `| ${row.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
process.stdout.write(
  `${[line(table[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...table.slice(1).map(line)].join("\n")}\n`,
);
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
process.stdout.write(`\nMachine: ${machine}; BENCH_SCALE=${scale}\n`);
writeFileSync(join(here, "results.json"), `${JSON.stringify({ time: now, machine, scale, rows }, null, 2)}\n`);
