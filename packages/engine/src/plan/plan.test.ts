import type { DnsRecord, Forwarding, RegistrarClient } from "@regdom/core";
import {
  compareForwardings,
  compareRecords,
  type DesiredDomain,
  emptyManifest,
  type Manifest,
  normalizeRecord,
  Problems,
  readYamlManifest,
} from "@regdom/manifest";
import type { Sandbox } from "@regdom/sandbox";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { yearsToReach } from "./diffSections.js";
import type { Change, LiveState } from "./model.js";
import { planDomain } from "./planDomain.js";
import { planPortfolio } from "./planPortfolio.js";
import { renderPlanMarkdown, renderPlanText } from "./renderPlan.js";

function manifest(yaml: string): Manifest {
  const m = emptyManifest();
  const p = new Problems();
  readYamlManifest(yaml, "m.yaml", p, m);
  expect(p.errors).toEqual([]);
  return m;
}

describe("yearsToReach", () => {
  it("is the fewest whole years bringing expiry to the target", () => {
    expect(yearsToReach("2027-06-01", "2027-06-01")).toBe(0);
    expect(yearsToReach("2027-06-01", "2027-06-02")).toBe(1);
    expect(yearsToReach("2027-06-01", "2029-06-01")).toBe(2);
    expect(yearsToReach("2027-06-01", "2029-06-02")).toBe(3);
  });
});

describe("plan against the sandbox", () => {
  let sandbox: Sandbox;
  let client: RegistrarClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ sandbox, client, close } = await sandboxAndClient({ seed: 10 }));
  });
  afterAll(() => close());

  it("reads only the managed sections (and Sync only where needed)", async () => {
    const names = [...sandbox.state.domains.keys()];
    const m = manifest(`version: 1
domains:
  ${names[0]}:
    lock: true
  ${names[1]}:
    dns: []
    expires_not_before: 2020-01-01
  ${names[2]}:
    autorenew: true
`);
    const before = sandbox.requests.length;
    await planPortfolio(client, m);
    const seen = sandbox.requests
      .slice(before)
      .map((r) => `${r.domain} ${r.action}`)
      .sort();
    expect(seen).toEqual([`${names[0]} domaingetlockingstatus`, `${names[1]} getdns`, `${names[1]} sync`].sort());
  });

  it("shows no noise: trailing dots, case, quotes and IPv6 spelling are no change", async () => {
    const d = sandbox.state.get([...sandbox.state.domains.keys()][3]!)!;
    d.dns = [
      { hostname: "@", type: "MX", address: "MX.A.SE.", priority: "10" },
      { hostname: "@", type: "TXT", address: '"v=spf1 -all"', priority: null },
      { hostname: "v6", type: "AAAA", address: "2001:DB8:0::1", priority: null },
      { hostname: "www", type: "CNAME", address: "xn--rksmrgs-5wao1o.se.", priority: null },
    ];
    d.nameservers = ["NS1.HOST.SE", "ns2.host.se."];
    const m = manifest(`version: 1
domains:
  ${d.name}:
    nameservers: [ns2.host.se, ns1.host.se]
    dns:
      - {host: "@", type: MX, address: mx.a.se, priority: 10}
      - {host: "@", type: TXT, address: v=spf1 -all}
      - {host: v6, type: AAAA, address: "2001:db8::1"}
      - {host: www.${d.name}., type: CNAME, address: räksmörgås.se}
`);
    const plan = await planPortfolio(client, m);
    expect(plan.domains[0]!.changes).toEqual([]);
    expect(renderPlanText(plan)).toBe("No changes.\n");
  });

  it("plans IDN domains and targets, showing additions, removals and modifications", async () => {
    sandbox.state.domains.set("xn--rksmrgs-5wao1o.se", {
      name: "xn--rksmrgs-5wao1o.se",
      status: "Active",
      expiryDate: "2027-03-01",
      nameservers: ["ns1.a.se", "ns2.a.se"],
      locked: false,
      autorenew: false,
      registrant: {
        Name: "Anna",
        Company: "",
        Address: "",
        City: "Umeå",
        Country: "SE",
        Zip_Code: "",
        Email: "a@b.se",
        Telephone: "N/A",
      },
      dns: [
        { hostname: "@", type: "MX", address: "mx.xn--rksmrgs-5wao1o.se", priority: "10" },
        { hostname: "old", type: "A", address: "192.0.2.9", priority: null },
      ],
      forwarding: [{ prefix: "info", forwardto: "a@b.se" }],
      eppcode: "x",
      childNameservers: {},
    });
    const m = manifest(`version: 1
domains:
  räksmörgås.se:
    lock: true
    registrant: {city: Göteborg}
    dns:
      - {host: "@", type: MX, address: mx.räksmörgås.se, priority: 20}
      - {host: ny, type: A, address: 192.0.2.1}
    forwarding: []
    expires_not_before: 2029-01-01
`);
    const plan = await planPortfolio(client, m);
    const text = renderPlanText(plan);
    expect(text).toContain("~ räksmörgås.se (xn--rksmrgs-5wao1o.se)");
    expect(text).toContain("~ dns @ MX 10 mx.xn--rksmrgs-5wao1o.se -> priority 20");
    expect(text).toContain("- dns old A 192.0.2.9");
    expect(text).toContain("+ dns ny A 192.0.2.1");
    expect(text).toContain("- forwarding info -> a@b.se");
    expect(text).toContain('~ registrant city: "Umeå" -> "Göteborg"');
    expect(text).toContain("~ lock: false -> true");
    expect(text).toContain(
      "~ renew 2 years: expiry 2027-03-01 -> 2029-03-01 (expires_not_before 2029-01-01)  [money: price unknown]",
    );
    expect(text).toMatch(/money: 0 register, 0 transfer, 1 renew \(2 years in total\)\.$/m);
    expect(renderPlanMarkdown(plan)).toContain("| ~ | räksmörgås.se |");
  });

  it("plans register for an absent domain and errors for an absent one without a purchase", async () => {
    const m = manifest(`version: 1
owners:
  acme: {firstname: A, lastname: B, address1: Gatan 1, city: Umeå, postcode: "903 25", country: SE, phone: "+46.701234567", email: a@b.se}
domains:
  helt-ny.se:
    register: {years: 1, owner: acme}
    dns: [{host: "@", type: A, address: 192.0.2.1}]
  saknas.se:
    lock: true
`);
    const before = sandbox.requests.length;
    const plan = await planPortfolio(client, m);
    expect(plan.domains.find((d) => d.name === "helt-ny.se")!.action).toBe("create");
    expect(plan.domains.find((d) => d.name === "saknas.se")!.error).toMatch(/not in the account/);
    // The purchase asks Sync first and reads nothing more once it answers "not found".
    expect(
      sandbox.requests
        .slice(before)
        .filter((r) => r.domain === "helt-ny.se")
        .map((r) => r.action),
    ).toEqual(["sync"]);
  });
});

// ---- property: applying the plan's changes to the live state gives the desired state ----

const rec: fc.Arbitrary<DnsRecord> = fc
  .record({
    host: fc.constantFrom("@", "www", "mail"),
    type: fc.constantFrom("A" as const, "MX" as const, "TXT" as const),
    address: fc.constantFrom("192.0.2.1", "192.0.2.2", "mx.a.se", "text"),
    priority: fc.constantFrom(null, 10, 20),
  })
  .map((r) =>
    normalizeRecord(
      {
        ...r,
        address: r.type === "A" ? "192.0.2.1" : r.type === "MX" ? r.address.replace(/^\d.*/, "mx.b.se") : r.address,
        priority: r.type === "MX" ? (r.priority ?? 5) : null,
      },
      "a.se",
    ),
  );
const fwd: fc.Arbitrary<Forwarding> = fc.record({
  prefix: fc.constantFrom("info", "sales"),
  to: fc.constantFrom("a@b.se", "c@d.se"),
});
const glueArb = fc.dictionary(
  fc.constantFrom("ns1.a.se", "ns2.a.se"),
  fc.uniqueArray(fc.constantFrom("192.0.2.53", "192.0.2.54", "2001:db8::53"), { minLength: 1, maxLength: 2 }),
);
const ns = fc.uniqueArray(fc.constantFrom("ns1.a.se", "ns2.a.se", "ns3.b.se"), { minLength: 1, maxLength: 3 });
const registrant = fc.record(
  {
    name: fc.constantFrom("A", "B"),
    city: fc.constantFrom("Umeå", "Malmö"),
    email: fc.constantFrom("a@b.se", "c@d.se"),
  },
  { requiredKeys: [] },
);

const liveArb: fc.Arbitrary<LiveState> = fc.record({
  exists: fc.constant(true),
  nameservers: ns,
  lock: fc.boolean(),
  registrant,
  dns: fc.array(rec, { maxLength: 6 }),
  forwarding: fc.uniqueArray(fwd, { maxLength: 2, selector: (f) => f.prefix }),
  glue: glueArb,
});
const desiredArb = fc.record(
  {
    nameservers: ns,
    lock: fc.boolean(),
    registrant: registrant.filter((r) => Object.keys(r).length > 0),
    dns: fc.array(rec, { maxLength: 6 }),
    forwarding: fc.uniqueArray(fwd, { maxLength: 2, selector: (f) => f.prefix }),
    glue: glueArb,
  },
  { requiredKeys: [] },
);

function applyInMemory(live: LiveState, changes: Change[]): LiveState {
  const out = structuredClone(live);
  for (const c of changes) {
    if (c.section === "nameservers") out.nameservers = c.after;
    if (c.section === "lock") out.lock = c.after;
    if (c.section === "registrant") out.registrant = { ...out.registrant, ...c.after };
    if (c.section === "dns") out.dns = c.after;
    if (c.section === "forwarding") out.forwarding = c.after;
    if (c.section === "glue" || c.section === "glue-delete") {
      const glue = { ...out.glue, ...c.after };
      out.glue = Object.fromEntries(Object.entries(glue).filter(([, a]) => a.length > 0));
    }
  }
  return out;
}

describe("plan property", () => {
  it("applying the changes yields the desired managed sections and leaves the others untouched", () => {
    fc.assert(
      fc.property(liveArb, desiredArb, (live, desiredSections) => {
        const d = { name: "a.se", display: "a.se", source: { file: "t" }, ...desiredSections } as DesiredDomain;
        const plan = planDomain(d, live, {});
        if (plan.action === "error") {
          // Refused input only: hosts under the domain without glue, an address the API cannot remove
          // alone, or glue deleted for a host the nameservers after the apply still name.
          expect(plan.inputError).toBe(true);
          expect(plan.error).toMatch(/under a\.se, and the|cannot remove one address alone|would be deleted \(not in/);
          return;
        }
        const after = applyInMemory(live, plan.changes);
        const sorted = (x: DnsRecord[] | undefined) => [...(x ?? [])].sort(compareRecords);
        const sortedF = (x: Forwarding[] | undefined) => [...(x ?? [])].sort(compareForwardings);
        if (d.nameservers) expect([...after.nameservers!].sort()).toEqual([...d.nameservers].sort());
        else expect(after.nameservers).toEqual(live.nameservers);
        if (d.lock !== undefined) expect(after.lock).toBe(d.lock);
        else expect(after.lock).toBe(live.lock);
        if (d.registrant) expect(after.registrant).toMatchObject(d.registrant);
        else expect(after.registrant).toEqual(live.registrant);
        if (d.dns) expect(sorted(after.dns)).toEqual(sorted(d.dns));
        else expect(after.dns).toEqual(live.dns);
        if (d.forwarding) expect(sortedF(after.forwarding)).toEqual(sortedF(d.forwarding));
        else expect(after.forwarding).toEqual(live.forwarding);
        const sortedG = (g: Record<string, string[]> | undefined) =>
          Object.fromEntries(Object.entries(g ?? {}).map(([h, a]) => [h, [...a].sort()]));
        expect(sortedG(after.glue)).toEqual(sortedG(d.glue ?? live.glue));
        // And planning again against the result finds nothing to do.
        expect(planDomain(d, after, {}).changes).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
