/**
 * A run folder holds everything one apply did: `plan.json`, `journal.jsonl`, `report.json`, and
 * a `lock` while it runs. Files are written atomically (temp + rename) and readable only by the
 * owner, since plans may hold auth codes.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { PLAN_VERSION, type Plan } from "../plan/model.js";
import { Journal, readJournal } from "./journal.js";
import { RunLock } from "./runLock.js";

export function defaultRunDir(root = ".regdom/runs", now = new Date()): string {
  return join(root, now.toISOString().replace(/[:.]/g, "-"));
}

export function writeFileAtomic(path: string, text: string, mode = 0o600): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

export class RunFolder {
  readonly journal: Journal;
  readonly #locks: RunLock[];

  private constructor(
    readonly dir: string,
    locks: RunLock[],
    startSeq: number,
  ) {
    this.#locks = locks;
    this.journal = new Journal(join(dir, "journal.jsonl"), startSeq);
  }

  /** Opens (or creates) a run folder, taking its lock and the lock of the folder of runs. */
  static open(dir: string, opts: { create: boolean }): RunFolder {
    if (!opts.create && !existsSync(join(dir, "plan.json"))) throw new UserError(`${dir} is not a run folder (no plan.json)`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const locks: RunLock[] = [];
    try {
      locks.push(RunLock.acquire(join(dirname(dir), "apply.lock")));
      locks.push(RunLock.acquire(join(dir, "lock")));
    } catch (e) {
      for (const l of locks) l.release();
      throw e;
    }
    const { entries } = readJournal(join(dir, "journal.jsonl"));
    return new RunFolder(dir, locks, entries.reduce((m, e) => Math.max(m, e.seq), 0));
  }

  writePlan(plan: Plan): void {
    writeFileAtomic(join(this.dir, "plan.json"), `${JSON.stringify(plan, null, 2)}\n`);
  }

  readPlan(): Plan {
    return readPlanFile(join(this.dir, "plan.json"));
  }

  writeReport(report: unknown, name = "report.json"): void {
    writeFileAtomic(join(this.dir, name), `${JSON.stringify(report, null, 2)}\n`);
  }

  close(): void {
    this.journal.close();
    for (const l of this.#locks.reverse()) l.release();
  }
}

export function readPlanFile(path: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(path, "utf8")) as Plan;
  } catch (e) {
    throw new UserError(`${path}: not a readable plan (${e instanceof Error ? e.message : String(e)})`);
  }
  if (plan?.version !== PLAN_VERSION || !Array.isArray(plan.domains))
    throw new UserError(`${path}: not a regdom plan of version ${PLAN_VERSION}; make it with \`regdom-bulk plan --out\``);
  return plan;
}
