/** regdom-bulk: plan and apply domain portfolios. `main` never exits the process. */
import { Command, CommanderError } from "commander";
import { exitCodeOf, ExitCode, UserError, type Io } from "@regdom/core";
import { createCommand, type CommandContext } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { printError } from "./output.js";

export const VERSION = "0.1.0";

export async function main(argv: string[], io: Io): Promise<number> {
  let code: number = ExitCode.ok;
  const program = new Command("regdom-bulk")
    .description("Plan and apply domain portfolios at Registrera Domän from YAML and spreadsheet manifests")
    .version(VERSION)
    .option("--json", "machine-readable output on stdout (errors too)")
    .option("-v, --verbose", "log every request (never the token) to stderr")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  const ctx: CommandContext = {
    io,
    json: () => Boolean(program.opts().json),
    verbose: () => Boolean(program.opts().verbose),
  };
  for (const spec of COMMANDS) {
    const cmd = createCommand(spec, ctx, (c) => (code = c));
    cmd.option("--json", "machine-readable output on stdout").option("-v, --verbose", "log every request to stderr");
    cmd.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }).exitOverride();
    cmd.hook("preAction", (_this, actionCmd) => {
      const o = actionCmd.opts();
      if (o.json) program.setOptionValue("json", true);
      if (o.verbose) program.setOptionValue("verbose", true);
    });
    program.addCommand(cmd);
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; anything else commander refuses is a usage error, and with
      // --json it is reported on stdout in the one JSON error shape.
      if (e.exitCode === 0) return ExitCode.ok;
      if (argv.includes("--json")) printError(io, new UserError(e.message.replace(/^error: /, "")), true);
      return ExitCode.usage;
    }
    printError(io, e, ctx.json());
    return exitCodeOf(e);
  }
  return code;
}
