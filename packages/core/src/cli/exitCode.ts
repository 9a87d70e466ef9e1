import { ExitCode, isRegdomError } from "../errors.js";

/** The exit code for an error thrown out of a command. */
export function exitCodeOf(e: unknown): number {
  if (isRegdomError(e)) return e.exitCode;
  return ExitCode.failed;
}
