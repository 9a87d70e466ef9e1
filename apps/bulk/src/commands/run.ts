import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { closeClient, defineCommand, ExitCode, flag, openClient, text, withConnection } from "@regdom/cli";
import { UserError } from "@regdom/core";
import { defaultRunDir, RunFolder, readJournal, readOperations, runOperations, writeFileAtomic } from "@regdom/engine";

export const runCommand = defineCommand({
  name: "run",
  summary: "one API action per CSV row (column action; the others are its parameters); reruns skip done rows",
  args: "<ops.csv>",
  options: withConnection({
    runDir: text("--run-dir <dir>", "journal folder; rerun with the same folder to skip rows already done"),
    allowPurchases: flag("--allow-purchases", "allow RegisterDomain, TransferDomain and RenewDomain rows"),
  }),
  async handler(ctx, [file], flags) {
    if (!file) throw new UserError("name the operations CSV");
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      throw new UserError(`cannot read ${file}`);
    }
    const ops = readOperations(bytes, file);
    const runDir = flags.runDir ?? defaultRunDir();
    const previous = readJournal(join(runDir, "journal.jsonl")).entries;
    const client = await openClient(ctx, flags);
    const folder = RunFolder.open(runDir, { create: true, accountKey: client.accountKey, env: ctx.io.env });
    try {
      writeFileAtomic(
        join(runDir, "plan.json"),
        `${JSON.stringify({ version: 1, kind: "ops", file, operations: ops.length }, null, 2)}\n`,
      );
      const report = await runOperations(client, ops, folder.journal, previous, Boolean(flags.allowPurchases));
      folder.writeReport({ ...report, runDir });
      if (client.fatal) throw client.fatal;
      if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify({ ...report, runDir }, null, 2)}\n`);
      else {
        const lines = [
          `Done ${report.done}, skipped ${report.skipped} (already done), failed ${report.failed.length}, unknown ${report.unknown.length}.`,
        ];
        for (const a of report.answers) lines.push(`  ${a.id} ${a.action}: ${JSON.stringify(a.answer)}`);
        for (const f of report.failed) lines.push(`  failed ${f.id} ${f.action}: ${f.message}`);
        for (const u of report.unknown)
          lines.push(`  outcome unknown ${u.id} ${u.action}: check by hand; it is not resent`);
        lines.push(`Run folder: ${runDir}`);
        ctx.io.stdout.write(`${lines.join("\n")}\n`);
      }
      return report.failed.length || report.unknown.length ? ExitCode.failed : ExitCode.ok;
    } finally {
      folder.close();
      await closeClient(ctx, client);
    }
  },
});
