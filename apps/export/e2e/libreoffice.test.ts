/**
 * The real spreadsheet program in the loop: exports opened and saved again by LibreOffice Calc
 * plan back to `No changes.`, and an edit made there shows in the plan as exactly that edit.
 */
import { isUtf8 } from "node:buffer";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, exporter, sandbox, tempDir } from "./env.js";
import { convert, officeTests } from "./libreoffice.js";

const FAST = ["--rate", "2000", "--concurrency", "16"];

/** A seeded portfolio exported with `flags` into `out`. */
async function exported(sb: Awaited<ReturnType<typeof sandbox>>, dir: string, out: string, flags: string[]) {
  const list = join(dir, "domains.txt");
  writeFileSync(list, [...sb.state.domains.keys()].join("\n"));
  const e = await exporter(sb, ["--domains", list, "--out", out, ...flags, "--with-status", ...FAST]);
  expect(e.code, e.stderr).toBe(0);
}

describe.skipIf(!officeTests)("LibreOffice Calc", () => {
  it("re-saves an XLSX export as XLSX: plan prints No changes.", async () => {
    const sb = await sandbox({ seed: 40, randomSeed: 7 });
    try {
      const dir = await tempDir();
      await exported(sb, dir, join(dir, "p.xlsx"), ["--format", "xlsx"]);
      const lo = join(dir, "lo");
      mkdirSync(lo);
      const [saved] = await convert([join(dir, "p.xlsx")], lo, { to: "xlsx" });
      // LibreOffice wrote its own file (not our bytes), and regdom reads it to the same portfolio.
      expect(readFileSync(saved!)).not.toEqual(readFileSync(join(dir, "p.xlsx")));
      const p = await bulk(sb, ["plan", saved!, ...FAST]);
      expect(p.stdout, p.stderr).toBe("No changes.\n");
    } finally {
      await sb.close();
    }
  }, 120_000);

  it("opens a CSV export and saves it the Swedish Excel way (; and Windows-1252) and the plain way: No changes.", async () => {
    const sb = await sandbox({ seed: 40, randomSeed: 8 });
    try {
      const dir = await tempDir();
      await exported(sb, dir, join(dir, "csv"), ["--format", "csv"]);
      const files = readdirSync(join(dir, "csv")).map((f) => join(dir, "csv", f));
      const ways = {
        swedish: "csv:Text - txt - csv (StarCalc):59,34,1,1",
        plain: "csv:Text - txt - csv (StarCalc):44,34,76,1",
      };
      for (const [way, to] of Object.entries(ways)) {
        const out = join(dir, way);
        mkdirSync(out);
        // Opened as a user opens a CSV file: comma-separated, UTF-8, types detected by Calc.
        const saved = await convert(files, out, { to, infilter: "CSV:44,34,76,1" });
        const registrant = readFileSync(saved.find((f) => f.endsWith("registrant.csv"))!);
        if (way === "swedish") {
          expect(registrant.toString("latin1").split("\n")[0]).toContain(";");
          // The seeded contacts have å, ä, ö: Windows-1252 bytes are not UTF-8.
          expect(isUtf8(registrant)).toBe(false);
        } else expect(isUtf8(registrant)).toBe(true);
        const p = await bulk(sb, ["plan", out, ...FAST]);
        expect(p.stdout, `${way}: ${p.stderr}`).toBe("No changes.\n");
      }
    } finally {
      await sb.close();
    }
  }, 180_000);

  it("opens a CSV export and saves it as XLSX, keeping the ' before = + - @ in the cells: No changes.", async () => {
    const sb = await sandbox({ seed: 40, randomSeed: 10 });
    try {
      const dir = await tempDir();
      await exported(sb, dir, join(dir, "csv"), ["--format", "csv"]);
      const files = readdirSync(join(dir, "csv")).map((f) => join(dir, "csv", f));
      expect(readFileSync(join(dir, "csv", "dns.csv"), "utf8")).toContain(",'@,");
      const out = join(dir, "xlsx");
      mkdirSync(out);
      const saved = await convert(files, out, { to: "xlsx", infilter: "CSV:44,34,76,1" });
      const p = await bulk(sb, ["plan", ...saved, ...FAST]);
      expect(p.stdout, p.stderr).toBe("No changes.\n");
    } finally {
      await sb.close();
    }
  }, 180_000);

  it("an edit made in the spreadsheet shows in the plan as exactly that edit", async () => {
    const sb = await sandbox({ seed: 20, randomSeed: 9 });
    try {
      const dir = await tempDir();
      await exported(sb, dir, join(dir, "p.xlsx"), ["--format", "xlsx"]);
      // LibreOffice opens the workbook and saves it as a flat ODF spreadsheet (XML) …
      const flatDir = join(dir, "flat");
      mkdirSync(flatDir);
      const [flat] = await convert([join(dir, "p.xlsx")], flatDir, { to: "fods" });
      const xml = readFileSync(flat!, "utf8");
      // … where one cell is changed: the address of an A record that appears once in the workbook …
      const target = [...sb.state.domains.values()]
        .flatMap((d) => d.dns.filter((r) => r.type === "A").map((r) => ({ domain: d.name, ...r })))
        .find((r) => xml.split(`<text:p>${r.address}</text:p>`).length === 2);
      expect(target, "an A record whose address is unique").toBeDefined();
      const changed = "198.51.100.77";
      const editedDir = join(dir, "edited");
      mkdirSync(editedDir);
      writeFileSync(
        join(editedDir, "p.fods"),
        xml.replace(`<text:p>${target!.address}</text:p>`, `<text:p>${changed}</text:p>`),
      );
      // … and LibreOffice saves that as XLSX again.
      const out = join(dir, "out");
      mkdirSync(out);
      const [saved] = await convert([join(editedDir, "p.fods")], out, { to: "xlsx" });
      const p = await bulk(sb, ["plan", saved!, ...FAST]);
      const host = target!.hostname;
      expect(p.stdout, p.stderr).toBe(
        `~ ${target!.domain}\n    ~ dns ${host} A ${target!.address} -> ${host} A ${changed}\n\n` +
          `Plan: 1 domain(s) to change (0 to create, 1 to update, 0 to delete), ${sb.state.domains.size - 1} unchanged; money: 0 register, 0 transfer, 0 renew.\n`,
      );
    } finally {
      await sb.close();
    }
  }, 120_000);
});
