import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { utils, write } from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { bulk, FIXTURES, sandbox, tempDir } from "./env.js";

const dir = join(FIXTURES, "bad-input");
const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Record<
  string,
  { message: string; line?: number }
>;

describe("the bad-input corpus through the built CLI", () => {
  it("has at least 60 cases", () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(60);
  });
  it.each(Object.entries(expected))("%s: exit 2 with file:line and the message", async (name, want) => {
    const file = join(dir, name);
    const r = await bulk(undefined, ["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(want.message);
    if (want.line) expect(r.stderr).toMatch(new RegExp(`${name.replace(/\./g, "\\.")}:${want.line}(:\\d+)?: `));
  });
  it("plan and apply refuse bad input before sending anything", async () => {
    const sb = await sandbox({ seed: 3 });
    try {
      for (const name of [
        "16-dns-a-not-ipv4.yaml",
        "41-owner-missing.yaml",
        "54-csv-bad-ip.csv",
        "46-alias-bomb.yaml",
      ]) {
        const p = await bulk(sb, ["plan", join(dir, name)]);
        expect(p.code).toBe(2);
        const a = await bulk(sb, ["apply", join(dir, name), "--yes", "--allow-purchases", "--allow-delete"]);
        expect(a.code).toBe(2);
      }
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});

describe("an empty --token-file", () => {
  it("is said to be empty (exit 2, nothing sent), not reported as a missing token", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const tokenFile = join(await tempDir(), "token");
      writeFileSync(tokenFile, "\n");
      const r = await bulk(sb, ["check", "a.se", "--token-file", tokenFile]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--token-file ${tokenFile} is empty`);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});

describe("a bad workbook", () => {
  it("names sheet and cell (file.xlsx:Sheet!E3), exits 2 and sends nothing, in validate, plan and apply", async () => {
    const wb = utils.book_new();
    utils.book_append_sheet(
      wb,
      utils.aoa_to_sheet([
        ["domain", "host", "type", "address", "priority"],
        ["a.se", "www", "A", "192.0.2.1", null],
        ["a.se", "@", "MX", "mx.a.se", "ten"],
      ]),
      "Zon",
    );
    utils.book_append_sheet(
      wb,
      utils.aoa_to_sheet([
        ["domain", "name", "telephone", "country"],
        ["a.se", "A", 46701234567, "SE"],
      ]),
      "Ägare 2",
    );
    const file = join(await tempDir(), "bad.xlsx");
    writeFileSync(file, write(wb, { type: "buffer", bookType: "xlsx" }) as Buffer);
    const v = await bulk(undefined, ["validate", file]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(`${file}:Zon!E3: MX record needs a priority from 0 to 65535, got "ten"`);
    expect(v.stderr).toContain(`${file}:'Ägare 2'!C2: telephone is the number 46701234567`);
    const sb = await sandbox({ seed: 3 });
    try {
      expect((await bulk(sb, ["plan", file])).code).toBe(2);
      expect((await bulk(sb, ["apply", file, "--yes"])).code).toBe(2);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
