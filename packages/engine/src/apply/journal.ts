/**
 * The run's append-only journal (`journal.jsonl`): an intent line before each write and an
 * outcome line after. Each line goes to the file in one write() call, so a killed process leaves
 * whole lines (the OS has them); before a money operation the file is also fsync'ed, so even a
 * power cut cannot hide an intent to buy.
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { UserError } from "@regdom/core";
import type { IgnoreRule } from "@regdom/manifest";
import { decodeJournalEntry } from "./schemas.js";

export type Phase = "intent" | "ok" | "failed" | "unknown" | "skipped";

export interface JournalEntry {
  seq: number;
  time: string;
  domain: string;
  section: string;
  action: string;
  phase: Phase;
  before?: unknown;
  after?: unknown;
  error?: string;
  note?: string;
  /** Which attempt of the run wrote the line: 1 for the apply, 2 for its first resume, … */
  attempt?: number;
  /** A dns intent's dns_ignore rules: records they cover are not the run's, and rollback leaves them. */
  ignore?: IgnoreRule[];
}

export class Journal {
  readonly #fd: number;
  #seq: number;
  readonly attempt: number;

  constructor(path: string, startSeq = 0, attempt = 1) {
    this.#fd = openSync(path, "a", 0o600);
    this.#seq = startSeq;
    this.attempt = attempt;
  }

  append(e: Omit<JournalEntry, "seq" | "time" | "attempt">, durable = false): JournalEntry {
    const entry: JournalEntry = { seq: ++this.#seq, time: new Date().toISOString(), attempt: this.attempt, ...e };
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
    if (durable) fdatasyncSync(this.#fd);
    return entry;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * Reads a journal. Only its last line can be torn (a crash in the middle of the one write() that
 * holds it, so the file does not end with a newline): that line is ignored and counted. Any other
 * line that is not a journal entry is corruption, and reported as such with its line number.
 */
export function readJournal(path: string): { entries: JournalEntry[]; tornLines: number } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], tornLines: 0 };
    throw e;
  }
  const entries: JournalEntry[] = [];
  const lines = text.split("\n");
  // After the last newline: empty for a whole journal, a torn line after a crash mid-write.
  const tail = lines.pop() ?? "";
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new UserError(
        `${path}:${i + 1}: journal line is corrupt (not JSON) and is not the last one, so it is not a crash mid-write; ` +
          "the journal cannot be trusted: inspect it by hand",
      );
    }
    entries.push(decodeJournalEntry(raw, `${path}:${i + 1}`) as JournalEntry);
  });
  let torn = 0;
  if (tail.trim()) {
    try {
      entries.push(decodeJournalEntry(JSON.parse(tail), `${path}:${lines.length + 1}`) as JournalEntry);
    } catch {
      torn = 1;
    }
  }
  return { entries, tornLines: torn };
}

/** The attempt a new writer of this journal is: one more than the last one in it. */
export function nextAttempt(entries: JournalEntry[]): number {
  return entries.reduce((m, e) => Math.max(m, e.attempt ?? 1), 0) + 1;
}
