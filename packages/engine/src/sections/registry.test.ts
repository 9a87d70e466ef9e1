/** Section knowledge lives in the registry: no `switch`/`case` on section names elsewhere in the engine. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SECTION, SECTIONS } from "./index.js";

const src = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Files that still switch on section names, to move into their sections' modules (issue #27). */
const NOT_YET_MIGRATED = new Set(["plan/renderPlan.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

describe("the section registry", () => {
  it("names every section once, in write order: purchases first, deletion last", () => {
    expect(SECTIONS).toEqual(Object.keys(SECTION));
    expect(SECTIONS.slice(0, 3)).toEqual(["register", "transfer", "renew"]);
    expect(SECTIONS.at(-1)).toBe("delete");
    for (const name of SECTIONS) expect(SECTION[name].name).toBe(name);
  });

  it("keeps apply's write order and actions, write-only sections (no getter) irreversible", () => {
    expect(SECTIONS).toEqual([
      "register",
      "transfer",
      "renew",
      "nameservers",
      "lock",
      "registrant",
      "dns",
      "forwarding",
      "autorenew",
      "idprotection",
      "delete",
    ]);
    expect(SECTION.idprotection.action).toBe("IDProtectToggle");
    for (const name of SECTIONS) {
      const m = SECTION[name];
      if (m.writeOnly) expect(m.live === undefined && "irreversible" in m.rollback).toBe(true);
    }
  });

  it("is the only place that switches on section names", () => {
    const caseOfSection = new RegExp(`case "(${SECTIONS.join("|")})"`);
    const offenders = sources(src)
      .map((f) => relative(src, f).split("\\").join("/"))
      .filter((f) => !f.startsWith("sections/") && !NOT_YET_MIGRATED.has(f))
      .filter((f) => caseOfSection.test(readFileSync(join(src, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
