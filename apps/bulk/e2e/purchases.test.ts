/**
 * Registrations and transfers for real, through the built CLI: owner profile extras and
 * per-domain ones (which win), the admin contact, validation before anything is sent, transfers
 * followed to the end, and the expiry calendar.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir, writesIn } from "./env.js";

const OWNERS = `owners:
  acme:
    firstname: Anna
    lastname: Berg
    address1: Storgatan 1
    city: Umeå
    postcode: "903 25"
    country: SE
    phone: "+46.701234567"
    email: anna@acme.se
    admin: bo
    idprotection: true
    domainfields: {orgnr: "5566778899", lang: sv}
  bo: {firstname: Bo, lastname: Admin, address1: Gatan 2, city: Luleå, postcode: "971 85", country: SE, phone: "+46.702222222", email: bo@acme.se}
`;

describe("registrations send everything the reference accepts", () => {
  it("owner profile extras with the domain's laid over them, and the admin contact", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const dir = await tempDir();
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\n${OWNERS}domains:\n  ny-ett.se:\n    register: {years: 1, owner: acme, domainfields: {lang: en}, dnsmanagement: false}\n  ny-tva.se:\n    register: {years: 2, owner: acme}\n`,
      );
      const plan = await bulk(sb, ["plan", m]);
      expect(plan.stdout).toContain(
        "+ register 1 year (owner acme, admin bo, domainfields orgnr, lang, idprotection on, dnsmanagement off)",
      );
      const r = await bulk(sb, ["apply", m, "--yes", "--allow-purchases", "--run-dir", join(dir, "run")]);
      expect(r.code, r.stderr).toBe(0);
      expect(sb.state.get("ny-ett.se")!.purchase).toEqual({
        domainfields: { orgnr: "5566778899", lang: "en" },
        idprotection: "1",
        dnsmanagement: "0",
        admin: expect.objectContaining({ adminfirstname: "Bo", adminemail: "bo@acme.se" }),
      });
      expect(sb.state.get("ny-tva.se")!.purchase?.domainfields).toEqual({ orgnr: "5566778899", lang: "sv" });
    } finally {
      await sb.close();
    }
  });

  it("an admin that names no profile, or a flag that is not a boolean, is refused before anything is sent", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const dir = await tempDir();
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\n${OWNERS}domains:\n  ny.se:\n    register: {years: 1, owner: acme, admin: nobody, idprotection: maybe}\n`,
      );
      const r = await bulk(sb, ["apply", m, "--yes", "--allow-purchases"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/admin "nobody" of ny\.se is not defined/);
      expect(r.stderr).toMatch(/idprotection "maybe" is not a boolean/);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });

  it("the CSV kinds carry it too (owners and lifecycle columns)", async () => {
    const dir = await tempDir();
    writeFileSync(
      join(dir, "owners.csv"),
      "owner,firstname,lastname,address1,city,postcode,country,phone,email,domainfields,idprotection\nacme,Anna,Berg,Gatan 1,Umeå,903 25,SE,+46.701234567,a@b.se,orgnr=5566778899; lang=sv,ja\n",
    );
    writeFileSync(
      join(dir, "lifecycle.csv"),
      "domain,operation,years,owner,authcode,emailforwarding\nny.se,register,1,acme,,nej\n",
    );
    const r = await bulk(undefined, ["validate", dir, "--json"]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("transfers followed to the end", () => {
  it("pending (exit 4), then completed with the new expiry, or failed with the reason (exit 1)", async () => {
    // Transfers stay pending until this test settles them: no delay races the next CLI's start.
    const sb = await sandbox({ seed: 1, manualTransfers: true });
    try {
      const dir = await tempDir();
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\n${OWNERS}domains:\n  flytt-ett.se:\n    transfer: {years: 1, owner: acme, authcode: gd23h231s21}\n  flytt-tva.nu:\n    transfer: {years: 1, owner: acme, authcode: reject-me}\n`,
      );
      expect((await bulk(sb, ["apply", m, "--yes", "--allow-purchases", "--run-dir", join(dir, "run")])).code).toBe(0);
      const pending = await bulk(sb, ["transfers", m]);
      expect(pending.code).toBe(4);
      expect(pending.stdout).toMatch(/flytt-ett\.se\s+pending/);
      expect(pending.stdout).toMatch(/flytt-tva\.nu\s+pending/);
      // The watch sees both pending in its first round; they end once it has looked (the last
      // request of a round is a Sync), and its next round reports how.
      const firstRound = sb.nextRequest({ action: "sync", domain: "flytt-ett.se" });
      const watching = bulk(sb, ["transfers", m, "--watch", "--interval", "0.2", "--timeout", "3600"]);
      await firstRound;
      expect(sb.settleTransfers()).toEqual(["flytt-ett.se", "flytt-tva.nu"]);
      const watched = await watching;
      // The table each round: first both pending, then how they ended.
      const tables = watched.stdout.split(/^(?=domain\s+state)/m).filter(Boolean);
      expect(tables.length).toBeGreaterThanOrEqual(2);
      expect(tables[0]).toMatch(/flytt-ett\.se\s+pending/);
      expect(tables.at(-1)).toMatch(/flytt-ett\.se\s+completed/);
      const rows = JSON.parse((await bulk(sb, ["transfers", m, "--json"])).stdout);
      expect(rows).toEqual([
        { domain: "flytt-ett.se", state: "completed", expiry: sb.state.get("flytt-ett.se")!.expiryDate },
        { domain: "flytt-tva.nu", state: "failed", reason: expect.stringMatching(/rejected the transfer/) },
      ]);
      expect(watched.code).toBe(1);
      // Once completed, the next plan no longer waits for it.
      expect((await bulk(sb, ["plan", m])).stdout).not.toMatch(/Waiting for a transfer.*flytt-ett/);
    } finally {
      await sb.close();
    }
  });
});

describe("the expiry calendar", () => {
  it("lists domains expiring within the window, soonest first, as CSV; exit 4 when any", async () => {
    const sb = await sandbox({ seed: 6 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
      sb.state.get(names[0]!)!.expiryDate = soon(40);
      sb.state.get(names[1]!)!.expiryDate = soon(10);
      for (const n of names.slice(2)) sb.state.get(n)!.expiryDate = soon(400);
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\ndomains:\n  ${names[0]}:\n    autorenew: true\n    expires_not_before: ${soon(100)}\n  ${names[1]}:\n    lock: true\n${names
          .slice(2)
          .map((n) => `  ${n}:\n    lock: true\n`)
          .join("")}`,
      );
      const r = await bulk(sb, ["expiring", m, "--within", "60d"]);
      expect(r.code).toBe(4);
      const lines = r.stdout.trim().split("\n");
      expect(lines[0]).toBe("domain,expiry,days,autorenew,expires_not_before_renews,renew_price_1y");
      expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([names[1], names[0]]);
      expect(lines[2]).toMatch(/,true,yes \(expires_not_before/);
      // JSON says booleans as booleans; null where the manifest does not manage autorenew.
      const json = JSON.parse((await bulk(sb, ["expiring", m, "--within", "60d", "--json"])).stdout);
      expect(json.map((r: Record<string, unknown>) => [r.autorenew, r.renews, r.expires_not_before])).toEqual([
        [null, false, null],
        [true, true, soon(100)],
      ]);
      expect(writesIn(sb)).toHaveLength(0);
      const none = await bulk(sb, ["expiring", m, "--within", "5d"]);
      expect(none.code).toBe(0);
    } finally {
      await sb.close();
    }
  });
});
