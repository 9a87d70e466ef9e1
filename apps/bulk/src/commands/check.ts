import { domainParams, readNameList, UserError, type ConnectionFlags } from "@regdom/core";
import type { CommandSpec } from "../command.js";
import { openClient } from "../session.js";

interface CheckFlags extends ConnectionFlags {
  file?: string;
}

export const checkCommand: CommandSpec<CheckFlags> = {
  name: "check",
  summary: "availability of names (DASSE for .se, DASNU for .nu, DAS otherwise); CSV domain,status on stdout",
  args: "[name...]",
  connection: true,
  options: (cmd) => cmd.option("--file <file>", "names from a file: one per line, or a CSV with a domain column"),
  async handler(ctx, names, flags) {
    const all = [...names, ...(flags.file ? await readNameList(flags.file) : [])];
    if (all.length === 0) throw new UserError("name domains to check, or give --file FILE");
    const bad = all.filter((n) => {
      try {
        domainParams(n);
        return false;
      } catch {
        return true;
      }
    });
    if (bad.length) throw new UserError(`not domain names: ${bad.join(", ")}`);
    const client = await openClient(ctx, flags);
    try {
      let failed = 0;
      const results = await Promise.all(
        all.map(async (name) => {
          try {
            return { domain: name, status: await client.checkAvailability(name) };
          } catch (e) {
            failed++;
            return { domain: name, status: "error", error: e instanceof Error ? e.message : String(e) };
          }
        }),
      );
      if (client.scheduler.fatal) throw client.scheduler.fatal;
      if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else {
        ctx.io.stdout.write("domain,status\n");
        for (const r of results) ctx.io.stdout.write(`${r.domain},${r.status}\n`);
        for (const r of results) if ("error" in r) ctx.io.stderr.write(`error: ${r.error}\n`);
      }
      return failed ? 1 : 0;
    } finally {
      await client.close();
    }
  },
};
