import {
  type CommandContext,
  closeClient,
  defineCommand,
  ExitCode,
  flag,
  numberWithDefault,
  openClient,
  withConnection,
} from "@regdom/cli";
import { type RegistrarClient, UserError } from "@regdom/core";
import { loadManifests } from "@regdom/manifest";
import { ABOUT } from "./about.js";
import { SKIP_UNSUPPORTED } from "./shared.js";

type State = "pending" | "completed" | "failed" | "error";
interface Row {
  domain: string;
  state: State;
  expiry?: string;
  reason?: string;
}

/** Where one transfer stands: TransferSync first, Sync for the status and the new expiry. */
async function standing(client: RegistrarClient, name: string, display: string, years: number): Promise<Row> {
  try {
    const t = await client.transferSync(name, years);
    if (t.failed)
      return { domain: display, state: "failed", reason: t.reason ?? "the registrar says the transfer failed" };
    const s = await client.sync(name);
    if (t.completed || s.status?.toLowerCase() === "active")
      return {
        domain: display,
        state: "completed",
        ...(t.expiryDate || s.expiryDate ? { expiry: t.expiryDate ?? s.expiryDate } : {}),
      };
    return { domain: display, state: "pending", ...(s.status ? { reason: s.status } : {}) };
  } catch (e) {
    return { domain: display, state: "error", reason: e instanceof Error ? e.message : String(e) };
  }
}

function print(ctx: CommandContext, rows: Row[]): void {
  if (ctx.json()) {
    ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const w = Math.max(6, ...rows.map((r) => r.domain.length));
  ctx.io.stdout.write(`${"domain".padEnd(w)}  state      expiry      reason\n`);
  for (const r of rows)
    ctx.io.stdout.write(
      `${r.domain.padEnd(w)}  ${r.state.padEnd(9)}  ${(r.expiry ?? "").padEnd(10)}  ${r.reason ?? ""}\n`,
    );
}

export const transfersCommand = defineCommand({
  ...ABOUT.transfers,
  options: withConnection({
    watch: flag("--watch", "poll (at the shared rate) until every transfer is done, failed, or --timeout passes"),
    interval: numberWithDefault("--interval <seconds>", "seconds between rounds with --watch", "60", {
      positive: true,
    }),
    timeout: numberWithDefault("--timeout <seconds>", "with --watch, give up after this long (exit 4)", "3600", {
      positive: true,
    }),
    skipUnsupported: SKIP_UNSUPPORTED,
  }),
  async handler(ctx, paths, flags) {
    const { manifest } = await loadManifests(paths, { skipUnsupported: flags.skipUnsupported });
    const transfers = [...manifest.domains.values()].filter((d) => d.transfer);
    if (transfers.length === 0) throw new UserError("the manifests hold no transfer");
    // --timeout is also the per-request timeout of the connection options: here it bounds the watch.
    const client = await openClient(ctx, { ...flags, timeout: 30 });
    try {
      const started = Date.now();
      let rows: Row[] = [];
      for (;;) {
        rows = await Promise.all(transfers.map((d) => standing(client, d.name, d.display, d.transfer!.years)));
        if (client.fatal) throw client.fatal;
        const pending = rows.some((r) => r.state === "pending");
        const last = !flags.watch || !pending || Date.now() - started >= flags.timeout * 1000;
        // Watching, the table is printed each round (JSON: only the last one, one document on stdout).
        if (!ctx.json() || last) print(ctx, rows);
        if (last) break;
        if (!ctx.json()) {
          const n = rows.filter((r) => r.state === "pending").length;
          ctx.io.stderr.write(`${n} transfer(s) pending; next look in ${flags.interval} s\n`);
        }
        await new Promise((r) =>
          setTimeout(r, Math.min(flags.interval * 1000, flags.timeout * 1000 - (Date.now() - started))),
        );
      }
      if (rows.some((r) => r.state === "failed" || r.state === "error")) return ExitCode.failed;
      if (rows.some((r) => r.state === "pending")) return ExitCode.changes;
      return ExitCode.ok;
    } finally {
      await closeClient(ctx, client);
    }
  },
});
