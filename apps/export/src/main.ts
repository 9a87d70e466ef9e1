/** regdom-export: whole portfolios to files that regdom-bulk reads back unchanged. Never exits the process. */
import { mkdir, rename } from "node:fs/promises";
import { join, relative } from "node:path";
import { Command, CommanderError, Option } from "commander";
import cliProgress from "cli-progress";
import {
  backupStamp,
  CONNECTION_OPTIONS,
  EXPORT_SECTIONS,
  exitCodeOf,
  exportPortfolio,
  loadManifests,
  pointLatest,
  pruneBackups,
  readNameList,
  RegistrarClient,
  renderExport,
  resolveConnection,
  UserError,
  writeAtomic,
  writeExport,
  isRegdomError,
  logRequests,
  type ExportFormat,
  type ExportSection,
  type Io,
} from "@regdom/core";

export const VERSION = "0.1.0";

interface ExportFlags {
  domains?: string;
  fromManifest?: string;
  out?: string;
  format: string;
  split?: boolean;
  excel?: boolean;
  sections?: string;
  withEpp?: boolean;
  withStatus?: boolean;
  backupDir?: string;
  keep?: string;
  json?: boolean;
  verbose?: boolean;
  endpoint?: string;
  tokenFile?: string;
  authEmail?: string;
  rate?: string;
  concurrency?: string;
  timeout?: string;
}

async function domainList(args: string[], flags: ExportFlags): Promise<string[]> {
  const names = [...args];
  if (flags.domains) names.push(...(await readNameList(flags.domains)));
  if (flags.fromManifest) names.push(...[...(await loadManifests([flags.fromManifest])).manifest.domains.keys()]);
  if (names.length === 0) throw new UserError("no domains to export: name them, or give --domains FILE or --from-manifest M (the API cannot list an account's domains)");
  return names;
}

function parseSections(s: string | undefined): ExportSection[] {
  if (!s) return [...EXPORT_SECTIONS];
  const list = s.split(",").map((x) => x.trim()).filter(Boolean);
  const bad = list.filter((x) => !(EXPORT_SECTIONS as readonly string[]).includes(x));
  if (bad.length) throw new UserError(`--sections: unknown ${bad.join(", ")}; valid: ${EXPORT_SECTIONS.join(", ")}`);
  return list as ExportSection[];
}

async function runExport(io: Io, args: string[], flags: ExportFlags): Promise<number> {
  const format = flags.format as ExportFormat;
  if (!["yaml", "csv", "json"].includes(format)) throw new UserError(`--format must be yaml, csv or json, got "${flags.format}"`);
  if (!flags.out && !flags.backupDir) throw new UserError("--out PATH is required (or --backup-dir DIR)");
  if (flags.split && format === "csv")
    throw new UserError("--split goes with yaml or json; a CSV export is already a folder of files (one per kind)");
  const keep = flags.keep === undefined ? undefined : Number(flags.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 1)) throw new UserError("--keep must be a whole number of at least 1");
  if (keep !== undefined && !flags.backupDir) throw new UserError("--keep goes with --backup-dir");
  const sections = parseSections(flags.sections);
  const names = await domainList(args, flags);
  const conn = await resolveConnection(flags, io.env);
  const client = new RegistrarClient(conn);
  if (flags.verbose) logRequests(client, io);
  const bar =
    io.stderr.isTTY && !flags.json && !flags.verbose
      ? new cliProgress.SingleBar({ format: "export [{bar}] {value}/{total} domains | ETA {eta_formatted}", stream: io.stderr as NodeJS.WriteStream, clearOnComplete: true }, cliProgress.Presets.shades_classic)
      : undefined;
  bar?.start(names.length, 0);
  let result;
  try {
    result = await exportPortfolio(client, names, { sections, withEpp: flags.withEpp, withStatus: flags.withStatus, onDomain: () => bar?.increment() });
  } finally {
    bar?.stop();
    await client.close();
  }
  for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
  for (const f of result.failed) io.stderr.write(`error: ${f.domain}: ${f.message}\n`);
  const files = renderExport(result.manifest, format, { split: flags.split, excel: flags.excel });
  const secret = Boolean(flags.withEpp);
  const defaultName = format === "csv" || flags.split ? "portfolio" : `portfolio.${format}`;

  let target = flags.out ?? defaultName;
  let backup: { dir: string; stamp: string; partial: string } | undefined;
  let keptAside: string | undefined;
  if (flags.backupDir) {
    const stamp = backupStamp();
    const partial = join(flags.backupDir, `${stamp}.partial`);
    await mkdir(partial, { recursive: true, mode: 0o700 });
    backup = { dir: flags.backupDir, stamp, partial };
    target = join(partial, flags.out ?? defaultName);
  } else if (result.failed.length > 0) {
    // An export that could not read every domain never replaces a good one: it goes beside it.
    keptAside = target;
    target = `${target}.partial`;
  }
  const written = await writeExport(target, files, secret);
  if (secret) io.stderr.write("warning: the export holds EPP codes; its files are readable only by you (mode 0600)\n");
  const summary = {
    version: 1,
    tool: `regdom-export ${VERSION}`,
    endpoint: client.endpoint,
    time: new Date().toISOString(),
    format,
    sections,
    counts: { domains: names.length, exported: result.manifest.domains.size, failed: result.failed.length },
    failed: result.failed,
    files: written.map((w) => ({ path: relative(backup ? backup.partial : ".", w.path), bytes: w.bytes, sha256: w.sha256 })),
  };
  let shownTarget = target;
  if (backup) {
    // meta.json last, then the rename: a backup folder without .partial is complete. Each run has
    // its own dated folder, so a run that missed domains (listed in meta.json) never touches older ones.
    await writeAtomic(join(backup.partial, "meta.json"), `${JSON.stringify(summary, null, 2)}\n`, 0o600);
    const final = join(backup.dir, backup.stamp);
    await rename(backup.partial, final);
    await pointLatest(backup.dir, backup.stamp);
    if (keep) {
      const removed = await pruneBackups(backup.dir, keep, backup.stamp);
      if (removed.length) io.stderr.write(`removed ${removed.length} older backup(s)\n`);
    }
    shownTarget = join(final, flags.out ?? defaultName);
    io.stderr.write(`backup: ${final}\n`);
  }
  if (keptAside)
    io.stderr.write(
      `${result.failed.length} domain(s) could not be read: ${keptAside} was left as it was; the partial export is in ${target}\n`,
    );
  if (flags.json) io.stdout.write(`${JSON.stringify({ ...summary, ...(keptAside ? { partial: target, untouched: keptAside } : {}) }, null, 2)}\n`);
  else io.stdout.write(`Exported ${result.manifest.domains.size} of ${names.length} domain(s) to ${written.length === 1 && !backup ? written[0]!.path : `${written.length} file(s) in ${shownTarget}`}${result.failed.length ? `; ${result.failed.length} failed` : ""}.\n`);
  return result.failed.length ? 1 : 0;
}

export async function main(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const program = new Command("regdom-export")
    .description("Dump the live state of named domains to manifests that regdom-bulk reads back unchanged")
    .version(VERSION)
    .arguments("[domain...]")
    .option("--domains <file>", "domains from a file: one per line, or a CSV with a domain column")
    .option("--from-manifest <manifest>", "the domains a manifest names")
    .option("--out <path>", "file (yaml, json) or folder (csv, --split) to write")
    .option("--format <format>", "yaml, csv or json", "yaml")
    .option("--split", "one file per domain, in the folder --out")
    .option("--excel", "CSV for Excel: UTF-8 BOM, ; and CRLF")
    .option("--sections <list>", `what to read, comma-separated (default all: ${EXPORT_SECTIONS.join(",")})`)
    .option("--with-epp", "add EPP codes (files become mode 0600)")
    .option("--with-status", "add status and expiry date from Sync (read-only fields bulk ignores)")
    .option("--backup-dir <dir>", "write a dated backup folder with meta.json; DIR/latest points at it")
    .option("--keep <n>", "with --backup-dir: keep the newest N backups")
    .option("--json", "machine-readable summary on stdout")
    .option("-v, --verbose", "log every request (never the token) to stderr")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .action(async (args: string[], flags: ExportFlags) => {
      code = await runExport(io, args, flags);
    });
  for (const o of CONNECTION_OPTIONS) program.addOption(new Option(o.flags, o.description).default(o.defaultValue));
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      if (argv.includes("--json"))
        io.stdout.write(`${JSON.stringify({ error: { type: "UsageError", fault: "user", message: e.message.replace(/^error: /, "") } }, null, 2)}\n`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    if (program.opts().json || argv.includes("--json")) io.stdout.write(`${JSON.stringify({ error: { type: e instanceof Error ? e.name : "Error", message } }, null, 2)}\n`);
    else io.stderr.write(`${isRegdomError(e) ? "error" : "internal error (please report this bug)"}: ${message}\n`);
    return exitCodeOf(e);
  }
  return code;
}
