/**
 * A run folder holds everything one apply did: `plan.json`, `journal.jsonl`, `report.json`, and
 * a `lock` while it runs. Files are written atomically (temp + rename) and readable only by the
 * owner, since plans may hold auth codes.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "@regdom/core";
import { ensureDir, folderStamp, writeFileAtomicSync } from "@regdom/files";
import { PLAN_VERSION, type Plan } from "../plan/model.js";
import { HIDDEN_AUTHCODE, planChecksum, renderPlanJson } from "../plan/renderPlan.js";
import { Journal, type JournalEntry, nextAttempt, readJournal } from "./journal.js";
import { RUN_PLACE, RUNS_ROOT, usablePlace } from "./places.js";
import { RunLock } from "./runLock.js";
import { decode, planSchema } from "./schemas.js";

export function defaultRunDir(root = RUNS_ROOT, now = new Date()): string {
  return join(root, folderStamp(now));
}

export class RunFolder {
  readonly journal: Journal;
  readonly #locks: RunLock[];

  /** Every entry of the journal as it stood when the folder was opened (earlier attempts). */
  readonly earlier: JournalEntry[];

  private constructor(
    readonly dir: string,
    locks: RunLock[],
    earlier: JournalEntry[],
  ) {
    this.#locks = locks;
    this.earlier = earlier;
    this.journal = new Journal(
      join(dir, "journal.jsonl"),
      earlier.reduce((m, e) => Math.max(m, e.seq), 0),
      nextAttempt(earlier),
    );
  }

  /**
   * Opens (or creates) a run folder, taking the account's lock (one apply per endpoint and account
   * for this user, whatever the folder) unless the caller already holds it (`accountLock`, which
   * the caller releases), and the folder's own.
   */
  static open(
    dir: string,
    opts: { create: boolean; accountKey?: string; accountLock?: RunLock; env?: NodeJS.ProcessEnv },
  ): RunFolder {
    if (!opts.create && !existsSync(join(dir, "plan.json")))
      throw new UserError(`${dir} is not a run folder (no plan.json)`);
    usablePlace(() => ensureDir(RUN_PLACE, dir));
    const locks: RunLock[] = [];
    try {
      if (opts.accountKey && !opts.accountLock) locks.push(RunLock.acquireAccount(opts.accountKey, opts.env));
      locks.push(RunLock.acquire(join(dir, "lock")));
    } catch (e) {
      for (const l of locks) l.release();
      throw e;
    }
    try {
      const { entries } = readJournal(join(dir, "journal.jsonl"));
      return new RunFolder(dir, locks, entries);
    } catch (e) {
      for (const l of locks) l.release();
      throw e;
    }
  }

  writePlan(plan: Plan): void {
    writeFileAtomicSync(join(this.dir, "plan.json"), renderPlanJson(plan));
  }

  readPlan(): Plan {
    return readPlanFile(join(this.dir, "plan.json"));
  }

  writeReport(report: unknown, name = "report.json"): void {
    writeFileAtomicSync(join(this.dir, name), `${JSON.stringify(report, null, 2)}\n`);
  }

  close(): void {
    this.journal.close();
    for (const l of this.#locks.reverse()) l.release();
  }
}

/**
 * Reads a saved plan: valid JSON, the checksum it was sealed with, then the schema. A plan edited
 * by hand (an address changed in plan.json) is refused: it would bypass every manifest check.
 */
export function readPlanFile(path: string): Plan {
  let raw: unknown;
  try {
    // A FIFO or a device is refused before it is opened: reading one would wait, or never end.
    const st = statSync(path);
    if (!st.isFile()) throw new Error("not a regular file");
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UserError(`${path}: not a readable plan (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!raw || typeof raw !== "object" || (raw as { version?: unknown }).version !== PLAN_VERSION)
    throw new UserError(
      `${path}: not a regdom plan of version ${PLAN_VERSION}; make it with \`regdom-bulk plan --out\``,
    );
  if (hidesAuthcodes(raw))
    throw new UserError(
      `${path}: a plan printed with its transfer auth codes hidden cannot be applied; save it with \`regdom-bulk plan --out FILE\` (a 0600 file that keeps them)`,
    );
  const { checksum, ...content } = raw as { checksum?: unknown };
  if (typeof checksum !== "string" || checksum !== planChecksum(content))
    throw new UserError(
      `${path}: the plan's checksum does not match its content (edited by hand, or cut short); plan again with \`regdom-bulk plan --out\``,
    );
  return decode(planSchema(), raw, path, "regdom plan") as Plan;
}

/** Whether a plan's transfers carry HIDDEN_AUTHCODE (printed by `plan --format json`) instead of codes. */
function hidesAuthcodes(raw: object): boolean {
  const domains = (raw as { domains?: unknown }).domains;
  if (!Array.isArray(domains)) return false;
  return domains.some((d: unknown) => {
    const { changes, desired } = (d ?? {}) as { changes?: unknown; desired?: { transfer?: { authcode?: unknown } } };
    return (
      desired?.transfer?.authcode === HIDDEN_AUTHCODE ||
      (Array.isArray(changes) &&
        changes.some((c: unknown) => (c as { authcode?: unknown } | null)?.authcode === HIDDEN_AUTHCODE))
    );
  });
}
