/** One apply at a time per run folder and per portfolio: a lock file holding the owner's pid. */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { SafetyError } from "../errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class RunLock {
  private constructor(readonly path: string) {}

  /** Takes the lock, or throws SafetyError naming the live owner. A dead owner's lock is taken over. */
  static acquire(path: string): RunLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: "wx", mode: 0o600 });
        return new RunLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        let owner: { pid?: number; since?: string } = {};
        try {
          owner = JSON.parse(readFileSync(path, "utf8")) as typeof owner;
        } catch {
          /* unreadable: treat as stale */
        }
        if (owner.pid && owner.pid !== process.pid && alive(owner.pid))
          throw new SafetyError(`another apply (pid ${owner.pid}, since ${owner.since}) holds ${path}; wait for it to finish`);
        rmSync(path, { force: true });
      }
    }
    throw new SafetyError(`could not take the lock ${path}`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}
