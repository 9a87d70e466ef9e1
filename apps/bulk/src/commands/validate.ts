import { defineCommand, ExitCode, printWarnings } from "@regdom/cli/program";
import { loadManifests } from "@regdom/manifest/load";
import { ABOUT } from "./about.js";
import { SKIP_UNSUPPORTED } from "./shared.js";

export const validateCommand = defineCommand({
  ...ABOUT.validate,
  options: { skipUnsupported: SKIP_UNSUPPORTED },
  async handler(ctx, paths, flags) {
    const { manifest, warnings, files } = await loadManifests(paths, { skipUnsupported: flags.skipUnsupported });
    printWarnings(ctx.io, warnings, ctx.verbose());
    const domains = [...manifest.domains.values()];
    const count = (given: (d: (typeof domains)[number]) => unknown) =>
      domains.filter((d) => given(d) !== undefined).length;
    // The summary's own fields (its JSON is a format): how many domains give each.
    const managed = {
      nameservers: count((d) => d.nameservers),
      dns: count((d) => d.dns),
      forwarding: count((d) => d.forwarding),
      registrant: count((d) => d.registrant),
      glue: count((d) => d.glue),
    };
    const summary = {
      ok: true,
      files: files.length,
      domains: manifest.domains.size,
      owners: Object.keys(manifest.owners).length,
      managed,
      warnings: warnings.length,
    };
    if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else
      ctx.io.stdout.write(
        `Valid: ${summary.domains} domain(s) in ${summary.files} file(s); ${summary.owners} owner(s); ` +
          `zones ${summary.managed.dns}, forwardings ${summary.managed.forwarding}, nameservers ${summary.managed.nameservers}, ` +
          `glue ${summary.managed.glue}` +
          `${warnings.length ? `; ${warnings.length} warning(s)` : ""}.\n`,
      );
    return ExitCode.ok;
  },
});
