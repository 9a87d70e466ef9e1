import { type Io, processIo } from "./io.js";

/** The body of every bin entry: run main, turn its result into the exit code, report a crash as a bug. */
export function runBin(main: (argv: string[], io: Io) => Promise<number>): void {
  // A reader that stops early (`regdom-bulk plan --json | head`) closes the pipe: the rest of the
  // output has nowhere to go, but the command still finishes its work (an apply is never cut short).
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(
        `internal error (please report this bug): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
