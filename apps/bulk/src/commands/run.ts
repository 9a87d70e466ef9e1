import { join } from "node:path";
import {
  closeClient,
  confirm,
  defineCommand,
  ExitCode,
  flag,
  openClient,
  text,
  watchInterrupts,
  withConnection,
} from "@regdom/cli";
import { UserError } from "@regdom/core";
import {
  checkOpsGuards,
  checkOpsSpend,
  checkRunPlaces,
  defaultRunDir,
  moneySummary,
  opsDigest,
  RunFolder,
  readJournal,
  readOperations,
  rememberedOpsRun,
  rememberOpsRun,
  renderOpsPreview,
  runOperations,
  scheduleOperations,
} from "@regdom/engine";
import { writeFileAtomicSync } from "@regdom/files";
import { MAX_MANIFEST_BYTES, readRegularFile } from "@regdom/manifest";
import { ABOUT } from "./about.js";
import { MAX_SPEND } from "./shared.js";

export const runCommand = defineCommand({
  ...ABOUT.run,
  options: withConnection({
    runDir: text("--run-dir <dir>", "journal folder (default: the folder this file's content was run into before)"),
    yes: flag("--yes", "do not ask for confirmation (required without a TTY when a row writes)"),
    allowPurchases: flag("--allow-purchases", "allow RegisterDomain, TransferDomain and RenewDomain rows"),
    allowDelete: flag("--allow-delete", "allow RequestDelete, ReleaseDomain and DeleteNameserver rows"),
    again: flag("--again", "run every row again, also those an earlier run of the same file finished"),
    maxSpend: MAX_SPEND,
  }),
  async handler(ctx, [file], flags) {
    if (!file) throw new UserError("name the operations CSV");
    // A regular file only, of bounded size: a FIFO would hang, /dev/zero grow without end.
    const read = await readRegularFile(file, MAX_MANIFEST_BYTES);
    if ("refused" in read) throw new UserError(`${file}: ${read.refused}`);
    const bytes = read.bytes;
    const ops = readOperations(bytes, file);
    // A run folder or state folder regdom cannot write in is said now, before anything is sent.
    checkRunPlaces({ runDir: flags.runDir, env: ctx.io.env });
    const client = await openClient(ctx, flags);
    let folder: RunFolder | undefined;
    let interrupts: ReturnType<typeof watchInterrupts> | undefined;
    try {
      const digest = opsDigest(bytes);
      const earlier = flags.runDir ? undefined : rememberedOpsRun(digest, client.accountKey, ctx.io.env);
      const runDir = flags.runDir ?? earlier ?? defaultRunDir();
      if (earlier)
        ctx.io.stderr.write(
          `This file was run before (run folder ${earlier}): ${flags.again ? "--again: every row is sent again" : "rows finished there are skipped (--again repeats them)"}.\n`,
        );
      // The preview and the guards judge what the journal says now; it only grows, so the rows
      // sent once the folder is locked are never more than those shown and allowed here.
      const preview = scheduleOperations(ops, readJournal(join(runDir, "journal.jsonl")).entries, flags.again);
      ctx.io.stderr.write(renderOpsPreview(preview, file));
      checkOpsGuards(preview, { allowPurchases: flags.allowPurchases, allowDelete: flags.allowDelete });
      if (preview.send.some((o) => o.kind !== "read")) await confirm(ctx.io, "Send these?", flags.yes);
      // Money rows are counted as apply counts a plan's, just before the first purchase: priced,
      // totalled and refused (nothing bought) over the balance or over --max-spend.
      const money = await checkOpsSpend(
        client,
        preview.send,
        flags.maxSpend !== undefined ? { maxSpend: flags.maxSpend } : {},
      );
      if (money) ctx.io.stderr.write(`${moneySummary(money)}\n`);
      folder = RunFolder.open(runDir, { create: true, accountKey: client.accountKey, env: ctx.io.env });
      rememberOpsRun(digest, client.accountKey, runDir, file, ctx.io.env);
      writeFileAtomicSync(
        join(runDir, "plan.json"),
        `${JSON.stringify({ version: 1, kind: "ops", file, digest, operations: ops.length }, null, 2)}\n`,
      );
      const schedule = scheduleOperations(ops, folder.earlier, flags.again);
      // From here Ctrl-C finishes the rows in flight (at the prompt above it still cancels at once).
      interrupts = watchInterrupts(ctx.io, "finishing the rows in flight, starting no new ones");
      const report = await runOperations(client, schedule, folder.journal, {
        signal: interrupts.signal,
        concurrency: flags.concurrency,
      });
      folder.writeReport({ ...report, runDir });
      if (client.fatal) throw client.fatal;
      if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify({ ...report, runDir }, null, 2)}\n`);
      else {
        const lines = [
          `Done ${report.done}, skipped ${report.skipped} (already done), reconciled ${report.reconciled}, failed ${report.failed.length}, unknown ${report.unknown.length}${report.notStarted ? `, ${report.notStarted} not started (interrupted)` : ""}.`,
        ];
        for (const a of report.answers) lines.push(`  ${a.id} ${a.action}: ${JSON.stringify(a.answer)}`);
        for (const f of report.failed) lines.push(`  failed ${f.id} ${f.action}: ${f.message}`);
        for (const u of report.unknown)
          lines.push(`  outcome unknown ${u.id} ${u.action}: not resent; running this file again reconciles it`);
        lines.push(`Run folder: ${runDir}`);
        ctx.io.stdout.write(`${lines.join("\n")}\n`);
      }
      return interrupts.exitCode(
        report.failed.length || report.unknown.length || report.notStarted ? ExitCode.failed : ExitCode.ok,
      );
    } finally {
      interrupts?.dispose();
      folder?.close();
      await closeClient(ctx, client);
    }
  },
});
