import {
  choice,
  closeClient,
  colors,
  defineCommand,
  ExitCode,
  flag,
  openClient,
  printWarnings,
  startProgress,
  text,
  withConnection,
} from "@regdom/cli";
import {
  hasChanges,
  hasDeferred,
  inputErrors,
  planPortfolio,
  renderPlanHtml,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
} from "@regdom/engine";
import { writeFileAtomic } from "@regdom/files";
import { loadManifests } from "@regdom/manifest";
import { ABOUT } from "./about.js";
import { dnssecOptions, RESOLVER } from "./dnssecFlags.js";
import { SKIP_UNSUPPORTED } from "./shared.js";

export const planCommand = defineCommand({
  ...ABOUT.plan,
  options: withConnection({
    out: text(
      "--out <file>",
      "save the plan: JSON sealed with a checksum for `apply --plan` (with --format html: the page)",
    ),
    format: choice("--format <format>", "output format", ["text", "json", "markdown", "html"], "text"),
    only: text("--only <domains>", "comma-separated domains to plan (Unicode or ACE)"),
    skipUnsupported: SKIP_UNSUPPORTED,
    resolver: RESOLVER,
    detailedExitcode: flag("--detailed-exitcode", "exit 4 when the plan has changes (drift detection)"),
  }),
  async handler(ctx, paths, flags) {
    const dnssec = dnssecOptions(flags.resolver, ctx.io.env);
    const { manifest, warnings } = await loadManifests(paths, { skipUnsupported: flags.skipUnsupported });
    printWarnings(ctx.io, warnings);
    const client = await openClient(ctx, flags);
    try {
      const only = flags.only
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      const progress = startProgress(ctx, client, "plan", only?.length ?? manifest.domains.size);
      const plan = await planPortfolio(client, manifest, {
        ...(only ? { only } : {}),
        onDomain: () => progress.tick(),
        dnssec,
      }).finally(() => progress.stop());
      const format = ctx.json() ? "json" : flags.format;
      if (format === "html") {
        // One self-contained page for the people who approve; the text plan stays on stdout.
        const html = renderPlanHtml(plan);
        if (flags.out) {
          await writeFileAtomic(flags.out, html, 0o600);
          ctx.io.stderr.write(`HTML plan: ${flags.out}\n`);
          ctx.io.stdout.write(renderPlanText(plan, colors(ctx.io)));
        } else ctx.io.stdout.write(html);
      } else if (flags.out) await writeFileAtomic(flags.out, renderPlanJson(plan), 0o600);
      if (format !== "html")
        ctx.io.stdout.write(
          format === "json"
            ? renderPlanJson(plan, { shown: true })
            : format === "markdown"
              ? renderPlanMarkdown(plan)
              : renderPlanText(plan, colors(ctx.io)),
        );
      if (inputErrors(plan).length > 0) return ExitCode.usage;
      if (plan.summary.errors > 0) return ExitCode.failed;
      // Sections a pending transfer holds back are drift too: they will change once it completes.
      return flags.detailedExitcode && (hasChanges(plan) || hasDeferred(plan)) ? ExitCode.changes : ExitCode.ok;
    } finally {
      await closeClient(ctx, client);
    }
  },
});
