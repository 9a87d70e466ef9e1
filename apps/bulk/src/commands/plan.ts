import { resolve } from "node:path";
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
import { UserError } from "@regdom/core";
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
      "save the plan: JSON sealed with a checksum for `apply --plan` (with --format html|markdown: that view)",
    ),
    html: text("--html <file>", "also save the plan as one HTML page for approvers (same read as --out)"),
    markdown: text("--markdown <file>", "also save the plan as markdown, e.g. a pull-request comment (same read)"),
    format: choice("--format <format>", "output format on stdout", ["text", "json", "markdown", "html"], "text"),
    only: text("--only <domains>", "comma-separated domains to plan (Unicode or ACE)"),
    skipUnsupported: SKIP_UNSUPPORTED,
    resolver: RESOLVER,
    detailedExitcode: flag("--detailed-exitcode", "exit 4 when the plan has changes (drift detection)"),
  }),
  validate(_paths, flags) {
    const files = [flags.out, flags.html, flags.markdown].filter((f): f is string => Boolean(f)).map((f) => resolve(f));
    if (new Set(files).size !== files.length)
      throw new UserError("--out, --html and --markdown must name different files");
  },
  async handler(ctx, paths, flags) {
    const dnssec = dnssecOptions(flags.resolver, ctx.io.env);
    const { manifest, warnings } = await loadManifests(paths, { skipUnsupported: flags.skipUnsupported });
    printWarnings(ctx.io, warnings, ctx.verbose());
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
      // Every view comes from this one read: the sealed plan `apply --plan` runs and the pages
      // people approve cannot disagree.
      const view = (f: typeof format) =>
        f === "html"
          ? renderPlanHtml(plan)
          : f === "markdown"
            ? renderPlanMarkdown(plan)
            : f === "json"
              ? renderPlanJson(plan, { shown: true })
              : renderPlanText(plan, colors(ctx.io));
      const pageOut = format === "html" || format === "markdown";
      if (flags.out) {
        // `--format html|markdown --out FILE` saves that view (as it always did for html); else the sealed plan.
        await writeFileAtomic(flags.out, pageOut ? view(format) : renderPlanJson(plan), 0o600);
        if (pageOut) ctx.io.stderr.write(`${format === "html" ? "HTML" : "Markdown"} plan: ${flags.out}\n`);
      }
      if (flags.html) {
        await writeFileAtomic(flags.html, renderPlanHtml(plan), 0o600);
        ctx.io.stderr.write(`HTML plan: ${flags.html}\n`);
      }
      if (flags.markdown) {
        await writeFileAtomic(flags.markdown, renderPlanMarkdown(plan), 0o600);
        ctx.io.stderr.write(`Markdown plan: ${flags.markdown}\n`);
      }
      // A page saved to a file leaves the terminal the text plan; a page asked for without a file is stdout.
      ctx.io.stdout.write(pageOut && flags.out ? renderPlanText(plan, colors(ctx.io)) : view(format));
      if (inputErrors(plan).length > 0) return ExitCode.usage;
      if (plan.summary.errors > 0) return ExitCode.failed;
      // Sections a pending transfer holds back are drift too: they will change once it completes.
      return flags.detailedExitcode && (hasChanges(plan) || hasDeferred(plan)) ? ExitCode.changes : ExitCode.ok;
    } finally {
      await closeClient(ctx, client);
    }
  },
});
