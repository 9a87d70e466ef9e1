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

describe("rollback decodes the journal's before and after with the section's schema", () => {
  it.each([
    ["lock", "before", "false", (n: string) => `version: 1\ndomains:\n  ${n}:\n    lock: true\n`],
    ["lock", "after", 1, (n: string) => `version: 1\ndomains:\n  ${n}:\n    lock: true\n`],
    [
      "dns",
      "before",
      [{ host: "@", type: "A" }],
      (n: string) => `version: 1\ndomains:\n  ${n}:\n    dns:\n      - {host: "@", type: A, address: 192.0.2.9}\n`,
    ],
    [
      "nameservers",
      "before",
      "ns1.example.se",
      (n: string) => `version: 1\ndomains:\n  ${n}:\n    nameservers: [ns1.example.se, ns2.example.se]\n`,
    ],
  ] as const)(
    "a %s %s edited to %j is refused for that section, nothing sent",
    async (section, field, value, manifest) => {
      const { sandbox, client, close, journalPath, dir } = await appliedRun(manifest, (s) => {
        s.locked = false;
      });
      try {
        editJournal(journalPath, section, field, value);
        const writesBefore = sandbox.requests.length;
        const { entries } = readJournal(journalPath);
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
