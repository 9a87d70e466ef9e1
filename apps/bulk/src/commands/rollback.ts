import { join } from "node:path";
import { closeClient, confirm, defineCommand, ExitCode, flag, openClient, withConnection } from "@regdom/cli";
import { UserError } from "@regdom/core";
import { RunFolder, readJournal, rollbackRun } from "@regdom/engine";
import { ABOUT } from "./about.js";
import { dnssecOptions, RESOLVER } from "./dnssecFlags.js";

export const rollbackCommand = defineCommand({
  ...ABOUT.rollback,
  options: withConnection({
    yes: flag("--yes", "do not ask for confirmation (required without a TTY)"),
    resolver: RESOLVER,
  }),
  async handler(ctx, [runDir], flags) {
    if (!runDir) throw new UserError("name the run folder to roll back");
    const { entries, tornLines } = readJournal(join(runDir, "journal.jsonl"));
    if (entries.length === 0) throw new UserError(`${runDir} has no journal entries to roll back`);
    if (tornLines) ctx.io.stderr.write(`warning: ${tornLines} torn journal line(s) ignored (a crash mid-write)\n`);
    const client = await openClient(ctx, flags);
    const folder = RunFolder.open(runDir, { create: false, accountKey: client.accountKey, env: ctx.io.env });
    try {
      await confirm(ctx.io, `Roll back the changes of ${runDir}?`, flags.yes);
      // The rollback's own journal goes beside the run's, so the run stays as it was.
      const journalPath = join(runDir, "rollback");
      const rb = RunFolder.open(journalPath, { create: true });
      try {
        const report = await rollbackRun(
          client,
          runDir,
          entries.filter((e) => !e.action.startsWith("rollback")),
          rb.journal,
          { dns: dnssecOptions(flags.resolver, ctx.io.env) },
        );
        rb.writeReport(report);
        if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else {
          const lines = [
            `The run made ${report.changes} change(s) in ${report.attempts} attempt(s). Restored ${report.restored} section(s); ` +
              `${report.alreadyAsBefore} already as before; ${report.failed.length} failed; ${report.notRestorable.length} not restorable; ` +
              `${report.notReversible.length} not reversible.`,
          ];
          for (const n of report.notReversible) lines.push(`  not reversible: ${n.domain} ${n.section}: ${n.reason}`);
          for (const n of report.notRestorable) lines.push(`  not restorable: ${n.domain} ${n.section}: ${n.reason}`);
          for (const f of report.failed) lines.push(`  failed: ${f.domain} ${f.section}: ${f.message}`);
          lines.push(`Rollback journal: ${journalPath}`);
          ctx.io.stdout.write(`${lines.join("\n")}\n`);
        }
        return report.failed.length || report.notRestorable.length ? ExitCode.failed : ExitCode.ok;
      } finally {
        rb.close();
      }
    } finally {
      folder.close();
      await closeClient(ctx, client);
    }
  },
});
