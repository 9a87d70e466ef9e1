import { writeFile } from "node:fs/promises";
import {
  ExitCode,
  hasChanges,
  inputErrors,
  loadManifests,
  planPortfolio,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  UserError,
  type ConnectionFlags,
} from "@regdom/core";
import type { CommandSpec } from "../command.js";
import { colors, printWarnings } from "../output.js";
import { openClient, startProgress } from "../session.js";

interface PlanFlags extends ConnectionFlags {
  out?: string;
  format: string;
  only?: string;
  detailedExitcode?: boolean;
}

export const planCommand: CommandSpec<PlanFlags> = {
  name: "plan",
  summary: "read live state for the managed sections and show what apply would change",
  args: "<manifest...>",
  connection: true,
  options: (cmd) =>
    cmd
      .option("--out <file>", "save the plan (JSON) for `apply --plan`")
      .option("--format <format>", "text, json or markdown", "text")
      .option("--only <domains>", "comma-separated domains to plan (Unicode or ACE)")
      .option("--detailed-exitcode", "exit 4 when the plan has changes (drift detection)"),
  async handler(ctx, paths, flags) {
    if (!["text", "json", "markdown"].includes(flags.format)) throw new UserError(`--format must be text, json or markdown, got "${flags.format}"`);
    const { manifest, warnings } = await loadManifests(paths);
    printWarnings(ctx.io, warnings);
    const client = await openClient(ctx, flags);
    try {
      const only = flags.only?.split(",").map((s) => s.trim()).filter(Boolean);
      const progress = startProgress(ctx, client, "plan", only?.length ?? manifest.domains.size);
      const plan = await planPortfolio(client, manifest, { ...(only ? { only } : {}), onDomain: () => progress.tick() }).finally(() => progress.stop());
      if (flags.out) await writeFile(flags.out, renderPlanJson(plan), { mode: 0o600 });
      const format = ctx.json() ? "json" : flags.format;
      ctx.io.stdout.write(
        format === "json" ? renderPlanJson(plan) : format === "markdown" ? renderPlanMarkdown(plan) : renderPlanText(plan, colors(ctx.io)),
      );
      if (inputErrors(plan).length > 0) return ExitCode.usage;
      if (plan.summary.errors > 0) return ExitCode.failed;
      return flags.detailedExitcode && hasChanges(plan) ? ExitCode.changes : ExitCode.ok;
    } finally {
      await client.close();
    }
  },
};
