#!/usr/bin/env node
// The regdom demo: an embedded sandbox registrar with a seeded portfolio, and the real CLIs run
// as child processes through the main job: back up, plan a migration, apply it, plan again,
// roll a change back. No network is needed.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { seededDomainNames, startDnsStub, startSandbox } from "@regdom/sandbox";
import { binPath, runCli } from "@regdom/sandbox/testing";

const root = fileURLToPath(new URL("..", import.meta.url));
const demo = join(root, "test-fixtures", "demo");
const work = mkdtempSync(join(tmpdir(), "regdom-demo-"));
const BULK = binPath("@regdom/bulk", "bin.js", import.meta.url);
const EXPORT = binPath("@regdom/export", "bin.js", import.meta.url);
const TOKEN = "demo-token-not-a-secret";
const EMAIL = "demo@example.se";

const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${s}\x1b[0m` : s);
let step = 0;
function heading(text) {
  step += 1;
  process.stdout.write(`\n${bold(`── ${step}. ${text} ${"─".repeat(Math.max(3, 70 - text.length))}`)}\n`);
}

async function run(label, bin, args, env, { expectCodes = [0], showStderr = true, showStdout = true } = {}) {
  const shown = args.map((a) =>
    a.startsWith(work) ? relative(work, a) || "." : a.startsWith(root) ? relative(root, a) : a,
  );
  process.stdout.write(`$ ${label} ${shown.join(" ")}\n`);
  const r = await runCli(bin, args, { env, cwd: work });
  if (r.stdout && showStdout) process.stdout.write(r.stdout);
  if (r.stderr && (showStderr || !expectCodes.includes(r.code)))
    process.stdout.write(`${r.stderr.trimEnd().replace(/^/gm, "  | ")}\n`);
  if (!expectCodes.includes(r.code)) throw new Error(`${label} exited ${r.code}, expected ${expectCodes.join(" or ")}`);
  return r;
}

function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return listFiles(p, base);
    if (!e.isFile()) return [];
    return [`  ${relative(base, p).padEnd(48)} ${String(statSync(p).size).padStart(7)} bytes`];
  });
}

function listPaths(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listPaths(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

const sandbox = await startSandbox({ seed: 25, token: TOKEN, authEmail: EMAIL });
// The sandbox's DNS for the DNSSEC guard: every domain unsigned but vind3.se, which has a DS.
const dns = await startDnsStub({ signed: ["vind3.se"] });
const env = {
  REGDOM_ENDPOINT: sandbox.url,
  REGDOM_TOKEN: TOKEN,
  REGDOM_AUTH_EMAIL: EMAIL,
  REGDOM_RESOLVER: dns.address,
};
const fast = ["--rate", "50", "--concurrency", "8"];
try {
  process.stdout.write(
    `${bold("regdom demo")}: a sandbox registrar with 25 domains is listening at ${sandbox.url}\nwork folder: ${work}\n`,
  );

  heading("Back up the portfolio (regdom-export)");
  const list = join(work, "portfolio.txt");
  writeFileSync(list, `${seededDomainNames(25).join("\n")}\n`);
  await run(
    "regdom-export",
    EXPORT,
    [
      "--domains",
      list,
      "--backup-dir",
      join(work, "backups"),
      "--keep",
      "7",
      "--format",
      "csv",
      "--with-status",
      "--report",
      join(work, "report.html"),
      ...fast,
    ],
    env,
  );
  process.stdout.write("Files written:\n");
  process.stdout.write(`${listFiles(join(work, "backups")).join("\n")}\n`);

  heading("A workbook for people who edit in Excel or LibreOffice (regdom-export --format xlsx)");
  const workbook = join(work, "portfolio.xlsx");
  await run("regdom-export", EXPORT, ["--domains", list, "--format", "xlsx", "--out", workbook, ...fast], env);
  // A sheet per kind, text cells as text: read back, it is exactly the live state.
  await run("regdom-bulk", BULK, ["plan", workbook, ...fast], env);

  heading("Plan the migration (a YAML manifest and a spreadsheet CSV folder)");
  const manifests = [join(demo, "portfolio.yaml"), join(demo, "spreadsheet")];
  // One read: the sealed plan `apply --plan` runs and the page the approvers review are the same plan.
  await run(
    "regdom-bulk",
    BULK,
    ["plan", ...manifests, "--out", join(work, "plan.json"), "--html", join(work, "plan.html"), ...fast],
    env,
  );
  process.stdout.write(
    `For the approvers: ${join(work, "plan.html")} and the portfolio report ${join(work, "report.html")}\n`,
  );

  heading("Apply it (money allowed: one registration)");
  const runDir = join(work, "runs", "migration");
  await run(
    "regdom-bulk",
    BULK,
    [
      "apply",
      "--plan",
      join(work, "plan.json"),
      "--yes",
      "--allow-purchases",
      "--run-dir",
      runDir,
      "--html",
      join(work, "applied.html"),
      ...fast,
    ],
    env,
    { showStderr: false },
  );

  heading("Plan again: nothing left to do");
  await run("regdom-bulk", BULK, ["plan", ...manifests, "--detailed-exitcode", ...fast], env);

  heading("A signed domain moved to nameservers that serve no matching key: refused (DNSSEC guard)");
  const signedMove = join(work, "signed-move.yaml");
  writeFileSync(signedMove, "version: 1\ndomains:\n  vind3.se:\n    nameservers: [ns1.fel-host.se, ns2.fel-host.se]\n");
  await run("regdom-bulk", BULK, ["apply", signedMove, "--yes", ...fast], env, { expectCodes: [3] });

  heading("Make one more change, then roll it back");
  const oops = join(work, "oops.yaml");
  writeFileSync(oops, "version: 1\ndomains:\n  vind1.se:\n    nameservers: [ns1.fel-host.se, ns2.fel-host.se]\n");
  const oopsRun = join(work, "runs", "oops");
  await run("regdom-bulk", BULK, ["apply", oops, "--yes", "--run-dir", oopsRun, ...fast], env, { showStderr: false });
  await run("regdom-bulk", BULK, ["rollback", oopsRun, "--yes", ...fast], env);
  await run("regdom-bulk", BULK, ["plan", ...manifests, ...fast], env);

  const files = listPaths(work);
  const leaks = files.filter((f) => readFileSync(f, "utf8").includes(TOKEN));
  if (leaks.length) throw new Error(`the token leaked into ${leaks.join(", ")}`);

  heading("Against the real registrar");
  process.stdout.write(
    [
      "The same commands work against Registrera Domän once the connection comes from the environment:",
      "",
      "  export REGDOM_TOKEN=...              # or --token-file PATH; never a flag value",
      "  export REGDOM_AUTH_EMAIL=you@example.se",
      "  # REGDOM_ENDPOINT defaults to https://konto.registrera-doman.se/domainsResellerAPI/api.php",
      "  npx -y pnpm@12.4.2 exec regdom-export --domains portfolio.txt --backup-dir backups --keep 30",
      "  npx -y pnpm@12.4.2 exec regdom-bulk plan manifests/ --out plan.json",
      "  npx -y pnpm@12.4.2 exec regdom-bulk apply --plan plan.json",
      "",
      `The sandbox saw ${sandbox.requests.length} requests in this demo; the token appears in none of the ${files.length} files written under ${work} (checked).`,
      "",
    ].join("\n"),
  );
} finally {
  await sandbox.close();
  await dns.close();
}
