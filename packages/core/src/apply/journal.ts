/**
 * The run's append-only journal (`journal.jsonl`): an intent line before each write and an
 * outcome line after. Each line goes to the file in one write() call, so a killed process leaves
 * whole lines (the OS has them); before a money operation the file is also fsync'ed, so even a
 * power cut cannot hide an intent to buy.
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, writeSync } from "node:fs";

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
}

export class Journal {
  readonly #fd: number;
  #seq: number;

  constructor(path: string, startSeq = 0) {
    this.#fd = openSync(path, "a", 0o600);
    this.#seq = startSeq;
  }

  append(e: Omit<JournalEntry, "seq" | "time">, durable = false): JournalEntry {
    const entry: JournalEntry = { seq: ++this.#seq, time: new Date().toISOString(), ...e };
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
    if (durable) fdatasyncSync(this.#fd);
    return entry;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Reads a journal; a torn last line (a crash mid-write) is ignored and reported. */
export function readJournal(path: string): { entries: JournalEntry[]; tornLines: number } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], tornLines: 0 };
    throw e;
  }
  const entries: JournalEntry[] = [];
  let torn = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      torn++;
    }
  }
  return { entries, tornLines: torn };
}
