/**
 * Ctrl-C while a command writes. The first SIGINT (or SIGTERM) aborts `signal`: the command starts
 * no new write, lets the ones in flight finish, writes its journal and report, and answers
 * `exitCode()` (130 after SIGINT, as shells report it; 1 after SIGTERM). A second SIGINT ends the
 * process at once, by the signal's own default action: the journal is appended a whole line per
 * write() call, so what it holds stays readable and `apply --resume` carries on from it.
 */
import { ExitCode } from "./exitCode.js";
import type { Io } from "./io.js";

export interface Interrupts {
  /** Aborted by the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal that arrived first, if any. */
  readonly received: "SIGINT" | "SIGTERM" | undefined;
  /** The exit code the command answers: `code` unless a signal arrived. */
  exitCode(code: number): number;
  /** Stops listening (Ctrl-C again has its default effect). */
  dispose(): void;
}

export function watchInterrupts(io: Io, what = "finishing the writes in flight, starting no new ones"): Interrupts {
  const abort = new AbortController();
  let received: "SIGINT" | "SIGTERM" | undefined;
  const first = (sig: "SIGINT" | "SIGTERM") => {
    if (received) return false;
    received = sig;
    io.stderr.write(`\n${sig}: ${what}… (Ctrl-C again to stop at once)\n`);
    abort.abort();
    return true;
  };
  const onInt = () => {
    if (first("SIGINT")) return;
    // The second Ctrl-C: stop now. Without our listener the signal's default action ends the process.
    dispose();
    process.kill(process.pid, "SIGINT");
  };
  const onTerm = () => void first("SIGTERM");
  const dispose = () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: abort.signal,
    get received() {
      return received;
    },
    exitCode(code: number) {
      if (received === "SIGINT") return ExitCode.interrupted;
      if (received === "SIGTERM" && code === ExitCode.ok) return ExitCode.failed;
      return code;
    },
    dispose,
  };
}
