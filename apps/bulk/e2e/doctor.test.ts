/** `regdom-bulk doctor`: read-only, bounded, no token in its output, and a verdict with an exit code. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegistrarClient } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { bulk, EMAIL, sandbox, TOKEN, writesIn } from "./env.js";

describe("doctor", () => {
  it("checks endpoint, latency, credentials and each getter; names what is carried verbatim", async () => {
    const sb = await sandbox({ seed: 3 });
    try {
      const name = [...sb.state.domains.keys()][0]!;
      sb.state.get(name)!.dns.push({ hostname: "_sip._tcp", type: "SRV", address: "10 5060 sip.a.se", priority: "10" });
      sb.state.get(name)!.otherContacts = { Admin: { Name: "Bo" } };
      const r = await bulk(sb, ["doctor", name]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^ok\s+credentials\s+/m);
      expect(r.stdout).toMatch(/^ok\s+latency\s+median \d+ ms, 95th percentile \d+ ms \(5 reads\)/m);
      expect(r.stdout).toMatch(/^note\s+GetDNS\s+types regdom does not check, carried verbatim: SRV/m);
      expect(r.stdout).toMatch(/^note\s+GetContactDetails\s+Admin: sent back as read/m);
      expect(r.stdout).toMatch(/^ok\s+DNSSEC\s+unsigned \(no DS at the parent\)$/m);
      expect(r.stdout).toMatch(/^doctor: all good$/m);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      expect(writesIn(sb)).toHaveLength(0);
      // Against the reference dialect the actions beyond it are not offered.
      expect(r.stdout).toMatch(/^note\s+CreditAmount\s+not offered by this endpoint/m);
      expect(r.stdout).toMatch(/^note\s+GetPricing\s+not offered by this endpoint/m);
      // Bounded: 5 reads, one per optional read action, and one per getter.
      expect(sb.requests.length).toBe(5 + 3 + 6);
    } finally {
      await sb.close();
    }
  });
  it("reads each answer through the client's own reader: what the client refuses, doctor refuses in its words", async () => {
    const sb = await sandbox({ seed: 3 });
    try {
      const name = [...sb.state.domains.keys()][0]!;
      // An MX without its priority: the client refuses the zone (never reads it as priority 0); a
      // second copy of its rules in doctor had called it fine.
      sb.state.get(name)!.dns.push({ hostname: "@", type: "MX", address: "mx.a.se", priority: null });
      const client = new RegistrarClient({ endpoint: sb.url, token: TOKEN, authEmail: EMAIL });
      const refused = await client.getDns(name).then(
        () => "",
        (e: Error) => e.message,
      );
      await client.close();
      expect(refused).toContain("a zone element of type MX has no priority");
      const r = await bulk(sb, ["doctor", name, "--json"]);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const checks: { check: string; level: string; detail: string }[] = JSON.parse(r.stdout).checks;
      expect(checks.filter((c) => c.level === "fail")).toEqual([{ level: "fail", check: "GetDNS", detail: refused }]);
    } finally {
      await sb.close();
    }
  });
  it("a wrong token: one failing line, the verdict, exit 1", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const r = await bulk(sb, ["doctor", "--json"], { env: { REGDOM_TOKEN: "wrong-token-1234" } });
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.ok).toBe(false);
      expect(out.checks.find((c: { check: string }) => c.check === "credentials").level).toBe("fail");
      // Refused with authemail, then once with email: two requests.
      expect(sb.requests).toHaveLength(2);
    } finally {
      await sb.close();
    }
  });
  it("detects a reseller that reads the login e-mail as email, remembers it, and never sends both", async () => {
    const sb = await sandbox({ seed: 1, authField: "email" });
    try {
      const state = mkdtempSync(join(tmpdir(), "regdom-doctor-"));
      const env = { XDG_STATE_HOME: state };
      const r = await bulk(sb, ["doctor"], { env });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /^note\s+auth field\s+the login was refused with "authemail" and accepted with "email"/m,
      );
      expect(r.stdout).toMatch(/^ok\s+auth field\s+the login e-mail is sent as "email"/m);
      // Remembered for the endpoint: the next command speaks email without being told.
      const name = [...sb.state.domains.keys()][0]!;
      const dir = mkdtempSync(join(tmpdir(), "regdom-af-"));
      writeFileSync(join(dir, "m.yaml"), `version: 1\ndomains:\n  ${name}: {lock: true}\n`);
      const before = sb.requests.length;
      const plan = await bulk(sb, ["plan", join(dir, "m.yaml")], { env });
      expect(plan.code, plan.stderr).toBe(0);
      const sent = sb.requests.slice(before);
      expect(sent.every((q) => q.outcome === "success")).toBe(true);
      // The sandbox strips the field it reads the login from; authemail is never sent beside it.
      expect(sent.every((q) => q.params?.authemail === undefined)).toBe(true);
      // Told explicitly, the other field is used (and refused here).
      const wrong = await bulk(sb, ["plan", join(dir, "m.yaml"), "--auth-field", "authemail"], { env });
      expect(wrong.code).toBe(1);
      const bad = await bulk(sb, ["plan", join(dir, "m.yaml")], { env: { ...env, REGDOM_AUTH_FIELD: "mail" } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('REGDOM_AUTH_FIELD must be authemail or email, got "mail"');
    } finally {
      await sb.close();
    }
  });
  it("shows the balance and which actions beyond the reference the endpoint offers", async () => {
    const sb = await sandbox({ seed: 1, dialect: "modules", balance: "150.50" });
    try {
      const r = await bulk(sb, ["doctor"]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^ok\s+CreditAmount\s+balance 150\.50$/m);
      expect(r.stdout).toMatch(/^ok\s+GetPricing\s+prices for 4 TLD\(s\)/m);
      expect(r.stdout).toMatch(/^ok\s+GetDomainFields\s+\.se asks for 1 field\(s\) \(provisional shape\)/m);
      expect(writesIn(sb)).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
  it("--probe-rate finds the rate in at most 100 reads and remembers it for --rate auto", async () => {
    const sb = await sandbox({ seed: 1, faults: { rateLimit: 20, latencyMs: 5 } });
    try {
      const state = mkdtempSync(join(tmpdir(), "regdom-doctor-"));
      const r = await bulk(sb, ["doctor", "--probe-rate", "100", "--concurrency", "8"], {
        env: { XDG_STATE_HOME: state },
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(sb.requests.length).toBeLessThanOrEqual(5 + 100 + 20);
      const rates = JSON.parse(readFileSync(join(state, "regdom", "rates.json"), "utf8")).rates;
      const [remembered] = Object.values(rates) as { rate: number }[];
      expect(remembered!.rate).toBeGreaterThan(5);
      expect(remembered!.rate).toBeLessThanOrEqual(21);
      // One meaning: what is remembered is what doctor says the registrar accepted (as a run does).
      const found = Number(/the registrar accepted ~([\d.]+) req\/s/.exec(r.stdout)?.[1]);
      expect(Math.abs(remembered!.rate - found)).toBeLessThanOrEqual(0.051); // printed to one decimal
    } finally {
      await sb.close();
    }
  });
  it("a closed port is an endpoint problem, not a credentials one", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as import("node:net").AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const r = await bulk(undefined, ["doctor", "--json", "--endpoint", `http://127.0.0.1:${port}/api.php`]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const checks: { check: string; level: string }[] = JSON.parse(r.stdout).checks;
    expect(checks.find((c) => c.level === "fail")?.check).toBe("endpoint");
    expect(checks.some((c) => c.check === "credentials")).toBe(false);
  });
  it("a TLS failure is an endpoint problem, not a credentials one", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      // The sandbox speaks plain HTTP: a TLS handshake with it fails before any request is written.
      const tls = sb.url.replace(/^http:/, "https:");
      const r = await bulk(undefined, ["doctor", "--json", "--endpoint", tls]);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const checks: { check: string; level: string; detail: string }[] = JSON.parse(r.stdout).checks;
      const failed = checks.filter((c) => c.level === "fail");
      expect(failed.map((c) => c.check)).toEqual(["endpoint"]);
      expect(failed[0]!.detail).toMatch(/TLS|SSL/i);
      expect(checks.some((c) => c.check === "credentials")).toBe(false);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
    } finally {
      await sb.close();
    }
  });
  it("a bad --probe-rate value is exit 2 before any request", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      for (const bad of ["abc", "0", "-5"]) {
        const r = await bulk(sb, ["doctor", `--probe-rate=${bad}`]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/--probe-rate/);
      }
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
