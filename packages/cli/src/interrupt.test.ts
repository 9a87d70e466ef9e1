import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "./exitCode.js";
import { type Interrupts, watchInterrupts } from "./interrupt.js";
import type { Io } from "./io.js";

function io(): Io & { err(): string } {
  const stderr = new PassThrough();
  let text = "";
  stderr.on("data", (d: Buffer) => (text += d.toString()));
  return { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, err: () => text };
}

let watching: Interrupts | undefined;
afterEach(() => watching?.dispose());

describe("watchInterrupts", () => {
  it("the first SIGINT aborts the signal, says so once, and makes the exit code 130", async () => {
    const out = io();
    watching = watchInterrupts(out, "finishing");
    expect(watching.exitCode(ExitCode.ok)).toBe(ExitCode.ok);
    // A signal delivered to the listeners, as the OS would (the second one would end the process).
    process.listeners("SIGINT").at(-1)?.("SIGINT");
    await new Promise((r) => setImmediate(r));
    expect(watching.signal.aborted).toBe(true);
    expect(watching.received).toBe("SIGINT");
    expect(out.err()).toMatch(/^\nSIGINT: finishing… \(Ctrl-C again to stop at once\)\n$/);
    expect(watching.exitCode(ExitCode.ok)).toBe(130);
    expect(watching.exitCode(ExitCode.failed)).toBe(130);
  });
  it("SIGTERM stops the same way and keeps exit 1; dispose stops listening", () => {
    const before = process.listenerCount("SIGTERM");
    watching = watchInterrupts(io());
    expect(process.listenerCount("SIGTERM")).toBe(before + 1);
    process.listeners("SIGTERM").at(-1)?.("SIGTERM");
    expect(watching.signal.aborted).toBe(true);
    expect(watching.exitCode(ExitCode.ok)).toBe(ExitCode.failed);
    watching.dispose();
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });
});
