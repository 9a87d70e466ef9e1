/** Rollback sends the registrar only what the journal's values decode to, section by section. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadManifests } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { planPortfolio } from "../plan/planPortfolio.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { applyPlan } from "./applyPlan.js";
import { Journal, readJournal } from "./journal.js";
import { rollbackRun } from "./rollback.js";

async function appliedRun(manifest: (name: string) => string, prepare: (state: { locked: boolean }) => void) {
  const env = await sandboxAndClient({ seed: 3 });
  const name = [...env.sandbox.state.domains.keys()][0]!;
  prepare(env.sandbox.state.get(name)!);
  const dir = mkdtempSync(join(tmpdir(), "regdom-rollback-"));
  writeFileSync(join(dir, "m.yaml"), manifest(name));
  const m = (await loadManifests([join(dir, "m.yaml")])).manifest;
  const journalPath = join(dir, "journal.jsonl");
  await applyPlan(env.client, await planPortfolio(env.client, m), { mode: "saved", journal: new Journal(journalPath) });
  return { ...env, name, dir, journalPath };
}

/** Rewrites the `field` of the journal's intent of `section` as someone editing the file would. */
function editJournal(path: string, section: string, field: "before" | "after", value: unknown): void {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const edited = lines.map((l) => {
    const e = JSON.parse(l);
    return e.section === section && e.phase === "intent" ? JSON.stringify({ ...e, [field]: value }) : l;
  });
  writeFileSync(path, `${edited.join("\n")}\n`);
}

describe("a journal's before and after are decoded with the section's schema", () => {
  it.each([
    ["lock", "before", "false", (n: string) => `version: 1\ndomains:\n  ${n}:\n    lock: true\n`, "before"],
    ["lock", "after", 1, (n: string) => `version: 1\ndomains:\n  ${n}:\n    lock: true\n`, "after"],
    [
      "dns",
      "before",
      [{ host: "@", type: "A" }],
      (n: string) => `version: 1\ndomains:\n  ${n}:\n    dns:\n      - {host: "@", type: A, address: 192.0.2.9}\n`,
      "before[0]",
    ],
    [
      "nameservers",
      "before",
      "ns1.example.se",
      (n: string) => `version: 1\ndomains:\n  ${n}:\n    nameservers: [ns1.example.se, ns2.example.se]\n`,
      "before",
    ],
  ] as const)(
    "a %s %s edited to %j refuses the journal, naming its file, line and field; rollback sends nothing",
    async (section, field, value, manifest, where) => {
      const { sandbox, client, close, journalPath, dir } = await appliedRun(manifest, (s) => {
        s.locked = false;
      });
      try {
        editJournal(journalPath, section, field, value);
        const line =
          readFileSync(journalPath, "utf8")
            .split("\n")
            .findIndex((l) => l.includes(`"section":"${section}"`)) + 1;
        const writesBefore = sandbox.requests.length;
        expect(() => readJournal(journalPath)).toThrow(`${journalPath}:${line}: not a valid journal entry at ${where}`);
        // Rollback is handed the entries by the same reading: with the file refused it never starts.
        expect(sandbox.requests.length).toBe(writesBefore);
        // A rollback handed such an entry anyway (not through readJournal) refuses that section.
        const entries = readFileSync(journalPath, "utf8")
          .trimEnd()
          .split("\n")
          .map((l) => JSON.parse(l));
        const back = await rollbackRun(client, "run", entries, new Journal(join(dir, "rollback.jsonl")));
        expect(back.restored).toBe(0);
        expect(back.failed).toEqual([
          { domain: expect.any(String), section, message: expect.stringMatching(new RegExp(`journal.*${field}`)) },
        ]);
        const sent = sandbox.requests.slice(writesBefore).map((r) => r.action);
        expect(sent.filter((a) => !/^get|locking|sync/i.test(a))).toEqual([]);
      } finally {
        await close();
      }
    },
  );
});

describe("rollback of a write that surely failed", () => {
  it("is not undone: a failed lock write is left alone even when live now equals what it meant to write", async () => {
    const env = await sandboxAndClient({ seed: 3 });
    try {
      const name = [...env.sandbox.state.domains.keys()][0]!;
      env.sandbox.state.get(name)!.locked = false;
      const dir = mkdtempSync(join(tmpdir(), "regdom-rollback-"));
      writeFileSync(join(dir, "m.yaml"), `version: 1\ndomains:\n  ${name}:\n    lock: true\n`);
      const m = (await loadManifests([join(dir, "m.yaml")])).manifest;
      const journalPath = join(dir, "journal.jsonl");
      env.sandbox.faults.failActions = { domainupdatelockingstatus: "Temporary failure" };
      await applyPlan(env.client, await planPortfolio(env.client, m), {
        mode: "fresh",
        journal: new Journal(journalPath),
      });
      env.sandbox.faults.failActions = {};
      // Someone else locks it afterwards: not the run's doing, so not the run's to undo.
      env.sandbox.state.get(name)!.locked = true;
      const from = env.sandbox.requests.length;
      const back = await rollbackRun(
        env.client,
        "run",
        readJournal(journalPath).entries,
        new Journal(join(dir, "rb.jsonl")),
      );
      expect(back).toMatchObject({ restored: 0, alreadyAsBefore: 1, failed: [], notRestorable: [] });
      expect(env.sandbox.requests.slice(from).map((r) => r.action)).not.toContain("domainupdatelockingstatus");
      expect(env.sandbox.state.get(name)!.locked).toBe(true);
    } finally {
      await env.close();
    }
  });
});
