import { closeClient, defineCommand, ExitCode, openClient, text, withConnection } from "@regdom/cli";
import { domainParams, formatAmount, priceOf, toUnicode, UserError } from "@regdom/core";
import { type DesiredDomain, loadManifests, readNameList } from "@regdom/manifest";
import { ABOUT } from "./about.js";
import { SKIP_UNSUPPORTED } from "./shared.js";

/** `60d`, `8w`, `3m` (months of 30 days), `1y`, or a bare number of days. */
export function parseWindow(raw: string): number {
  const m = /^(\d+)\s*([dwmy]?)$/i.exec(raw.trim());
  if (!m) throw new UserError(`--within must be a number of days, or like 60d, 8w, 3m, 1y; got "${raw}"`);
  const n = Number(m[1]);
  return n * ({ "": 1, d: 1, w: 7, m: 30, y: 365 } as Record<string, number>)[m[2]!.toLowerCase()]!;
}

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const expiringCommand = defineCommand({
  ...ABOUT.expiring,
  options: withConnection({
    domains: text(
      "--domains <file>",
      "domains from a file (one per line, or a CSV with a domain column) instead of manifests",
    ),
    within: text("--within <window>", "how far ahead: days, or like 60d, 8w, 3m, 1y", "60d"),
    skipUnsupported: SKIP_UNSUPPORTED,
  }),
  validate(paths, flags) {
    if (paths.length > 0 === Boolean(flags.domains))
      throw new UserError("give manifests, or --domains FILE (one of them)");
    parseWindow(flags.within);
  },
  async handler(ctx, paths, flags) {
    const days = parseWindow(flags.within);
    const domains: Pick<DesiredDomain, "name" | "display" | "autorenew" | "expiresNotBefore">[] = flags.domains
      ? (await readNameList(flags.domains)).map((n) => {
          const { ace } = domainParams(n);
          return { name: ace, display: toUnicode(ace) };
        })
      : [...(await loadManifests(paths, { skipUnsupported: flags.skipUnsupported })).manifest.domains.values()];
    const client = await openClient(ctx, flags);
    try {
      const today = new Date().toISOString().slice(0, 10);
      const until = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
      const failed: string[] = [];
      const rows = (
        await Promise.all(
          domains.map(async (d) => {
            try {
              return { d, expiry: (await client.sync(d.name)).expiryDate };
            } catch (e) {
              failed.push(`${d.display}: ${e instanceof Error ? e.message : String(e)}`);
              return { d, expiry: undefined };
            }
          }),
        )
      )
        .filter(
          (r): r is { d: (typeof domains)[number]; expiry: string } => r.expiry !== undefined && r.expiry <= until,
        )
        .sort((a, b) => (a.expiry < b.expiry ? -1 : a.expiry > b.expiry ? 1 : a.d.name < b.d.name ? -1 : 1));
      if (client.fatal) throw client.fatal;
      // Beyond the reference: the price of a one-year renewal, when the registrar offers pricing.
      const pricing = rows.length ? await client.getPricing() : null;
      const priceOfRenewal = (name: string) =>
        pricing ? priceOf(pricing, domainParams(name).tld, "renew", 1) : undefined;
      const out = rows.map(({ d, expiry }) => ({
        domain: d.display,
        expiry,
        days: Math.round((Date.parse(expiry) - Date.parse(today)) / 86_400_000),
        autorenew: d.autorenew === undefined ? "" : String(d.autorenew),
        renews:
          d.expiresNotBefore && d.expiresNotBefore > expiry ? `yes (expires_not_before ${d.expiresNotBefore})` : "no",
        renew_price_1y: ((p) => (p === undefined ? "unknown" : formatAmount(p)))(priceOfRenewal(d.name)),
      }));
      const prices = rows.map(({ d }) => priceOfRenewal(d.name));
      const known = prices.filter((p): p is number => p !== undefined);
      if (ctx.json()) {
        // JSON says true/false as booleans (null: the manifest does not manage autorenew).
        const json = rows.map(({ d }, i) => ({
          ...out[i]!,
          autorenew: d.autorenew ?? null,
          renews: Boolean(d.expiresNotBefore && d.expiresNotBefore > out[i]!.expiry),
          expires_not_before: d.expiresNotBefore ?? null,
        }));
        ctx.io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } else {
        ctx.io.stdout.write("domain,expiry,days,autorenew,expires_not_before_renews,renew_price_1y\n");
        for (const r of out)
          ctx.io.stdout.write(
            `${[r.domain, r.expiry, String(r.days), r.autorenew, r.renews, r.renew_price_1y].map(csvCell).join(",")}\n`,
          );
      }
      // The total on stderr, so that stdout stays one CSV table for scripts.
      if (out.length)
        ctx.io.stderr.write(
          pricing === null
            ? "renewal price unknown (the registrar offers no GetPricing)\n"
            : `renewal total (1 year each): ${formatAmount(known.reduce((a, b) => a + b, 0))} for ${known.length} domain(s)${known.length < out.length ? `; ${out.length - known.length} of unknown price` : ""}\n`,
        );
      for (const f of failed) ctx.io.stderr.write(`error: ${f}\n`);
      if (failed.length) return ExitCode.failed;
      return out.length ? ExitCode.changes : ExitCode.ok;
    } finally {
      await closeClient(ctx, client);
    }
  },
});
