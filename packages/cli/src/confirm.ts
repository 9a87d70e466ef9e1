/** Asks on a TTY; without one, `--yes` is the only way to say yes. */
import { createInterface } from "node:readline/promises";
import { SafetyError } from "@regdom/core/errors";
import type { Io } from "./io.js";

export async function confirm(io: Io, question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!io.stdin.isTTY)
    throw new SafetyError("refused, nothing was sent: no TTY to confirm on; pass --yes to apply without asking");
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`${question} Only "yes" is accepted: `);
    if (answer.trim().toLowerCase() !== "yes") throw new SafetyError("refused, nothing was sent: not confirmed");
  } finally {
    rl.close();
  }
}
