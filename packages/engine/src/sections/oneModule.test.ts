/**
 * Adding a section is one module and its registration: a section written only here (a per-domain
 * note the registrar keeps, held in a map as that registrar's getter and setter) is planned,
 * shown, applied in registry order among real writes to the sandbox, journaled, decoded, rolled
 * back and exported, and goes through a saved plan, with no other file knowing it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyManifest, Problems, readYamlManifest } from "@regdom/manifest";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlan } from "../apply/applyPlan.js";
import { Journal, readJournal } from "../apply/journal.js";
import { rollbackRun } from "../apply/rollback.js";
import { readPlanFile } from "../apply/runFolder.js";
import { exportPortfolio } from "../export/exportPortfolio.js";
import { planPortfolio } from "../plan/planPortfolio.js";
import { renderPlanJson, renderPlanText } from "../plan/renderPlan.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { registerSection, SECTIONS } from "./index.js";
import { classifyBy, type SectionModule } from "./section.js";

// The section's change and live value, declared here as a module declares its own. A test's section
// goes in the map of sections registered at run time, so the registry is not asked to hold it.
declare module "../plan/model.js" {
  interface ChangeByRegisteredSection {
    note: { before: string | null; after: string };
  }
  interface LiveBySection {
    note: string | null;
  }
}

const desiredNote = (d: object) => (d as { note?: string }).note;

/** The registrar's notes, by domain; and what the registrar had been sent when each note was written. */
const notes = new Map<string, string>();
const sentBeforeNote: string[][] = [];

const note: SectionModule<"note", string | null> = {
  name: "note",
  action: "SaveNote",
  money: false,
  destructive: false,
  writeOnly: false,
  change: { before: v.nullable(v.string()), after: v.string() },
  // Between the registrant and the zone, in a saved plan's desired.
  manifest: { place: 5.5, fields: { note: v.optional(v.string()) } },
  live: {
    managed: (d) => desiredNote(d) !== undefined,
    async read(_client, domain, into) {
      into.note = notes.get(domain) ?? null;
    },
    fingerprint: (live) => live.note,
  },
  plan: {
    diff({ phase, desired, live }) {
      const want = desiredNote(desired);
      if (want === undefined || phase === "delete") return undefined;
      const have = phase === "create" ? null : (live.note ?? null);
      return have === want ? undefined : { section: "note", before: have, after: want };
    },
    waiting: (d) => (desiredNote(d) !== undefined ? "note" : undefined),
  },
  show: (c, paint) => [paint.yellow(`~ note: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`)],
  async write(_client, d, c) {
    sentBeforeNote.push(sandboxActions(d.name));
    notes.set(d.name, c.after);
  },
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: {
    value: v.nullable(v.string()),
    read: async (_client, domain) => notes.get(domain) ?? null,
    classify: classifyBy((text) => JSON.stringify(text)),
    async restore(_client, domain, text) {
      if (text === null) notes.delete(domain);
      else notes.set(domain, text);
    },
  },
  export: {
    place: 6,
    toManifest(live, d) {
      const note = live.note;
      if (note !== undefined && note !== null) (d as typeof d & { note?: string }).note = note;
    },
  },
};

let sandboxActions: (domain: string) => string[] = () => [];

describe("a section that is one module and its registration", () => {
  let env: Awaited<ReturnType<typeof sandboxAndClient>>;
  let unregister: () => void;
  beforeAll(async () => {
    env = await sandboxAndClient({ seed: 3 });
    sandboxActions = (domain) => env.sandbox.requests.filter((r) => r.domain === domain).map((r) => r.action);
    // Written after the registrant, before the zone.
    unregister = registerSection(note, "dns");
  });
  afterAll(async () => {
    unregister();
    await env.close();
  });

  it("is planned, shown, saved and read back, applied in registry order, journaled, exported, decoded and rolled back", async () => {
    const at = SECTIONS.indexOf("registrant");
    expect(SECTIONS.slice(at, at + 3)).toEqual(["registrant", "note", "dns"]);
    const name = [...env.sandbox.state.domains.keys()][0]!;
    env.sandbox.state.get(name)!.locked = false;
    notes.set(name, "old");
    const m = emptyManifest();
    const problems = new Problems();
    readYamlManifest(
      `version: 1\ndomains:\n  ${name}:\n    lock: true\n    dns: [{host: "@", type: A, address: 192.0.2.9}]\n`,
      "m.yaml",
      problems,
      m,
    );
    expect(problems.errors).toEqual([]);
    Object.assign(m.domains.get(name)!, { note: "hello" });

    const plan = await planPortfolio(env.client, m);
    const d = plan.domains[0]!;
    expect(d.action).toBe("update");
    expect(d.changes.map((c) => c.section)).toEqual(["lock", "note", "dns"]);
    expect(renderPlanText(plan)).toContain('    ~ note: "old" -> "hello"\n');

    // Saved (plan --out) and read back (apply --plan): the note's change and desired value are
    // decoded as its module declares them, in the order plan wrote them.
    const dir = mkdtempSync(join(tmpdir(), "regdom-one-module-"));
    const planFile = join(dir, "plan.json");
    writeFileSync(planFile, renderPlanJson(plan));
    const saved = readPlanFile(planFile);
    expect(JSON.stringify(saved.domains[0]!.changes)).toBe(JSON.stringify(d.changes));
    expect(saved.domains[0]!.desired).toMatchObject({ note: "hello" });
    writeFileSync(
      planFile,
      renderPlanJson({
        ...plan,
        domains: [{ ...d, changes: [{ section: "note", before: "old", after: 7 } as never] }],
      }),
    );
    expect(() => readPlanFile(planFile)).toThrow(`${planFile}: not a valid regdom plan at domains[0].changes[0].after`);

    const journalPath = join(dir, "journal.jsonl");
    const report = await applyPlan(env.client, saved, { mode: "fresh", journal: new Journal(journalPath) });
    expect(report.failures).toEqual([]);
    expect(report.sections.note).toEqual({ ok: 1 });
    expect(notes.get(name)).toBe("hello");
    // The lock was sent before the note, the zone after it.
    expect(sentBeforeNote[0]).toContain("domainupdatelockingstatus");
    expect(sentBeforeNote[0]).not.toContain("savedns");
    expect(sandboxActions(name)).toContain("savedns");

    const { entries } = readJournal(journalPath);
    const intents = entries.filter((e) => e.phase === "intent");
    expect(intents.map((e) => e.section)).toEqual(["lock", "note", "dns"]);
    expect(intents[1]).toMatchObject({ action: "SaveNote", before: "old", after: "hello" });
    expect((await planPortfolio(env.client, m)).domains[0]!.action).toBe("none");

    // Export reads it through its own getter, and its module puts it in the exported domain.
    const exported = await exportPortfolio(env.client, [name]);
    expect(exported.manifest.domains.get(name)).toMatchObject({ lock: true, note: "hello" });

    // The journal's note is decoded with the module's schema: a number there is refused when the
    // file is read (its name, line and field named); handed such an entry anyway, rollback sends
    // nothing of the note (the lock and zone, decoded fine, are put back).
    const edited = join(dir, "edited.jsonl");
    writeFileSync(
      edited,
      readFileSync(journalPath, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) =>
          JSON.parse(l).section === "note" && JSON.parse(l).phase === "intent" ? l.replace('"old"', "7") : l,
        )
        .join("\n")
        .concat("\n"),
    );
    const noteLine = intents[1]!.seq;
    expect(() => readJournal(edited)).toThrow(`${edited}:${noteLine}: not a valid journal entry at before: `);
    const raw = readFileSync(edited, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const refused = await rollbackRun(env.client, "edited", raw, new Journal(join(dir, "r0")));
    expect(refused.failed).toEqual([
      expect.objectContaining({ section: "note", message: expect.stringContaining("is not a note value") }),
    ]);
    expect(refused.restored).toBe(2);
    expect(notes.get(name)).toBe("hello");

    const rolled = await rollbackRun(env.client, "run", entries, new Journal(join(dir, "rollback.jsonl")));
    expect(rolled.failed).toEqual([]);
    expect([rolled.restored, rolled.alreadyAsBefore]).toEqual([1, 2]);
    expect(notes.get(name)).toBe("old");
    expect(env.sandbox.state.get(name)!.locked).toBe(false);
  });
});
