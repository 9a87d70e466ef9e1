/** Exit codes, as the contract names them, and the one mapping from an error to its code. */
import { isRegdomError, UserError } from "@regdom/core/errors";

export const ExitCode = {
  /** Done. */
  ok: 0,
  /** Something failed at run time. */
  failed: 1,
  /** Bad input or usage; nothing was sent. */
  usage: 2,
  /** Refused by a safety rule; nothing was sent. */
  refused: 3,
  /** `plan --detailed-exitcode` found changes; `transfers` still pending; `expiring` found some. */
  changes: 4,
  /** Stopped by Ctrl-C (SIGINT): no write started after it; the journal and report are written. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error thrown out of a command. */
export function exitCodeOf(e: unknown): ExitCode {
  if (e instanceof UserError) return ExitCode.usage;
  // A SafetyError (or any error of that fault) by its kind.
  if (isRegdomError(e) && e.fault === "safety") return ExitCode.refused;
  return ExitCode.failed;
}
