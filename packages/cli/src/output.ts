/** Printing helpers: colours only on a TTY and without NO_COLOR; JSON errors with --json. */

import { AuthError, formatProblem, type InputProblem, isRegdomError, UserError } from "@regdom/core/errors";
import pc from "picocolors";
import type { Io } from "./io.js";

export function colors(io: Io, stream: "stdout" | "stderr" = "stdout") {
  const on = Boolean(io[stream].isTTY) && !io.env.NO_COLOR && io.env.TERM !== "dumb";
  return pc.createColors(on);
}

export function printWarnings(io: Io, warnings: InputProblem[]): void {
  const c = colors(io, "stderr");
  for (const w of warnings) io.stderr.write(`${c.yellow(formatProblem({ ...w, severity: "warning" }))}\n`);
}

/** What the person can do about an error, in this program's words (its flags and variables). */
function hint(e: unknown): string {
  if (e instanceof AuthError) return " (REGDOM_TOKEN or --token-file, and REGDOM_AUTH_EMAIL or --auth-email)";
  return "";
}

/** The one way an error is shown: a line on stderr, or with --json one JSON object on stdout. */
export function printError(io: Io, e: unknown, json: boolean): void {
  const message = `${e instanceof Error ? e.message : String(e)}${hint(e)}`;
  if (json) {
    const body = {
      error: {
        type: e instanceof Error ? e.name : "Error",
        fault: isRegdomError(e) ? e.fault : "bug",
        message,
        ...(e instanceof UserError && e.problems.length ? { problems: e.problems } : {}),
      },
    };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const c = colors(io, "stderr");
  const prefix = isRegdomError(e) ? "error" : "internal error (please report this bug)";
  io.stderr.write(`${c.red(`${prefix}:`)} ${message}\n`);
}
