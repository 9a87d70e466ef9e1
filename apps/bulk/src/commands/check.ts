import { closeClient, defineCommand, ExitCode, openClient, text, withConnection } from "@regdom/cli";
import { UserError } from "@regdom/core";
import { fields, Problems, readNameList } from "@regdom/manifest";
import { ABOUT } from "./about.js";

export const checkCommand = defineCommand({
  ...ABOUT.check,
  options: withConnection({
    file: text("--file <file>", "names from a file: one per line, or a CSV with a domain column"),
  }),
  async handler(ctx, names, flags) {
    const all = [...names, ...(flags.file ? await readNameList(flags.file) : [])];
    if (all.length === 0) throw new UserError("name domains to check, or give --file FILE");
    // The same rule as a manifest's domain names (labels of a-z, 0-9 and -, or IDN): `bad..se` is not one.
    const problems = new Problems();
    const bad = all.filter((n) => !fields.domainName(n, { file: flags.file ?? "argument" }, problems));
    if (bad.length) throw new UserError(`not domain names: ${bad.join(", ")}; nothing was sent`);
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
      if (client.fatal) throw client.fatal;
      if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else {
        ctx.io.stdout.write("domain,status\n");
        for (const r of results) ctx.io.stdout.write(`${r.domain},${r.status}\n`);
        for (const r of results) if ("error" in r) ctx.io.stderr.write(`error: ${r.error}\n`);
      }
      return failed ? ExitCode.failed : ExitCode.ok;
    } finally {
      await closeClient(ctx, client);
    }
  },
});
