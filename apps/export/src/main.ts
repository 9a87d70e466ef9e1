/** regdom-export: whole portfolios to files that regdom-bulk reads back unchanged. Never exits the process. */

import { rename, rm } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import {
  type CommandContext,
  choice,
  closeClient,
  defineCommand,
  ExitCode,
  flag,
  groupNotes,
  type Io,
  numberWithDefault,
  type OptionsOf,
  openClient,
  runProgram,
  startProgress,
  text,
  versionOf,
  withConnection,
} from "@regdom/cli";
import { UserError } from "@regdom/core";
import {
  chosenResolver,
  EXPORT_SECTIONS,
  type ExportSection,
  exportPortfolio,
  renderReportHtml,
  usablePlace,
} from "@regdom/engine";
import { checkCanMake } from "@regdom/files";
import { loadManifests, readNameList } from "@regdom/manifest";
import { DomainSpool } from "./spool.js";
import {
  backupStamp,
  makePartial,
  PARTIAL_MARK,
  pointLatest,
  pruneBackups,
  writeAtomic,
  writeExportFiles,
} from "./writeExport.js";

export const VERSION = versionOf(new URL("../package.json", import.meta.url));

const OPTIONS = withConnection({
  domains: text("--domains <file>", "domains from a file: one per line, or a CSV with a domain column"),
  fromManifest: text("--from-manifest <manifest>", "the domains a manifest names"),
  out: text("--out <path>", "file (yaml, json, xlsx) or folder (csv, bind, --split) to write"),
  format: choice(
    "--format <format>",
    "what to write (bind: one DOMAIN.zone per domain; xlsx: one workbook, a sheet per kind)",
    ["yaml", "csv", "json", "bind", "xlsx"],
    "yaml",
  ),
  split: flag("--split", "one file per domain, in the folder --out (yaml, json)"),
  excel: flag("--excel", "CSV for Excel: UTF-8 BOM, ; and CRLF"),
  sections: text("--sections <list>", `what to read, comma-separated (default all: ${EXPORT_SECTIONS.join(",")})`),
  withEpp: flag("--with-epp", "add EPP codes (files become mode 0600)"),
  withStatus: flag("--with-status", "add status and expiry date from Sync (read-only fields bulk ignores)"),
  withDnssec: flag(
    "--with-dnssec",
    "add each domain's DNSSEC state: DS key tags/algorithms, and whether its nameservers serve a matching DNSKEY",
  ),
  withGlue: flag(
    "--with-glue",
    "add each domain's glue (child nameservers under it), read from its parent zone through the resolver",
  ),
  resolver: text(
    "--resolver <host[:port]>",
    "DNS resolver for --with-dnssec and --with-glue (env REGDOM_RESOLVER; default the system's)",
  ),
  backupDir: text("--backup-dir <dir>", "write a dated backup folder with meta.json; DIR/latest points at it"),
  report: text(
    "--report <file>",
    "write a portfolio report as one HTML page (reads status: one Sync per domain; works without --out)",
  ),
  keep: numberWithDefault("--keep <n>", "with --backup-dir: keep the newest N backups (0: all)", "0", {
    min: 0,
    integer: true,
  }),
});
type ExportFlags = OptionsOf<typeof OPTIONS>;

async function domainList(args: string[], flags: ExportFlags): Promise<string[]> {
  const names = [...args];
  if (flags.domains) names.push(...(await readNameList(flags.domains)));
  if (flags.fromManifest) names.push(...(await loadManifests([flags.fromManifest])).manifest.domains.keys());
  if (names.length === 0)
    throw new UserError(
      "no domains to export: name them, or give --domains FILE or --from-manifest M (the API cannot list an account's domains)",
    );
  return names;
}

function parseSections(s: string | undefined): ExportSection[] {
  if (!s) return [...EXPORT_SECTIONS];
  const list = s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((x) => !(EXPORT_SECTIONS as readonly string[]).includes(x));
  if (bad.length) throw new UserError(`--sections: unknown ${bad.join(", ")}; valid: ${EXPORT_SECTIONS.join(", ")}`);
  return list as ExportSection[];
}

export const exportCommand = defineCommand({
  name: "regdom-export",
  summary: "dump the live state of named domains to manifests that regdom-bulk reads back unchanged",
  args: "[domain...]",
  options: OPTIONS,
  validate(_args, flags) {
    if (!flags.out && !flags.backupDir && !flags.report)
      throw new UserError("--out PATH is required (or --backup-dir DIR, or --report FILE)");
    if (flags.format === "bind" && flags.withEpp)
      throw new UserError(
        "--with-epp cannot go with --format bind: zone files hold no EPP codes (use yaml, csv or xlsx)",
      );
    if (flags.format === "bind" && flags.withGlue)
      throw new UserError(
        "--with-glue cannot go with --format bind: glue is published in the parent's zone, not the domain's (use yaml, json, csv or xlsx)",
      );
    if (flags.format === "bind" && flags.sections && !flags.sections.split(",").includes("dns"))
      throw new UserError("--format bind writes zones: --sections must include dns");
    if (flags.split && (flags.format === "csv" || flags.format === "bind" || flags.format === "xlsx"))
      throw new UserError(
        `--split goes with yaml or json; ${flags.format === "xlsx" ? "a workbook is one file with a sheet per kind" : "a CSV or bind export is already a folder of files"}`,
      );
    if (flags.excel && flags.format !== "csv") throw new UserError("--excel goes with --format csv");
    if (flags.keep > 0 && !flags.backupDir) throw new UserError("--keep goes with --backup-dir");
    parseSections(flags.sections);
  },
  handler: runExport,
});

/** Where the export, its backup folder and its report go can be written: said before anything is sent. */
function checkOutputPlaces(flags: ExportFlags): void {
  usablePlace(() => {
    if (flags.backupDir) checkCanMake("the backup folder", flags.backupDir);
    else if (flags.out) {
      const folder = flags.format === "csv" || flags.format === "bind" || flags.split;
      checkCanMake("the export's folder", folder ? flags.out : dirname(resolve(flags.out)));
    }
    if (flags.report) checkCanMake("the report's folder", dirname(resolve(flags.report)));
  });
}

async function runExport(ctx: CommandContext, args: string[], flags: ExportFlags): Promise<number> {
  // Domains go to a spool file as they are read and are written from it one at a time, so a
  // 100k-domain export does not hold the portfolio in memory (a workbook and --report still do).
  const spool = new DomainSpool();
  try {
    return await exportVia(spool, ctx, args, flags);
  } finally {
    spool.close();
  }
}

async function exportVia(spool: DomainSpool, ctx: CommandContext, args: string[], flags: ExportFlags): Promise<number> {
  const format = flags.format;
  const keep = flags.keep > 0 ? flags.keep : undefined;
  const sections = parseSections(flags.sections);
  const names = await domainList(args, flags);
  checkOutputPlaces(flags);
  const glueResolver = flags.withGlue ? chosenResolver(flags.resolver, ctx.io.env) : undefined;
  if (flags.withGlue && !glueResolver)
    throw new UserError(
      "--with-glue reads glue from DNS and no resolver is configured (none in /etc/resolv.conf): give --resolver HOST[:PORT] or REGDOM_RESOLVER",
    );
  // Glue is read from DNS: only when asked for (meta.json lists it then).
  const read: ExportSection[] = glueResolver ? [...sections, "glue"] : sections;
  // The report shows every domain's expiry: it reads the status (one Sync per domain) as --with-status does.
  const withStatus = flags.withStatus || Boolean(flags.report);
  if (flags.report && !flags.withStatus)
    ctx.io.stderr.write(
      "note: --report reads each domain's status and expiry (one Sync per domain), as --with-status\n",
    );
  const client = await openClient(ctx, flags);
  const progress = startProgress(ctx, client, "export", names.length);
  let result: Awaited<ReturnType<typeof exportPortfolio>>;
  try {
    result = await exportPortfolio(client, names, {
      sections: read,
      withEpp: flags.withEpp,
      withStatus,
      ...(flags.withDnssec ? { withDnssec: { resolver: chosenResolver(flags.resolver, ctx.io.env) } } : {}),
      ...(glueResolver ? { dns: { resolver: glueResolver } } : {}),
      onDomain: () => progress.tick(),
      onRead: (d) => spool.add(d),
    });
  } finally {
    progress.stop();
    await closeClient(ctx, client);
  }
  for (const w of result.warnings) ctx.io.stderr.write(`warning: ${w}\n`);
  for (const f of result.failed) ctx.io.stderr.write(`error: ${f.domain}: ${f.message}\n`);
  if (flags.report) {
    // The report is drawn from what the export read: it sends nothing of its own.
    const html = renderReportHtml({
      manifest: spool.manifest(),
      failed: result.failed,
      endpoint: client.endpoint,
      time: new Date(),
    });
    await writeAtomic(flags.report, html, flags.withEpp ? 0o600 : 0o644);
    ctx.io.stderr.write(`report: ${flags.report}\n`);
    // Only the report was asked for: no export files.
    if (!flags.out && !flags.backupDir) {
      ctx.io.stdout.write(
        `Report of ${spool.size} of ${names.length} domain(s): ${flags.report}${result.failed.length ? `; ${result.failed.length} failed` : ""}.\n`,
      );
      return result.failed.length ? ExitCode.failed : ExitCode.ok;
    }
  }
  const secret = Boolean(flags.withEpp);
  const defaultName = format === "csv" || format === "bind" || flags.split ? "portfolio" : `portfolio.${format}`;

  let target = flags.out ?? defaultName;
  let backup: { dir: string; stamp: string; partial: string } | undefined;
  let keptAside: string | undefined;
  if (flags.backupDir) {
    const stamp = backupStamp();
    const partial = join(flags.backupDir, `${stamp}.partial`);
    await makePartial(partial);
    backup = { dir: flags.backupDir, stamp, partial };
    target = join(partial, flags.out ?? defaultName);
  } else if (result.failed.length > 0) {
    // An export that could not read every domain never replaces a good one: it goes beside it.
    keptAside = target;
    target = `${target}.partial`;
  }
  const { written, notes } = await writeExportFiles(target, spool, format, {
    split: flags.split,
    excel: flags.excel,
    secret,
    about: {
      tool: `regdom-export ${VERSION}`,
      time: new Date(),
      endpoint: client.endpoint,
      more: [
        ["domains asked for", names.length],
        ["domains that could not be read", result.failed.length],
      ],
    },
  });
  const placed = notes.map((n) => ({ place: n.domain, message: n.message }));
  for (const line of groupNotes(placed, ctx.verbose(), "domains")) ctx.io.stderr.write(`note: ${line}\n`);
  if (secret)
    ctx.io.stderr.write("warning: the export holds EPP codes; its files are readable only by you (mode 0600)\n");
  const summary = {
    version: 1,
    tool: `regdom-export ${VERSION}`,
    endpoint: client.endpoint,
    time: new Date().toISOString(),
    format,
    sections: read,
    counts: { domains: names.length, exported: spool.size, failed: result.failed.length },
    failed: result.failed,
    files: written.map((w) => ({
      path: relative(backup ? backup.partial : ".", w.path),
      bytes: w.bytes,
      sha256: w.sha256,
    })),
  };
  let shownTarget = target;
  if (backup) {
    // meta.json last, then the rename: a backup folder without .partial is complete. Each run has
    // its own dated folder, so a run that missed domains (listed in meta.json) never touches older ones.
    await writeAtomic(join(backup.partial, "meta.json"), `${JSON.stringify(summary, null, 2)}\n`, 0o600);
    await rm(join(backup.partial, PARTIAL_MARK), { force: true });
    const final = join(backup.dir, backup.stamp);
    await rename(backup.partial, final);
    await pointLatest(backup.dir, backup.stamp);
    if (keep) {
      const removed = await pruneBackups(backup.dir, keep, backup.stamp);
      if (removed.length) ctx.io.stderr.write(`removed ${removed.length} older backup(s)\n`);
    }
    shownTarget = join(final, flags.out ?? defaultName);
    ctx.io.stderr.write(`backup: ${final}\n`);
  }
  if (keptAside)
    ctx.io.stderr.write(
      `${result.failed.length} domain(s) could not be read: ${keptAside} was left as it was; the partial export is in ${target}\n`,
    );
  if (ctx.json())
    ctx.io.stdout.write(
      `${JSON.stringify({ ...summary, ...(keptAside ? { partial: target, untouched: keptAside } : {}) }, null, 2)}\n`,
    );
  else
    ctx.io.stdout.write(
      `Exported ${spool.size} of ${names.length} domain(s) to ${written.length === 1 && !backup ? written[0]!.path : `${written.length} file(s) in ${shownTarget}`}${result.failed.length ? `; ${result.failed.length} failed` : ""}.\n`,
    );
  return result.failed.length ? ExitCode.failed : ExitCode.ok;
}

export function main(argv: string[], io: Io): Promise<number> {
  return runProgram(
    {
      name: "regdom-export",
      description: "Dump the live state of named domains to manifests that regdom-bulk reads back unchanged",
      version: VERSION,
      root: exportCommand,
    },
    argv,
    io,
  );
}
