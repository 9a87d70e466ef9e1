import { join } from "node:path";
import {
  type CommandContext,
  closeClient,
  colors,
  confirm,
  defineCommand,
  ExitCode,
  flag,
  numberWithDefault,
  openClient,
  printWarnings,
  startProgress,
  text,
  watchInterrupts,
  withConnection,
} from "@regdom/cli";
import { normalizeEndpoint, UserError } from "@regdom/core";
import {
  type ApplyMode,
  type ApplyReport,
  applyPlan,
  checkRunPlaces,
  checkSafety,
  checkSpend,
  DEFAULT_MAX_DELETE_PCT,
  DEFAULT_MAX_UPDATE_PCT,
  type DnssecOptions,
  defaultRunDir,
  deferredSections,
  guardNameservers,
  hasChanges,
  inputErrors,
  type Plan,
  planPortfolio,
  RunFolder,
  RunLock,
  readJournal,
  readPlanFile,
  renderPlanHtml,
  renderPlanText,
  wholeRunReport,
} from "@regdom/engine";
import { writeFileAtomic } from "@regdom/files";
import { loadManifests, type Manifest } from "@regdom/manifest";
import { ABOUT } from "./about.js";
import { dnssecOptions, RESOLVER } from "./dnssecFlags.js";
import { MAX_SPEND, SKIP_UNSUPPORTED } from "./shared.js";

export function renderReport(report: ApplyReport, runDir: string): string {
  const rows = Object.entries(report.sections)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([section, c]) =>
        `  ${section.padEnd(12)} ${String(c.ok ?? 0).padStart(6)} ${String(c.failed ?? 0).padStart(7)} ${String(c.unknown ?? 0).padStart(8)}`,
    );
  const d = report.domains;
  const lines = [
    "",
    `  ${"section".padEnd(12)} ${"ok".padStart(6)} ${"failed".padStart(7)} ${"unknown".padStart(8)}`,
    ...rows,
    "",
    `${report.attempts && report.attempts > 1 ? `Whole run (${report.attempts} attempts). ` : ""}Domains: ${d.ok} ok, ${d.failed} failed, ${d.stale} stale, ${d.deferred} deferred, ${d.unchanged} unchanged${d["not-started"] ? `, ${d["not-started"]} not started (interrupted)` : ""}; ${report.writes} write(s).`,
  ];
  if (report.money.length)
    lines.push(
      `Money: ${report.money.map((m) => `${m.section} ${m.domain}${m.years ? ` ${m.years}y` : ""} ${m.outcome}${m.reconciled ? " (reconciled)" : ""}`).join("; ")}.`,
    );
  for (const f of report.failures.slice(0, 50)) lines.push(`  failed: ${f.domain} ${f.section}: ${f.message}`);
  if (report.failures.length > 50) lines.push(`  … and ${report.failures.length - 50} more in report.json`);
  if (report.stale.length) lines.push(`Stale (refused, plan again): ${report.stale.join(", ")}`);
  const deferred = deferredLines(report.deferred ?? []);
  if (deferred) lines.push(deferred.trimEnd());
  lines.push(`Run folder: ${runDir}`);
  return `${lines.join("\n")}\n`;
}

/** What a deferred domain waits for (a pending transfer), and the sections that wait with it. */
function waitingOf(d: Plan["domains"][number]): { waitsFor: string; sections: string[] } | undefined {
  const sections = deferredSections(d);
  return sections.length ? { waitsFor: "its transfer to complete", sections } : undefined;
}

/** One line per deferred domain, naming what it waits for. */
function deferredLines(list: ({ domain: string } & Partial<{ waitsFor: string; sections: string[] }>)[]): string {
  return list
    .filter((w) => w.waitsFor)
    .map(
      (w) =>
        `Deferred: ${w.domain} waits for ${w.waitsFor}${w.sections?.length ? ` (then: ${w.sections.join(", ")})` : ""}; a later apply finishes it (\`regdom-bulk transfers\` follows it)\n`,
    )
    .join("");
}

export function exitFor(report: ApplyReport): ExitCode {
  if (report.failures.length > 0 || report.interrupted) return ExitCode.failed;
  if (report.stale.length > 0) return ExitCode.refused;
  return ExitCode.ok;
}

const pct = { min: 0, max: 100 };

export const applyCommand = defineCommand({
  ...ABOUT.apply,
  options: withConnection({
    plan: text("--plan <file>", "apply a plan saved by `plan --out` (domains that moved since are refused)"),
    resume: text("--resume <runDir>", "continue an interrupted run from its journal and live state"),
    runDir: text("--run-dir <dir>", "where to write plan, journal and report (default .regdom/runs/<UTC time>)"),
    html: text("--html <file>", "also save the outcome as one HTML page: the plan with each domain's result"),
    yes: flag("--yes", "do not ask for confirmation (required without a TTY)"),
    allowPurchases: flag("--allow-purchases", "allow register, transfer and renew (they cost money)"),
    allowDelete: flag("--allow-delete", "allow RequestDelete for domains marked state: deleted"),
    maxDeletePct: numberWithDefault(
      "--max-delete-pct <n>",
      "refuse a zone or forwarding list (10+ entries) losing more than this percentage",
      String(DEFAULT_MAX_DELETE_PCT),
      pct,
    ),
    maxUpdatePct: numberWithDefault(
      "--max-update-pct <n>",
      "refuse a zone or forwarding list (10+ entries) in which more than this percentage would change",
      String(DEFAULT_MAX_UPDATE_PCT),
      pct,
    ),
    skipUnsupported: SKIP_UNSUPPORTED,
    force: flag("--force", "apply even past --max-delete-pct and --max-update-pct"),
    allowDnssecBreak: flag(
      "--allow-dnssec-break",
      "send nameserver changes whose DNSSEC verdict is `would break` or unknown (validating resolvers will fail the domain)",
    ),
    resolver: RESOLVER,
    maxSpend: MAX_SPEND,
  }),
  validate(paths, flags) {
    const sources = [paths.length > 0, Boolean(flags.plan), Boolean(flags.resume)].filter(Boolean).length;
    if (sources !== 1) throw new UserError("give manifests, or --plan FILE, or --resume RUN_DIR (exactly one)");
  },
  async handler(ctx, paths, flags) {
    const safety = {
      allowPurchases: flags.allowPurchases,
      allowDelete: flags.allowDelete,
      maxDeletePct: flags.maxDeletePct,
      maxUpdatePct: flags.maxUpdatePct,
      force: flags.force,
      allowDnssecBreak: flags.allowDnssecBreak,
    };
    const dnssec = dnssecOptions(flags.resolver, ctx.io.env);

    let plan: Plan | undefined;
    let mode: ApplyMode = "fresh";
    if (flags.plan) {
      plan = readPlanFile(flags.plan);
      mode = "saved";
    }
    if (flags.resume) mode = "resume";
    let manifest: Manifest | undefined;
    if (paths.length) {
      const loaded = await loadManifests(paths, { skipUnsupported: flags.skipUnsupported });
      printWarnings(ctx.io, loaded.warnings, ctx.verbose());
      manifest = loaded.manifest;
    }
    // A run folder or state folder regdom cannot write in is said now, before anything is sent.
    checkRunPlaces({ runDir: flags.runDir, resume: flags.resume, env: ctx.io.env });
    const client = await openClient(ctx, flags);
    let folder: RunFolder | undefined;
    let accountLock: RunLock | undefined;
    try {
      // The account's lock comes first: before live state or a resumed plan is read, and held
      // while the prompt waits, so a second apply to the account cannot plan against what this
      // one is about to change (nor this one against what that one changes).
      accountLock = RunLock.acquireAccount(client.accountKey, ctx.io.env);
      if (flags.resume) {
        folder = RunFolder.open(flags.resume, { create: false, accountLock, env: ctx.io.env });
        plan = folder.readPlan();
      } else if (!plan && manifest) {
        const progress = startProgress(ctx, client, "plan", manifest.domains.size);
        plan = await planPortfolio(client, manifest, { onDomain: () => progress.tick(), dnssec }).finally(() =>
          progress.stop(),
        );
      } else if (mode === "saved" && plan) await guardNameservers(plan.domains, dnssec); // the DNS as it is now

      if (!plan) throw new UserError("nothing to apply");
      const refused = inputErrors(plan);
      if (refused.length)
        throw new UserError(
          `refused, nothing was sent:\n  ${refused.map((d) => `${d.display}: ${d.error}`).join("\n  ")}`,
        );
      if (mode !== "fresh" && normalizeEndpoint(plan.endpoint) !== normalizeEndpoint(client.endpoint))
        throw new UserError(`the plan was made against ${plan.endpoint}, not ${client.endpoint}`);
      checkSafety(plan, safety);
      if (mode !== "resume") {
        ctx.io.stderr.write(renderPlanText(plan, colors(ctx.io, "stderr")));
        if (!hasChanges(plan) && !plan.domains.some((d) => d.changes.length)) {
          if (plan.summary.errors) return ExitCode.failed;
          ctx.io.stdout.write("No changes.\n");
          ctx.io.stdout.write(deferredLines(plan.domains.map((d) => ({ domain: d.display, ...waitingOf(d) }))));
          return ExitCode.ok;
        }
        await confirm(ctx.io, "Apply these changes?", flags.yes);
        // The balance is read now, just before the first purchase: nothing is bought past it.
        await checkSpend(client, plan, flags.maxSpend !== undefined ? { maxSpend: flags.maxSpend } : {});
        folder = RunFolder.open(flags.runDir ?? defaultRunDir(), { create: true, accountLock, env: ctx.io.env });
        folder.writePlan(plan);
      } else await confirm(ctx.io, `Resume the run in ${flags.resume}?`, flags.yes);
      return await run(ctx, client, plan, folder!, mode, flags, dnssec);
    } finally {
      folder?.close();
      await closeClient(ctx, client);
      accountLock?.release();
    }
  },
});

async function run(
  ctx: CommandContext,
  client: Awaited<ReturnType<typeof openClient>>,
  plan: Plan,
  folder: RunFolder,
  mode: ApplyMode,
  flags: { concurrency: number; html?: string | undefined },
  dnssec: DnssecOptions,
): Promise<number> {
  const interrupts = watchInterrupts(ctx.io, "finishing the domains in flight, starting no new writes");
  const progress = startProgress(ctx, client, "apply", plan.domains.length);
  try {
    const attempt = await applyPlan(client, plan, {
      mode,
      journal: folder.journal,
      signal: interrupts.signal,
      writeConcurrency: flags.concurrency,
      read: { dns: dnssec },
      onDomain: (r) => progress.tick({ writes: r.writes, failures: r.failures.length }),
    });
    // The report covers the whole run: every attempt's journal lines, not only this one's.
    const report = wholeRunReport(attempt, readJournal(join(folder.dir, "journal.jsonl")).entries, plan);
    progress.stop();
    folder.writeReport({ ...report, runDir: folder.dir });
    if (flags.html) {
      await writeFileAtomic(flags.html, renderPlanHtml(plan, report), 0o600);
      ctx.io.stderr.write(`HTML outcome: ${flags.html}\n`);
    }
    if (client.fatal) throw client.fatal;
    if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify({ ...report, runDir: folder.dir }, null, 2)}\n`);
    else ctx.io.stdout.write(renderReport(report, folder.dir));
    return interrupts.exitCode(exitFor(report));
  } finally {
    progress.stop();
    interrupts.dispose();
  }
}
