/**
 * A saved plan (plan.json) is decoded with each section module's own schema: every section's
 * change comes back field for field in the order plan wrote it, and a desired domain's keys in the
 * order saved plans have always listed them, so a plan re-written from what was read (a run
 * folder's plan.json) is byte-for-byte what it was.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Change, Plan } from "../plan/model.js";
import { renderPlanJson } from "../plan/renderPlan.js";
import { SECTIONS } from "../sections/index.js";
import { readPlanFile } from "./runFolder.js";

const rec = { host: "@", type: "MX", address: "mx.a.se", priority: 10 };
const fw = { prefix: "info", to: "x@y.se" };
const profile = { firstname: "A", lastname: "B" };
const sent = {
  admin: "adm",
  adminProfile: profile,
  domainfields: { k: "v" },
  idprotection: true,
  dnsmanagement: true,
  emailforwarding: false,
};
/** One change of every section, each with every field it may have, in the order plan writes them. */
const changes: Change[] = [
  { section: "register", years: 2, owner: "o", profile, expiryAfter: "2028-01-01", ...sent },
  { section: "transfer", years: 1, owner: "o", profile, authcode: "sec", ...sent },
  { section: "renew", years: 1, expiry: "2027-01-01", target: "2028-01-01", expiryAfter: "2028-01-01" },
  { section: "glue", before: { "ns1.a.se": [] }, after: { "ns1.a.se": ["192.0.2.1"] }, unseen: ["ns1.a.se"] },
  { section: "nameservers", before: ["a"], after: ["b"] },
  { section: "glue-delete", before: { "ns2.a.se": ["192.0.2.2"] }, after: { "ns2.a.se": [] } },
  { section: "lock", before: null, after: true },
  { section: "registrant", before: { name: "A" }, after: { name: "C" }, contacts: { Registrant: profile } },
  {
    section: "dns",
    before: [rec],
    after: [rec],
    add: [rec],
    remove: [rec],
    modify: [{ from: rec, to: rec }],
    kept: [rec],
  },
  { section: "forwarding", before: [fw], after: [fw], add: [fw], remove: [fw] },
  { section: "autorenew", after: true, asserted: true },
  { section: "idprotection", after: false, asserted: true },
  { section: "delete" },
];
const purchase = {
  years: 2,
  owner: "o",
  admin: "adm",
  domainfields: { k: "v" },
  idprotection: true,
  dnsmanagement: true,
  emailforwarding: false,
};
/** The desired domain's keys as saved plans have always listed them. */
const DESIRED_ORDER = [
  "name",
  "display",
  "source",
  "nameservers",
  "lock",
  "autorenew",
  "idprotection",
  "registrant",
  "dns",
  "dnsIgnore",
  "forwarding",
  "glue",
  "expiresNotBefore",
  "register",
  "transfer",
  "state",
  "info",
];
const desired = {
  name: "a.se",
  display: "a.se",
  source: { file: "m.yaml", line: 3, column: 5 },
  nameservers: ["b"],
  lock: true,
  autorenew: true,
  idprotection: false,
  registrant: { name: "C" },
  dns: [rec],
  dnsIgnore: [{ host: "_acme", type: "TXT" }],
  forwarding: [fw],
  glue: { "ns1.a.se": ["192.0.2.1"] },
  expiresNotBefore: "2028-01-01",
  register: purchase,
  transfer: { ...purchase, authcode: "sec" },
  state: "deleted" as const,
  info: { status: "ok", expires: "2027", eppcode: "e", contacts: { Admin: profile } },
};
const summary = { domains: 1, changed: 1, unchanged: 0, errors: 0, create: 0, update: 1, delete: 0 };
const plan: Plan = {
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  endpoint: "http://x",
  manifestDigest: "d",
  domains: [
    { name: "a.se", display: "a.se", action: "update", changes, fingerprint: "f", desired, notes: [] } as never,
  ],
  summary: { ...summary, register: 1, transfer: 1, renew: 1, years: 4, writes: 13 },
};

/** Every object's keys in reverse: what a file written by something else might hold. */
function reversed(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(reversed);
  if (x && typeof x === "object")
    return Object.fromEntries(
      Object.entries(x)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return x;
}

describe("a saved plan", () => {
  it("holds a change of every section, decoded field for field in the order plan writes it", () => {
    expect(changes.map((c) => c.section)).toEqual(SECTIONS);
    const file = join(mkdtempSync(join(tmpdir(), "regdom-saved-plan-")), "plan.json");
    writeFileSync(file, renderPlanJson(plan));
    const read = readPlanFile(file).domains[0]!;
    expect(JSON.stringify(read.changes)).toBe(JSON.stringify(changes));
    expect(Object.keys(read.desired)).toEqual(DESIRED_ORDER);

    // Whatever order a file holds them in, they come back in the same order.
    writeFileSync(file, renderPlanJson(reversed(plan) as Plan));
    const again = readPlanFile(file).domains[0]!;
    expect(JSON.stringify(again.changes.map((c) => Object.keys(c)))).toBe(
      JSON.stringify(changes.map((c) => Object.keys(c))),
    );
    expect(Object.keys(again.desired)).toEqual(DESIRED_ORDER);
  });
});
