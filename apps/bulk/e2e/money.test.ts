/**
 * Money known before it is spent: against a registrar that offers CreditAmount and GetPricing
 * (the modules dialect), the plan prices every money line and shows the balance after; apply
 * refuses purchases over the balance or over --max-spend with nothing bought. Against the
 * reference dialect, prices are "price unknown", never guessed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk as bulkAny, sandbox, tempDir } from "./env.js";

/** The modules dialect names the login e-mail `email`. */
const bulk: typeof bulkAny = (sb, args, opts = {}) =>
  bulkAny(sb, args, { ...opts, env: { REGDOM_AUTH_FIELD: "email", ...opts.env } });

const OWNERS = `owners:
  acme: {firstname: Anna, lastname: Berg, address1: Storgatan 1, city: Umeå, postcode: "903 25", country: SE, phone: "+46.701234567", email: anna@acme.se}
`;
const PRICES = {
  se: { register: { "1": "99.00", "2": "190.00" }, renew: { "1": "89.50" }, transfer: { "1": "79.00" } },
};

async function manifest(domains: string): Promise<string> {
  const dir = await tempDir();
  const m = join(dir, "m.yaml");
  writeFileSync(m, `version: 1\n${OWNERS}domains:\n${domains}`);
  return m;
}

const bought = (sb: { requests: { action: string; outcome: string }[] }) =>
  sb.requests.filter((r) => /^(register|transfer|renew)domain$/.test(r.action) && r.outcome === "success");

describe("money known before it is spent", () => {
  it("plan prices each money line, totals them and shows the balance after (text, JSON, markdown, HTML)", async () => {
    const sb = await sandbox({ dialect: "modules", balance: "500.00", prices: PRICES });
    try {
      const m = await manifest(
        "  ny-ett.se:\n    register: {years: 1, owner: acme}\n  ny-tva.se:\n    register: {years: 2, owner: acme}\n  ny.nu:\n    register: {years: 1, owner: acme}\n",
      );
      const text = await bulk(sb, ["plan", m]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain("+ register 1 year (owner acme): expiry (none) -> ");
      expect(text.stdout).toMatch(/ny-ett\.se\n\s+\+ register 1 year .*\[money: 99\.00\]/);
      expect(text.stdout).toMatch(/ny-tva\.se\n\s+\+ register 2 years .*\[money: 190\.00\]/);
      expect(text.stdout).toMatch(/ny\.nu\n\s+\+ register 1 year .*\[money: price unknown\]/);
      expect(text.stdout).toContain("Money: 289.00 in total and 1 line(s) of unknown price; balance 500.00.");
      const json = JSON.parse((await bulk(sb, ["plan", m, "--format", "json"])).stdout);
      expect(json.money).toEqual({
        pricing: true,
        lines: [
          { domain: "ny-ett.se", section: "register", years: 1, price: "99.00" },
          { domain: "ny-tva.se", section: "register", years: 2, price: "190.00" },
          { domain: "ny.nu", section: "register", years: 1, price: null },
        ],
        total: "289.00",
        unknown: 1,
        balance: "500.00",
      });
      const md = (await bulk(sb, ["plan", m, "--format", "markdown"])).stdout;
      expect(md).toContain("[money: 190.00]");
      expect(md).toContain("Money: 289.00 in total");
      const html = (await bulk(sb, ["plan", m, "--format", "html"])).stdout;
      expect(html).toContain('<td class="n">190.00</td>');
      expect(html).toContain("Money: 289.00 in total");
      expect(bought(sb)).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });

  it("apply refuses (exit 3, nothing bought) over the balance or over --max-spend; within, the balance is drawn down", async () => {
    const sb = await sandbox({ dialect: "modules", balance: "150.00", prices: PRICES });
    try {
      const dir = await tempDir();
      const two = await manifest(
        "  ny-ett.se:\n    register: {years: 1, owner: acme}\n  ny-tva.se:\n    register: {years: 1, owner: acme}\n",
      );
      const plan = await bulk(sb, ["plan", two]);
      expect(plan.stdout).toContain("Money: 198.00 in total; balance 150.00, after -48.00 (over the balance).");
      const over = await bulk(sb, ["apply", two, "--yes", "--allow-purchases", "--run-dir", join(dir, "a")]);
      expect(over.code, over.stderr).toBe(3);
      expect(over.stderr).toContain("the purchases cost 198.00 in total, over the account balance 150.00");
      const one = await manifest("  ny-ett.se:\n    register: {years: 1, owner: acme}\n");
      const capped = await bulk(sb, [
        ...["apply", one, "--yes", "--allow-purchases", "--max-spend", "50", "--run-dir", join(dir, "b")],
      ]);
      expect(capped.code, capped.stderr).toBe(3);
      expect(capped.stderr).toContain("the purchases cost 99.00 in total, over --max-spend 50.00");
      expect(bought(sb)).toHaveLength(0);
      const ok = await bulk(sb, [
        ...["apply", one, "--yes", "--allow-purchases", "--max-spend", "100.00", "--run-dir", join(dir, "c")],
      ]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(bought(sb)).toHaveLength(1);
      expect(sb.account.balance).toBe(5100);
      const bad = await bulk(sb, ["apply", one, "--yes", "--max-spend", "ten"]);
      expect(bad.code).toBe(2);
    } finally {
      await sb.close();
    }
  });

  it("against the reference dialect: price unknown, never guessed; --max-spend cannot be checked", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const dir = await tempDir();
      const m = await manifest("  ny-ett.se:\n    register: {years: 1, owner: acme}\n");
      const plan = await bulkAny(sb, ["plan", m]);
      expect(plan.stdout).toContain("[money: price unknown]");
      expect(plan.stdout).toContain(
        "Money: price unknown (the registrar offers no GetPricing); balance unknown (the registrar offers no CreditAmount).",
      );
      const r = await bulkAny(sb, ["apply", m, "--yes", "--allow-purchases", "--max-spend", "100", "--run-dir", dir]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("--max-spend cannot be checked: the price of 1 money operation(s) is unknown");
      expect(bought(sb)).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });

  it("run counts its money rows as apply does: refused (exit 3, nothing bought) over the balance, over --max-spend, or of unknown price under --max-spend", async () => {
    const sb = await sandbox({ seed: 6, dialect: "modules", balance: "150.00", prices: PRICES });
    try {
      const dir = await tempDir();
      const [se1, se2, nu] = ["vind1.se", "vind3.se", "vind4.nu"];
      const expiries = [se1, se2, nu].map((n) => sb.state.get(n)!.expiryDate);
      const ops = async (name: string, domains: string[]) => {
        const f = join(dir, name);
        writeFileSync(f, `action,domain,regperiod\n${domains.map((d) => `RenewDomain,${d},1\n`).join("")}`);
        return f;
      };
      let runs = 0;
      const run = (file: string, ...more: string[]) =>
        bulk(sb, ["run", file, "--yes", "--allow-purchases", "--run-dir", join(dir, `run${++runs}`), ...more]);
      const over = await run(await ops("two.csv", [se1, se2]));
      expect(over.code, over.stderr).toBe(3);
      expect(over.stderr).toContain("refused, nothing was bought");
      expect(over.stderr).toContain("the purchases cost 179.00 in total, over the account balance 150.00");
      const one = await ops("one.csv", [se1]);
      const capped = await run(one, "--max-spend", "50");
      expect(capped.code, capped.stderr).toBe(3);
      expect(capped.stderr).toContain("the purchases cost 89.50 in total, over --max-spend 50.00");
      const unknown = await run(await ops("nu.csv", [nu]), "--max-spend", "500");
      expect(unknown.code, unknown.stderr).toBe(3);
      expect(unknown.stderr).toContain("--max-spend cannot be checked: the price of 1 money operation(s) is unknown");
      expect(bought(sb)).toHaveLength(0);
      expect(sb.requests.filter((r) => r.action === "renewdomain")).toHaveLength(0);
      expect([se1, se2, nu].map((n) => sb.state.get(n)!.expiryDate)).toEqual(expiries);
      const bad = await run(one, "--max-spend", "ten");
      expect(bad.code).toBe(2);
      const ok = await run(one, "--max-spend", "89.50");
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain("Money: 89.50 in total; balance 150.00, after 60.50.");
      expect(bought(sb)).toHaveLength(1);
      expect(sb.account.balance).toBe(6050);
    } finally {
      await sb.close();
    }
  });

  it("a purchase's domainfields are checked against GetDomainFields before anything is bought (exit 2, naming the domain and field)", async () => {
    const sb = await sandbox({ dialect: "modules", balance: "1000.00" });
    try {
      const dir = await tempDir();
      const bad = await manifest(
        "  ny-falt.se:\n    register: {years: 1, owner: acme}\n" +
          "  utan-falt.eu:\n    register: {years: 1, owner: acme}\n" +
          "  fel-falt.eu:\n    register: {years: 1, owner: acme, domainfields: {citizenship: XX}}\n",
      );
      const plan = await bulk(sb, ["plan", bad]);
      expect(plan.code, plan.stderr).toBe(2);
      const said = plan.stdout + plan.stderr;
      expect(said).toContain("domainfields citizenship is required by the registrar and missing (GetDomainFields .eu)");
      expect(said).toContain('domainfields citizenship "XX" is not one of SE, FI, DK, NO');
      const apply = await bulk(sb, ["apply", bad, "--yes", "--allow-purchases", "--run-dir", join(dir, "a")]);
      expect(apply.code, apply.stderr).toBe(2);
      expect(apply.stderr).toContain("refused, nothing was sent");
      expect(apply.stderr).toContain(
        "utan-falt.eu: register: domainfields citizenship is required by the registrar and missing",
      );
      expect(apply.stderr).toContain('fel-falt.eu: register: domainfields citizenship "XX" is not one of');
      expect(bought(sb)).toHaveLength(0);
      expect(sb.requests.filter((r) => r.changed)).toHaveLength(0);
      const good = await manifest(
        "  ny-falt.se:\n    register: {years: 1, owner: acme}\n" +
          "  med-falt.eu:\n    register: {years: 1, owner: acme, domainfields: {citizenship: FI}}\n",
      );
      const ok = await bulk(sb, ["apply", good, "--yes", "--allow-purchases", "--run-dir", join(dir, "b")]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(bought(sb)).toHaveLength(2);
      expect(sb.state.get("med-falt.eu")!.purchase?.domainfields).toEqual({ citizenship: "FI" });
    } finally {
      await sb.close();
    }
  });

  it("expiring gains the renewal price of each domain and the total", async () => {
    const sb = await sandbox({ seed: 3, dialect: "modules", prices: { ...PRICES, nu: { renew: { "1": "120.00" } } } });
    try {
      const names = [...sb.state.domains.keys()];
      const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
      for (const n of names) sb.state.get(n)!.expiryDate = soon;
      const m = await manifest(names.map((n) => `  ${n}: {lock: true}\n`).join(""));
      const r = await bulk(sb, ["expiring", m, "--within", "60d"]);
      expect(r.code).toBe(4);
      const rows = r.stdout.trim().split("\n").slice(1);
      const priceOf = (n: string) => (n.endsWith(".se") ? "89.50" : n.endsWith(".nu") ? "120.00" : "unknown");
      for (const n of names) expect(rows.find((l) => l.startsWith(`${n},`))).toMatch(new RegExp(`,${priceOf(n)}$`));
      const known = names.filter((n) => priceOf(n) !== "unknown");
      const total = known.reduce((a, n) => a + Number(priceOf(n)) * 100, 0) / 100;
      expect(r.stderr).toContain(`renewal total (1 year each): ${total.toFixed(2)} for ${known.length} domain(s)`);
    } finally {
      await sb.close();
    }
  });
});
