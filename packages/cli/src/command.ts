/**
 * The one way both apps define commands: metadata, arguments, declared options (see options.ts),
 * an optional `validate` that runs before anything else, and a handler that returns an exit code.
 * Handlers throw typed errors; `runProgram` prints them (one JSON shape with --json) and maps them
 * to exit codes; only the bin entry exits the process.
 */

import { InternalError, UserError } from "@regdom/core/errors";
import { Command, CommanderError, Option } from "commander";
import { ExitCode, exitCodeOf } from "./exitCode.js";
import type { Io } from "./io.js";
import type { OptionDecls, OptionsOf } from "./options.js";
import { printError } from "./output.js";

export interface CommandContext {
  io: Io;
  /** Global flags. */
  json(): boolean;
  verbose(): boolean;
}

export interface CommandSpec<D extends OptionDecls> {
  name: string;
  summary: string;
  /** commander's argument syntax, e.g. "<manifest...>" or "[domain...]". */
  args?: string;
  options: D;
  /** Checks arguments and options before the handler runs (bad input: throw UserError). */
  validate?: (args: string[], options: OptionsOf<D>) => void;
  handler: (ctx: CommandContext, args: string[], options: OptionsOf<D>) => Promise<number>;
}

/** A command whose handler gets its options typed from `options`. */
export type AnyCommand = CommandSpec<OptionDecls>;

/** What the program's own help shows of a command: its name, summary and arguments. */
export type CommandAbout = Pick<AnyCommand, "name" | "summary" | "args">;

/**
 * A command known by what help shows of it, whose module (options, handler and all they import)
 * is loaded only when that command runs: start-up then costs what one command needs, not all.
 */
export interface LazyCommand extends CommandAbout {
  load(): Promise<AnyCommand>;
}

export function defineCommand<D extends OptionDecls>(spec: CommandSpec<D>): AnyCommand {
  return spec as unknown as AnyCommand;
}

function longFlag(flags: string): string {
  return /--[a-z0-9-]+/.exec(flags)?.[0] ?? flags;
}

/** Adds the declared options to a commander command and returns how to read them back, typed. */
function declare(cmd: Command, decls: OptionDecls): (c: Command) => Record<string, unknown> {
  for (const [key, d] of Object.entries(decls)) {
    const opt = new Option(d.flags, d.description);
    if (d.defaultValue !== undefined) opt.default(d.defaultValue);
    if (opt.attributeName() !== key) throw new InternalError(`option ${d.flags} is declared as "${key}"`);
    cmd.addOption(opt);
  }
  return (c) =>
    Object.fromEntries(
      Object.entries(decls).map(([key, d]) => [
        key,
        d.parse(c.getOptionValue(key) as string | boolean | undefined, longFlag(d.flags)),
      ]),
    );
}

function attach(cmd: Command, spec: AnyCommand, ctx: CommandContext, done: (code: number) => void): void {
  if (spec.args) cmd.arguments(spec.args);
  const read = declare(cmd, spec.options);
  cmd.action(async (...all: unknown[]) => {
    const c = all[all.length - 1] as Command;
    const options = read(c);
    spec.validate?.(c.args, options);
    done(await spec.handler(ctx, c.args, options));
  });
}

export interface ProgramSpec {
  name: string;
  description: string;
  version: string;
  /** Subcommands (regdom-bulk), or … */
  commands?: (AnyCommand | LazyCommand)[];
  /** … the program is itself one command (regdom-export). */
  root?: AnyCommand;
}

/** The subcommand argv names: its first word (the global options take no value), or the one after `help`. */
function commandNameIn(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

async function loadCommand(entry: LazyCommand): Promise<AnyCommand> {
  const spec = await entry.load();
  if (spec.name !== entry.name) throw new InternalError(`command ${entry.name}: its module defines ${spec.name}`);
  return spec;
}

/** Parses argv, runs the command, prints any error once, and answers the exit code. Never exits. */
export async function runProgram(spec: ProgramSpec, argv: string[], io: Io): Promise<number> {
  let code: number = ExitCode.ok;
  const write = { writeOut: (s: string) => io.stdout.write(s), writeErr: (s: string) => io.stderr.write(s) };
  const program = new Command(spec.name)
    .description(spec.description)
    .version(spec.version)
    .option("--json", "machine-readable output on stdout (errors too)")
    .option("-v, --verbose", "log every request (never the token) to stderr")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput(write)
    .exitOverride();
  const ctx: CommandContext = {
    io,
    json: () => Boolean(program.opts().json),
    verbose: () => Boolean(program.opts().verbose),
  };
  const set = (c: number) => (code = c);
  if (spec.root) attach(program, spec.root, ctx, set);
  const chosen = commandNameIn(argv);
  for (const entry of spec.commands ?? []) {
    // A lazy command other than the one asked for is only named (for help and "unknown command").
    const s = "load" in entry ? (entry.name === chosen ? await loadCommand(entry) : undefined) : entry;
    const cmd = new Command(entry.name).description(entry.summary);
    cmd.option("--json", "machine-readable output on stdout").option("-v, --verbose", "log every request to stderr");
    cmd.configureOutput(write).exitOverride();
    cmd.hook("preAction", (_this, actionCmd) => {
      const o = actionCmd.opts();
      if (o.json) program.setOptionValue("json", true);
      if (o.verbose) program.setOptionValue("verbose", true);
    });
    if (s) attach(cmd, s, ctx, set);
    else if (entry.args) cmd.arguments(entry.args);
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
    printError(io, e, ctx.json() || argv.includes("--json"));
    return exitCodeOf(e);
  }
  return code;
}
