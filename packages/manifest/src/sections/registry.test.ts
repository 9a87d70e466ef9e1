/** The section registry: every section the model names is read, from YAML and from tables, by its validator. */
import { describe, expect, it } from "vitest";
import { emptyManifest, SECTION_FIELDS } from "../model.js";
import { Problems } from "../problems.js";
import { readYamlManifest } from "../yamlRead.js";
import { DOMAIN_SECTIONS } from "./index.js";

describe("the section registry", () => {
  it("registers a reader for every section the model names, and names only those", () => {
    const registered = new Set(DOMAIN_SECTIONS.map((s) => s.section));
    expect([...registered].sort()).toEqual(SECTION_FIELDS.map(([s]) => s).sort());
  });

  it("hands each registered key of a YAML domain to its section's validator", () => {
    for (const s of DOMAIN_SECTIONS) {
      const p = new Problems();
      const m = emptyManifest();
      readYamlManifest(`version: 1\ndomains:\n  exempel.se:\n    ${s.key}: 42\n`, "m.yaml", p, m);
      const said = [...p.errors, ...p.warnings].map((x) => x.message);
      expect(
        said.filter((x) => x.startsWith("unknown key")),
        s.key,
      ).toEqual([]);
      // 42 is no valid value of any section but a flag's (1/0 only): each says so, or reads it.
      expect(said.length > 0 || Object.keys(m.domains.get("exempel.se")!).length > 3, s.key).toBe(true);
    }
  });
});
