import { defineCommand, ExitCode, printWarnings } from "@regdom/cli/program";
import { loadManifests } from "@regdom/manifest/load";
import { ABOUT } from "./about.js";
import { SKIP_UNSUPPORTED } from "./shared.js";

const SECTIONS = ["nameservers", "dns", "forwarding", "registrant"] as const;

export const validateCommand = defineCommand({
  ...ABOUT.validate,
  options: { skipUnsupported: SKIP_UNSUPPORTED },
  async handler(ctx, paths, flags) {
    const { manifest, warnings, files } = await loadManifests(paths, { skipUnsupported: flags.skipUnsupported });
    printWarnings(ctx.io, warnings, ctx.verbose());
    const managed = { nameservers: 0, dns: 0, forwarding: 0, registrant: 0 };
    for (const d of manifest.domains.values()) for (const k of SECTIONS) if (d[k] !== undefined) managed[k] += 1;
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
          `zones ${summary.managed.dns}, forwardings ${summary.managed.forwarding}, nameservers ${summary.managed.nameservers}` +
          `${warnings.length ? `; ${warnings.length} warning(s)` : ""}.\n`,
      );
    return ExitCode.ok;
  },
});
