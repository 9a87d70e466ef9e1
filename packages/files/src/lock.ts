/**
 * A lock file that is taken atomically and released only by its owner. The owner's record (pid,
 * host, a random nonce, what it is doing) is written whole to a temp file and hard-linked into
 * place: link fails if the lock exists, so two takers can never both succeed, and a lock file is
 * never seen half-written. A lock whose owner process is gone (same host) is taken over.
 */
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import * as v from "valibot";
import { writeFileAtomicSync } from "./atomic.js";

/** A lock file as we write it; `since` and `what` are only shown, so an old or odd one still reads. */
const lockOwnerSchema = v.object({
  pid: v.pipe(v.number(), v.integer(), v.minValue(1)),
  host: v.string(),
  nonce: v.string(),
  since: v.fallback(v.string(), "?"),
  what: v.fallback(v.string(), "a regdom run"),
});
export type LockOwner = v.InferOutput<typeof lockOwnerSchema>;

/** The lock is held by someone else (or its file cannot be read, so we cannot tell it is free). */
export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      owner
        ? `${owner.what} (pid ${owner.pid} on ${owner.host}, since ${owner.since}) holds ${path}; wait for it to finish`
        : `${path} exists but cannot be read as a lock; if no regdom run is going on, remove it by hand`,
    );
    this.name = "LockHeldError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): LockOwner | undefined | "gone" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw e;
  }
  try {
    const parsed = v.safeParse(lockOwnerSchema, JSON.parse(text));
    if (parsed.success) return parsed.output;
  } catch {
    /* not JSON */
  }
  return undefined; // not a lock we wrote
}

export class FileLock {
  #released = false;
  private constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {}

  /** Takes the lock or throws LockHeldError. `what` is shown to whoever finds it held. */
  static acquire(path: string, what: string): FileLock {
    const owner: LockOwner = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
      nonce: randomBytes(12).toString("hex"),
      what,
    };
    const tmp = `${path}.${owner.nonce}.new`;
    writeFileAtomicSync(tmp, `${JSON.stringify(owner)}\n`, 0o600);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          linkSync(tmp, path);
          return new FileLock(path, owner);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
        const held = readOwner(path);
        if (held === "gone") continue;
        if (!held || held.host !== owner.host || alive(held.pid)) throw new LockHeldError(path, held);
        // The owner died. Move its lock aside under a name only we use, then make sure what we
        // moved is that dead owner's lock and not a live one taken in between.
        const aside = `${path}.${owner.nonce}.stale`;
        try {
          renameSync(path, aside);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
          throw e;
        }
        const moved = readOwner(aside);
        if (moved !== "gone" && moved?.nonce !== held.nonce) {
          try {
            linkSync(aside, path);
          } catch {
            /* someone holds it now: either way it is not ours */
          }
          rmSync(aside, { force: true });
          throw new LockHeldError(path, moved === undefined ? undefined : moved);
        }
        rmSync(aside, { force: true });
      }
      throw new LockHeldError(path, undefined);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** Removes the lock file, only if it is still ours. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const held = readOwner(this.path);
    if (held !== "gone" && held?.nonce === this.owner.nonce) rmSync(this.path, { force: true });
  }
}
