/**
 * An export writes domains as it reads them (through a spool file), so its memory does not grow
 * with the portfolio: a portfolio of some 100 MB of DNS text is exported by a process whose heap
 * may hold well under that. The whole-portfolio writers ran out of heap here.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exporter, sandbox, tempDir } from "./env.js";

const DOMAINS = 200;
const RECORDS = 40;
const TEXT = 12000;
const HEAP_MB = 96;

describe("export memory", () => {
  for (const format of ["yaml", "csv", "json", "bind"])
    it(`--format ${format}: a portfolio larger than the heap it may use`, async () => {
      const sb = await sandbox({ seed: DOMAINS });
      try {
        const names = [...sb.state.domains.keys()];
        names.forEach((name, i) => {
          sb.state.get(name)!.dns = Array.from({ length: RECORDS }, (_, r) => ({
            hostname: `t${r}`,
            type: "TXT",
            address: `${i}-${r}-`.padEnd(TEXT, String.fromCharCode(97 + ((i + r) % 26))),
            priority: null,
          }));
        });
        const dir = await tempDir();
        const list = join(dir, "domains.txt");
        writeFileSync(list, names.join("\n"));
        const out = join(dir, format === "yaml" || format === "json" ? `p.${format}` : format);
        const r = await exporter(
          sb,
          ["--domains", list, "--out", out, "--format", format, "--sections", "dns", "--rate", "5000"],
          { env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` } },
        );
        expect(r.code, r.stderr.slice(-2000)).toBe(0);
        const files = statSync(out).isDirectory() ? readdirSync(out).map((f) => join(out, f)) : [out];
        const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
        expect(bytes).toBeGreaterThan(DOMAINS * RECORDS * TEXT);
        // The last domain in written order is there whole.
        const last = [...names].sort().at(-1)!;
        const text = files.map((f) => readFileSync(f, "utf8")).join("");
        expect(text).toContain(`${names.indexOf(last)}-${RECORDS - 1}-`);
      } finally {
        await sb.close();
      }
    });
});
