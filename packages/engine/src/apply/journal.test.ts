/** Journal lines are decoded, never cast: a section's before and after with the section's own schema. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readJournal } from "./journal.js";

function journalOf(...lines: object[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "regdom-journal-")), "journal.jsonl");
  const at = { time: "2026-01-01T00:00:00.000Z", domain: "a.se", attempt: 1 };
  writeFileSync(path, lines.map((l, i) => `${JSON.stringify({ seq: i + 1, ...at, ...l })}\n`).join(""));
  return path;
}

describe("readJournal", () => {
  it("reads what apply and rollback write of a section", () => {
    const records = [{ host: "@", type: "A", address: "192.0.2.1", priority: null }];
    const path = journalOf(
      { section: "dns", action: "SaveDNS", phase: "intent", before: records, after: [] },
      { section: "dns", action: "SaveDNS", phase: "ok" },
      { section: "dns", action: "rollback SaveDNS", phase: "intent", before: [], after: records },
      { section: "registrant", action: "SaveContactDetails", phase: "intent", before: null, after: { name: "A" } },
    );
    expect(readJournal(path).entries).toHaveLength(4);
  });

  it("refuses a rollback line's wrong-typed value, naming the file, line and field", () => {
    const path = journalOf({
      section: "lock",
      action: "rollback DomainUpdateLockingStatus",
      phase: "intent",
      before: "yes",
    });
    expect(() => readJournal(path)).toThrow(`${path}:1: not a valid journal entry at before: `);
  });

  it("leaves a run's operation its own shape, even one whose id is a section's name", () => {
    const path = journalOf({ section: "dns", action: "SetAutoRenew", phase: "intent", after: { autorenew: "1" } });
    expect(readJournal(path).entries[0]!.after).toEqual({ autorenew: "1" });
  });
});
