/** regdom-bulk: plan and apply domain portfolios. `main` never exits the process. */
import { type Io, runProgram, versionOf } from "@regdom/cli/program";
import { COMMANDS } from "./commands/index.js";

export const VERSION = versionOf(new URL("../package.json", import.meta.url));

export function main(argv: string[], io: Io): Promise<number> {
  return runProgram(
    {
      name: "regdom-bulk",
      description: "Plan and apply domain portfolios at Registrera Domän from YAML and spreadsheet manifests",
      version: VERSION,
      commands: COMMANDS,
    },
    argv,
    io,
  );
}
