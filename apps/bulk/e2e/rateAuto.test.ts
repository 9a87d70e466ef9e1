/** `--rate auto`: finds the registrar's limit, says what it accepted, and the next run starts there. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir } from "./env.js";

describe("--rate auto", () => {
  it("measures the limit, remembers it, and the next run is not pushed back", async () => {
    const sb = await sandbox({ seed: 90, faults: { rateLimit: 15, latencyMs: 10 } });
    try {
      const dir = await tempDir();
      const state = mkdtempSync(join(tmpdir(), "regdom-rate-"));
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\ndomains:\n${[...sb.state.domains.keys()].map((n) => `  ${n}:\n    lock: true\n`).join("")}`,
      );
      const first = await bulk(sb, ["plan", m, "--rate", "auto", "--concurrency", "8"], {
        env: { XDG_STATE_HOME: state },
      });
      expect(first.code, first.stderr).toBe(0);
      const found = Number(/the registrar accepted ~([\d.]+) req\/s/.exec(first.stderr)?.[1]);
      expect(found).toBeGreaterThan(10);
      expect(found).toBeLessThan(18);
      // What is remembered is what the run says the registrar accepted (doctor remembers the same).
      const rates = JSON.parse(readFileSync(join(state, "regdom", "rates.json"), "utf8")).rates;
      expect(Math.abs((Object.values(rates) as { rate: number }[])[0]!.rate - found)).toBeLessThanOrEqual(0.051); // printed to one decimal
      sb.requests.length = 0;
      const second = await bulk(sb, ["plan", m, "--rate", "auto", "--concurrency", "8"], {
        env: { XDG_STATE_HOME: state },
      });
      expect(second.code).toBe(0);
      expect(sb.requests.filter((r) => r.fault === "rate-limited").length).toBeLessThanOrEqual(1);
    } finally {
      await sb.close();
    }
  });
  it("is the default (auto:20): without --rate a run finds the limit, and the next starts from it", async () => {
    const sb = await sandbox({ seed: 90, faults: { rateLimit: 10, latencyMs: 10 } });
    try {
      const dir = await tempDir();
      const state = mkdtempSync(join(tmpdir(), "regdom-rate-"));
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\ndomains:\n${[...sb.state.domains.keys()].map((n) => `  ${n}:\n    lock: true\n`).join("")}`,
      );
      const first = await bulk(sb, ["plan", m, "--concurrency", "8"], { env: { XDG_STATE_HOME: state } });
      expect(first.code, first.stderr).toBe(0);
      const found = Number(/the registrar accepted ~([\d.]+) req\/s/.exec(first.stderr)?.[1]);
      expect(found).toBeGreaterThan(6);
      expect(found).toBeLessThan(14);
      const remembered = JSON.parse(readFileSync(join(state, "regdom", "rates.json"), "utf8"));
      expect(Object.values(remembered.rates)).toHaveLength(1);
      sb.requests.length = 0;
      // Where the second run starts (the remembered rate, capped at 20) is resolveConnection's
      // (connection.test.ts); here: it runs near the limit, not into it.
      const second = await bulk(sb, ["plan", m, "--concurrency", "8"], { env: { XDG_STATE_HOME: state } });
      expect(second.code).toBe(0);
      const refused = sb.requests.filter((r) => r.fault === "rate-limited").length;
      expect(refused).toBeLessThanOrEqual(Math.ceil(sb.requests.length * 0.03));
    } finally {
      await sb.close();
    }
  });
  it("refuses a rate that is neither a number nor auto", async () => {
    const r = await bulk(undefined, ["plan", "x.yaml", "--rate", "fast"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rate must be a number above 0, auto or auto:MAX/);
  });
});
