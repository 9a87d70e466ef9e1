/**
 * One apply at a time: per run folder, and per account (endpoint + auth e-mail) across every
 * folder of the machine's user, so two applies of the same domains from two folders cannot
 * interleave. The lock files are taken atomically and released only by their owner.
 */
import { join } from "node:path";
import { SafetyError } from "@regdom/core";
import { ensureDir, FileLock, LockHeldError, userStateDir } from "@regdom/files";
import { STATE_PLACE, usablePlace } from "./places.js";

export class RunLock {
  private constructor(readonly lock: FileLock) {}

  get path(): string {
    return this.lock.path;
  }

  /** Takes the lock, or throws SafetyError naming the live owner. A dead owner's lock is taken over. */
  static acquire(path: string, what = "another apply"): RunLock {
    try {
      return new RunLock(FileLock.acquire(path, what));
    } catch (e) {
      if (e instanceof LockHeldError) throw new SafetyError(e.message);
      throw e;
    }
  }

  /** The lock of an account, under the user's state folder; `accountKey` is a digest, never the e-mail. */
  static acquireAccount(accountKey: string, env: NodeJS.ProcessEnv = process.env): RunLock {
    const dir = join(userStateDir(env), "locks");
    usablePlace(() => ensureDir(STATE_PLACE, dir));
    return RunLock.acquire(join(dir, `account-${accountKey}.lock`), "another apply to this account");
  }

  release(): void {
    this.lock.release();
  }
}
