/**
 * The one shape every command has: metadata, arguments, options and a handler that returns an
 * exit code. Handlers throw typed errors; only bin.ts exits the process.
 */
import { Command, Option } from "commander";
import { CONNECTION_OPTIONS, type Io } from "@regdom/core";

export interface CommandContext {
  io: Io;
  /** Global flags. */
  json(): boolean;
  verbose(): boolean;
}

export interface CommandSpec<O> {
  name: string;
  summary: string;
  args?: string;
  connection?: boolean;
  options?: (cmd: Command) => void;
  handler: (ctx: CommandContext, args: string[], options: O) => Promise<number>;
}

export function createCommand<O>(spec: CommandSpec<O>, ctx: CommandContext, done: (code: number) => void): Command {
  const cmd = new Command(spec.name).description(spec.summary);
  if (spec.args) cmd.arguments(spec.args);
  if (spec.connection) for (const o of CONNECTION_OPTIONS) cmd.addOption(new Option(o.flags, o.description).default(o.defaultValue));
  spec.options?.(cmd);
  cmd.action(async (...all: unknown[]) => {
    const command = all[all.length - 1] as Command;
    const options = command.opts() as O;
    const args = command.args;
    done(await spec.handler(ctx, args, options));
  });
  return cmd;
}
