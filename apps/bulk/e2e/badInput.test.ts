import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, FIXTURES, sandbox } from "./env.js";

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
