import { describe, expect, it } from "vitest";
import type { JournalEntry } from "./journal.js";
import { readOperations } from "./opsFile.js";
import { checkOpsGuards, renderOpsPreview, scheduleOperations } from "./runOps.js";

const csv = (text: string) => readOperations(new TextEncoder().encode(text), "ops.csv");
const entry = (section: string, phase: JournalEntry["phase"], seq: number): JournalEntry => ({
  seq,
  time: "2026-01-01T00:00:00.000Z",
  domain: "a.se",
  section,
  action: "x",
  phase,
});

describe("readOperations", () => {
  it("reads rows, their kinds and ACE domains; secrets never in the preview", () => {
    const ops = csv(
      "id,action,domain,regperiod,transfersecret,newtag\nr,RenewDomain,räksmörgås.se,1,,\ng,geteppcode,a.se,,,\nd,ReleaseDomain,a.se,,,TAG\n",
    );
    expect(ops.map((o) => [o.id, o.action, o.kind, o.domain])).toEqual([
      ["r", "RenewDomain", "money", "xn--rksmrgs-5wao1o.se"],
      ["g", "GetEPPCode", "read", "a.se"],
      ["d", "ReleaseDomain", "delete", "a.se"],
    ]);
    const t = csv("action,domain,transfersecret\nGetEPPCode,a.se,s3cret\n");
    expect(renderOpsPreview({ send: t, done: [], reconcile: [] }, "ops.csv")).not.toContain("s3cret");
  });
  it("names file:line and column for reserved, duplicate and missing parameters", () => {
    expect(() => csv("action,domain,ACTION\nGetEPPCode,a.se,RenewDomain\n")).toThrow(/ops\.csv:1:3.*twice/);
    expect(() => csv("action,domain,token\nGetEPPCode,a.se,x\n")).toThrow(/ops\.csv:1:3/);
    expect(() => csv("action,domain\nReleaseDomain,a.se\n")).toThrow(/ops\.csv:2.*ReleaseDomain needs newtag/);
    expect(() => csv("action,domain\nGetEPPCode,bad..se\n")).toThrow(/ops\.csv:2/);
    // email is a parameter of a purchase, unless it is the auth field.
    const email = "action,domain,email\nGetEPPCode,a.se,x@y.se\n";
    expect(csv(email)).toHaveLength(1);
    expect(() => readOperations(new TextEncoder().encode(email), "ops.csv", { authField: "email" })).toThrow(
      /regdom sets itself/,
    );
  });
});

describe("scheduleOperations", () => {
  const ops = csv(
    "id,action,domain,regperiod,nameserver,ipaddress\nr,RenewDomain,a.se,1,,\nn,RegisterNameserver,a.se,,ns1.a.se,192.0.2.1\n",
  );
  it("skips finished rows, reconciles money begun but never answered, resends the rest", () => {
    const s = scheduleOperations(ops, [entry("r", "intent", 1), entry("n", "intent", 2), entry("n", "ok", 3)]);
    expect(s.done.map((o) => o.id)).toEqual(["n"]);
    expect(s.reconcile.map((r) => r.op.id)).toEqual(["r"]);
    expect(s.send).toEqual([]);
  });
  it("--again repeats finished rows but refuses while a purchase's outcome is unknown", () => {
    expect(scheduleOperations(ops, [entry("n", "ok", 1)], true).send.map((o) => o.id)).toEqual(["r", "n"]);
    expect(() => scheduleOperations(ops, [entry("r", "unknown", 1)], true)).toThrow(/still unknown/);
  });
  it("money needs --allow-purchases and deletes --allow-delete", () => {
    const s = scheduleOperations(ops, []);
    expect(() => checkOpsGuards(s, { allowPurchases: false, allowDelete: true })).toThrow(/--allow-purchases/);
    expect(() => checkOpsGuards(s, { allowPurchases: true, allowDelete: false })).not.toThrow();
    const d = scheduleOperations(csv("action,domain,nameserver\nDeleteNameserver,a.se,ns1.a.se\n"), []);
    expect(() => checkOpsGuards(d, { allowPurchases: true, allowDelete: false })).toThrow(/--allow-delete/);
  });
});
