/**
 * Regressions of the "Trust" review: each test fails on the code before the fix. Live data the
 * model does not know survives, errors are classified by the registrar's own words, runs stop
 * early instead of hammering, and thresholds count updates.
 */

import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ApiError,
  AuthError,
  EndpointUnreachableError,
  parseAnswer,
  RateLimitedError,
  RegistrarClient,
} from "@regdom/core";
import { emptyManifest, type Manifest, Problems, readYamlManifest, writeYamlManifest } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { applyPlan } from "./apply/applyPlan.js";
import { Journal } from "./apply/journal.js";
import { checkSafety } from "./apply/safety.js";
import { exportPortfolio } from "./export/exportPortfolio.js";
import { planPortfolio } from "./plan/planPortfolio.js";
import { renderPlanText } from "./plan/renderPlan.js";
import { sandboxAndClient, TEST_EMAIL } from "./test-support/sandbox.js";

function manifest(yaml: string, p = new Problems()): Manifest {
  const m = emptyManifest();
  readYamlManifest(yaml, "m.yaml", p, m);
  expect(p.errors).toEqual([]);
  return m;
}

const journal = () => new Journal(join(mkdtempSync(join(tmpdir(), "regdom-trust-")), "journal.jsonl"));

const PANEL_RECORDS = [
  { hostname: "_sip._tcp", type: "SRV", address: "10 5060 sip.example.se", priority: "10" },
  { hostname: "@", type: "CAA", address: '0 issue "letsencrypt.org"', priority: null },
  { hostname: "sub", type: "NS", address: "ns1.other.se", priority: null },
  { hostname: "@", type: "SPF", address: "v=spf1 -all", priority: null },
  { hostname: "low", type: "txt", address: "lower-case type", priority: null },
];

describe("records of types the model does not check", () => {
  it("are read verbatim, kept by export, sent back by SaveDNS, and deleted only by a visible - line", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 2 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      const d = sandbox.state.get(name)!;
      d.dns = [
        { hostname: "@", type: "A", address: "192.0.2.1", priority: null },
        ...PANEL_RECORDS.map((r) => ({ ...r })),
      ];

      const live = await client.getDns(name);
      expect(live.map((r) => r.type)).toEqual(["A", "SRV", "CAA", "NS", "SPF", "txt"]);
      expect(live.find((r) => r.type === "SRV")).toEqual({
        host: "_sip._tcp",
        type: "SRV",
        address: "10 5060 sip.example.se",
        priority: 10,
      });

      // Export keeps them, and the export read back plans to no change.
      const exported = await exportPortfolio(client, [name], { sections: ["dns"] });
      const yaml = writeYamlManifest(exported.manifest);
      for (const t of ["SRV", "CAA", "NS", "SPF"]) expect(yaml).toContain(`type: ${t}`);
      // A panel's lower-case txt is a TXT record: kept, compared and sent as one.
      expect(yaml).toContain("{host: low, type: TXT, address: lower-case type}");
      const p = new Problems();
      const back = manifest(yaml, p);
      expect(p.warnings.length).toBe(4);
      expect(renderPlanText(await planPortfolio(client, back))).toBe("No changes.\n");

      // A change elsewhere in the zone sends them back unchanged.
      const changed = manifest(yaml.replace("192.0.2.1", "192.0.2.2"));
      const plan = await planPortfolio(client, changed);
      await applyPlan(client, plan, { mode: "fresh", journal: journal() });
      expect(sandbox.state.get(name)!.dns).toEqual(
        expect.arrayContaining([
          { hostname: "@", type: "A", address: "192.0.2.2", priority: null },
          ...PANEL_RECORDS.filter((r) => r.type !== "txt"),
          { hostname: "low", type: "TXT", address: "lower-case type", priority: null },
        ]),
      );
      expect(sandbox.state.get(name)!.dns).toHaveLength(6);

      // A manifest that leaves one out deletes it with an ordinary, visible line.
      const without = manifest(
        yaml
          .split("\n")
          .filter((l) => !l.includes("_sip._tcp"))
          .join("\n"),
      );
      const text = renderPlanText(await planPortfolio(client, without));
      expect(text).toContain("- dns _sip._tcp SRV 10 10 5060 sip.example.se");
    } finally {
      await close();
    }
  });

  it("an element of GetDNS that cannot be read is an error naming the action, never an empty zone", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 1 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      sandbox.state.get(name)!.dns = [{ hostname: "@", type: "", address: "192.0.2.1", priority: null }];
      const e = await client.getDns(name).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect((e as Error).message).toMatch(
        /^GetDNS .*: a zone element cannot be read \(it has no type\): \{"hostname":"@"/,
      );
    } finally {
      await close();
    }
  });
});

describe("contact types beside the registrant", () => {
  it("are sent back as read when the registrant changes, so Admin and Tech survive", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 2 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      const admin = { Name: "Bo Admin", Email: "admin@example.se" };
      const tech = { Name: "Tech AB", Email: "tech@example.se" };
      sandbox.state.get(name)!.otherContacts = { Admin: { ...admin }, Tech: { ...tech } };
      const m = manifest(`version: 1\ndomains:\n  ${name}:\n    registrant: {city: Kiruna}\n`);
      const plan = await planPortfolio(client, m);
      await applyPlan(client, plan, { mode: "fresh", journal: journal() });
      expect(sandbox.state.get(name)!.registrant.City).toBe("Kiruna");
      expect(sandbox.state.get(name)!.otherContacts).toEqual({ Admin: admin, Tech: tech });
      // The export keeps them as read-only fields.
      const exported = await exportPortfolio(client, [name], { sections: ["registrant"] });
      expect(writeYamlManifest(exported.manifest)).toMatch(/contacts:\n\s+Admin:\n\s+Name: Bo Admin/);
    } finally {
      await close();
    }
  });
});

describe("errors are classified by what the registrar said", () => {
  it("a domain named notfound.se whose Sync fails for another reason is not read as absent (no RegisterDomain)", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 0 });
    try {
      // The sandbox holds the domain; Sync fails with a message that is not "not found".
      await client.registerDomain("notfound.se", {
        years: 1,
        owner: { firstname: "A", lastname: "B", address1: "G 1", city: "C", country: "SE", email: "a@b.se" },
      });
      sandbox.faults.failActions = { sync: "Internal error, try later" };
      const m = manifest(`version: 1
owners:
  o: {firstname: A, lastname: B, address1: Gatan 1, city: Umeå, postcode: "903 25", country: SE, phone: "+46.701234567", email: a@b.se}
domains:
  notfound.se:
    register: {years: 1, owner: o}
`);
      const plan = await planPortfolio(client, m);
      expect(plan.domains[0]!.action).toBe("error");
      expect(plan.domains[0]!.changes).toEqual([]);
    } finally {
      await close();
    }
  });

  it("a sentence with the word limit is the registrar's refusal, not a rate limit", () => {
    const ctx = { action: "SaveDNS", domain: "a.se" };
    const e = (() => {
      try {
        parseAnswer('{"result":"error","msg":"TXT record exceeds the length limit"}', ctx);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(ApiError);
    expect(e).not.toBeInstanceOf(RateLimitedError);
    expect((e as ApiError).registrarMessage).toBe("TXT record exceeds the length limit");
    expect(() => parseAnswer('{"result":"error","msg":"Too many requests, slow down"}', ctx)).toThrow(RateLimitedError);
    expect(() => parseAnswer('{"result":"error","msg":"Authentication failed"}', ctx)).toThrow(AuthError);
  });

  it("a refused SaveDNS is sent once, keeps the registrar's message, and does not slow the run", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 1 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      sandbox.faults.failActions = { savedns: "TXT record exceeds the length limit" };
      const e = await client.saveDns(name, []).catch((x: unknown) => x);
      expect((e as ApiError).registrarMessage).toBe("TXT record exceeds the length limit");
      expect(sandbox.requests.filter((r) => r.action === "savedns")).toHaveLength(1);
      expect(client.scheduler.limiter.rate).toBe(1000);
    } finally {
      await close();
    }
  });
});

describe("a run stops early instead of hammering", () => {
  it("a wrong token: the first refusal stops every later request (40 domains, 1 login)", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 40 }, { token: "wrong-token" });
    try {
      const names = [...sandbox.state.domains.keys()];
      const m = manifest(`version: 1\ndomains:\n${names.map((n) => `  ${n}:\n    lock: true\n`).join("")}`);
      const e = await planPortfolio(client, m).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AuthError);
      expect((e as Error).message).toMatch(/refused the credentials/);
      // Requests already in flight when the first answer came back may finish; nothing after.
      expect(sandbox.requests.length).toBeLessThanOrEqual(8);
    } finally {
      await close();
    }
  });

  it("a refused connection stops the run after a few tries, not six retries per domain", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const client = new RegistrarClient({
      endpoint: `http://127.0.0.1:${port}/api.php`,
      token: "t0ken",
      authEmail: TEST_EMAIL,
      rate: 1000,
      minBackoffMs: 1,
    });
    let attempts = 0;
    client.events.on((e) => {
      if (e.type === "request-start") attempts++;
    });
    try {
      const m = manifest(
        `version: 1\ndomains:\n${Array.from({ length: 30 }, (_, i) => `  d${i}.se:\n    lock: true\n`).join("")}`,
      );
      const e = await planPortfolio(client, m).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(EndpointUnreachableError);
      expect(attempts).toBeLessThanOrEqual(3 + 4);
    } finally {
      await client.close();
    }
  });
});

describe("money and thresholds", () => {
  it("expires_not_before more than 10 years of renewal away is refused, at validate and at plan", async () => {
    const p = new Problems();
    readYamlManifest(
      `version: 1\ndomains:\n  a.se:\n    expires_not_before: 2099-01-01\n`,
      "m.yaml",
      p,
      emptyManifest(),
    );
    expect(p.errors[0]?.message).toMatch(/more than 10 years ahead/);
    const { sandbox, client, close } = await sandboxAndClient({ seed: 1 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      sandbox.state.get(name)!.expiryDate = "2026-01-01";
      const target = `${Number(new Date().toISOString().slice(0, 4)) + 10}-06-01`;
      const plan = await planPortfolio(
        client,
        manifest(`version: 1\ndomains:\n  ${name}:\n    expires_not_before: ${target}\n`),
      );
      expect(plan.domains[0]!.inputError).toBe(true);
      expect(plan.domains[0]!.error).toMatch(/more than 10 years of renewal/);
    } finally {
      await close();
    }
  });

  it("a money line shows years, the expiry before and the expiry after", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 1 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      sandbox.state.get(name)!.expiryDate = "2027-03-01";
      const text = renderPlanText(
        await planPortfolio(client, manifest(`version: 1\ndomains:\n  ${name}:\n    expires_not_before: 2029-01-01\n`)),
      );
      expect(text).toContain(
        "~ renew 2 years: expiry 2027-03-01 -> 2029-03-01 (expires_not_before 2029-01-01)  [money: price unknown]",
      );
    } finally {
      await close();
    }
  });

  it("rewriting 12 of 12 A records is refused without --force (updates count, as octoDNS counts them)", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 1 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      sandbox.state.get(name)!.dns = Array.from({ length: 12 }, (_, i) => ({
        hostname: `h${i}`,
        type: "A",
        address: `192.0.2.${i + 1}`,
        priority: null,
      }));
      const m = manifest(
        `version: 1\ndomains:\n  ${name}:\n    dns:\n${Array.from({ length: 12 }, (_, i) => `      - {host: h${i}, type: A, address: 198.51.100.${i + 1}}\n`).join("")}`,
      );
      const plan = await planPortfolio(client, m);
      expect(() => checkSafety(plan, {})).toThrow(
        /12 of the 12 entries of the zone would change \(over 30%\).*--max-update-pct/,
      );
      expect(() => checkSafety(plan, { force: true })).not.toThrow();
      expect(() => checkSafety(plan, { maxUpdatePct: 100 })).not.toThrow();
    } finally {
      await close();
    }
  });
});
