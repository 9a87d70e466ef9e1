/** Section knowledge lives in the registry: nothing elsewhere switches on, compares or lists section names. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXPORT_SECTIONS } from "../export/sections.js";
import { SECTION, SECTIONS, type SectionModule } from "./index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

/** The engine's sources outside sections/, and the apps' sources. */
function scanned(): string[] {
  const apps = readdirSync(join(root, "apps"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `apps/${e.name}/src`);
  return ["packages/engine/src", ...apps]
    .flatMap((dir) => sources(join(root, dir)))
    .map((f) => relative(root, f).split("\\").join("/"))
    .filter((f) => !f.startsWith("packages/engine/src/sections/"));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

const OWNED_ELSEWHERE = new Set<string>();

/**
 * Comparisons with a section's name that are about something else, by the expression compared:
 * a domain plan's action ("delete"), an operation row's kind ("delete"), a domain's plan phase
 * ("delete"), a contact type ("registrant", compared lower-cased).
 */
const NOT_A_SECTION = [/\.action$/, /^o\.kind$/, /^phase$/, /\.toLowerCase\(\)$/];

/** Every place in `text` that switches on, compares with or lists section names: `line: excerpt`. */
function sectionNameUses(text: string, names: readonly string[]): string[] {
  const name = `"(?:${names.join("|")})"`;
  // What is compared: a name, a property path, a call's result (`t.toLowerCase()`).
  const operand = "[\\w$]+(?:\\??\\.[\\w$]+|\\[\\w+\\])*(?:\\(\\))?";
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    const at = (what: string) => found.push(`${i + 1}: ${what.trim()}`);
    for (const m of line.matchAll(new RegExp(`case ${name}`, "g"))) at(m[0]);
    // `x === "dns"`, `x !== "dns"`, `"dns" === x`: what is compared decides.
    for (const m of line.matchAll(new RegExp(`(${operand})\\s*[!=]==?\\s*${name}`, "g")))
      if (!NOT_A_SECTION.some((re) => re.test(m[1]!))) at(m[0]);
    for (const m of line.matchAll(new RegExp(`${name}\\s*[!=]==?\\s*(${operand})`, "g")))
      if (!NOT_A_SECTION.some((re) => re.test(m[1]!))) at(m[0]);
    // An array of two or more section names: a list kept by hand beside the registry.
    for (const m of line.matchAll(new RegExp(`\\[\\s*${name}(?:\\s*,\\s*${name})+`, "g"))) at(m[0]);
  });
  return found;
}

describe("the section registry", () => {
  it("names every section once, in write order: purchases first, deletion last", () => {
    expect(SECTIONS).toEqual(Object.keys(SECTION));
    expect(SECTIONS.slice(0, 3)).toEqual(["register", "transfer", "renew"]);
    expect(SECTIONS.at(-1)).toBe("delete");
    for (const name of SECTIONS) expect(SECTION[name as keyof typeof SECTION].name).toBe(name);
  });

  it("imports every module that declares a change for its effect, so the built index.d.ts brings them all", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const declaring = readdirSync(here)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .filter((f) => readFileSync(join(here, f), "utf8").includes('declare module "../plan/model.js"'));
    expect(declaring.length).toBeGreaterThanOrEqual(SECTIONS.length - 1);
    const index = readFileSync(join(here, "index.ts"), "utf8");
    for (const f of declaring) expect(index).toContain(`import "./${f.replace(/\.ts$/, ".js")}";`);
  });

  it("keeps apply's write order and actions, write-only sections (no getter) irreversible", () => {
    expect(SECTIONS).toEqual([
      "register",
      "transfer",
      "renew",
      "glue",
      "nameservers",
      "glue-delete",
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
      const m = SECTION[name as keyof typeof SECTION];
      if (m.writeOnly) expect(m.live === undefined && "irreversible" in m.rollback).toBe(true);
    }
  });

  it("finds a switch, a comparison or a list of section names wherever one is written", () => {
    const text = [
      'switch (c.section) { case "dns": }',
      'if (c.section === "nameservers") x();',
      'const y = "renew" !== c.section;',
      'const m = ["register", "transfer", "renew"];',
      'if (d.action === "delete" || o.kind === "delete") x();',
      'const others = types.filter((t) => t.toLowerCase() !== "registrant");',
      'for (const k of ["idprotection", "dnsmanagement"]) x();',
    ].join("\n");
    expect(sectionNameUses(text, SECTIONS)).toEqual([
      '1: case "dns"',
      '2: c.section === "nameservers"',
      '3: "renew" !== c.section',
      '4: ["register", "transfer", "renew"',
    ]);
  });

  it("is the only place that switches on, compares with or lists section names (engine and apps)", () => {
    const offenders = scanned()
      .filter((f) => !OWNED_ELSEWHERE.has(f))
      .flatMap((f) => sectionNameUses(readFileSync(join(root, f), "utf8"), SECTIONS).map((u) => `${f}:${u}`));
    expect(offenders).toEqual([]);
  });

  it("refuses a half-declared section at compile time (tsc -b checks these lines)", () => {
    const { lock: _lock, ...withoutLock } = SECTION;
    // @ts-expect-error a registry without one of the model's sections does not compile
    const registry: typeof SECTION = withoutLock;
    // @ts-expect-error a module without its plan half does not compile
    const noPlan: SectionModule<"lock", boolean | null> = { ...SECTION.lock, plan: undefined };
    // @ts-expect-error only a change that says for how many years can be money
    const lockMoney: SectionModule<"lock", boolean | null> = { ...SECTION.lock, money: true };
    expect([registry, noPlan, lockMoney].length).toBe(3);
  });

  it("says how each section is exported: the live-read ones in the export's order, the rest why not", () => {
    expect(EXPORT_SECTIONS).toEqual(["nameservers", "lock", "dns", "forwarding", "registrant"]);
    // Read from DNS rather than the registrar: exported only when asked for (--with-glue).
    expect(SECTIONS.filter((n) => "optIn" in SECTION[n as keyof typeof SECTION].export)).toEqual(["glue"]);
    for (const name of SECTIONS) {
      const m = SECTION[name as keyof typeof SECTION];
      if ("toManifest" in m.export) expect(m.live).toBeDefined();
      else expect(m.export.notExported).toMatch(/\w/);
      if (m.writeOnly || m.money || m.destructive) expect("notExported" in m.export).toBe(true);
    }
  });
});
