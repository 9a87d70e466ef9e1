/** Printing helpers: colours only on a TTY and without NO_COLOR; JSON errors with --json. */

import { AuthError, type InputProblem, isRegdomError, UserError } from "@regdom/core/errors";
import { formatPlace, formatProblem } from "@regdom/manifest/place";
import pc from "picocolors";
import type { Io } from "./io.js";

export function colors(io: Io, stream: "stdout" | "stderr" = "stdout") {
  const on = Boolean(io[stream].isTTY) && !io.env.NO_COLOR && io.env.TERM !== "dumb";
  return pc.createColors(on);
}

/** One note about one place (a file, a domain). */
export interface PlacedNote {
  place: string;
  message: string;
}

/**
 * Notes for many places, each message said once: `message (in N files: a, b, c, …)`, in the order
 * of their first appearance. A message of one place reads `place: message`. With `verbose`, every
 * place's note is said on its own line.
 */
export function groupNotes(notes: PlacedNote[], verbose: boolean, noun = "files"): string[] {
  if (verbose) return notes.map((n) => `${n.place}: ${n.message}`);
  const byMessage = new Map<string, string[]>();
  for (const n of notes) byMessage.set(n.message, [...(byMessage.get(n.message) ?? []), n.place]);
  return [...byMessage].map(([message, places]) =>
    places.length === 1
      ? `${places[0]}: ${message}`
      : `${message} (in ${places.length} ${noun}: ${places.slice(0, 3).join(", ")}${places.length > 3 ? ", …; --verbose lists them all" : ""})`,
  );
}

/** Input warnings on stderr, the same warning for many files said once with a count (all with `verbose`). */
export function printWarnings(io: Io, warnings: InputProblem[], verbose = false): void {
  const c = colors(io, "stderr");
  const notes = warnings.map((w) => ({
    place: formatPlace(w),
    message: formatProblem({ ...w, severity: "warning" }).slice(formatPlace(w).length + 2),
  }));
  for (const line of groupNotes(notes, verbose)) io.stderr.write(`${c.yellow(line)}\n`);
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
