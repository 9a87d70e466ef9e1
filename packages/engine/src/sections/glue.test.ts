/** The glue sections: their diff, the plan's checks and lines, the write order, safety and rollback's compare. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DesiredDomain } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../apply/applyPlan.js";
import { Journal, readJournal } from "../apply/journal.js";
import { readPlanFile } from "../apply/runFolder.js";
import { checkSafety } from "../apply/safety.js";
import { renderPlanHtml } from "../html/planHtml.js";
import type { DomainPlan, LiveState, Plan } from "../plan/model.js";
import { planDomain } from "../plan/planDomain.js";
import { summarize } from "../plan/planPortfolio.js";
import { changeLines, renderPlanJson, renderPlanMarkdown, renderPlanText } from "../plan/renderPlan.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { diffGlue, glue, glueOps, missingGlue } from "./glue.js";
import { SECTION } from "./index.js";

const desired = (name: string, d: Partial<DesiredDomain>): DesiredDomain => ({
  name,
  display: name,
  source: { file: "m.yaml", line: 1 },
  ...d,
});
const live = (l: Partial<LiveState>): LiveState => ({ exists: true, ...l });
const asPlan = (domains: DomainPlan[]): Plan => ({
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  endpoint: "http://sandbox",
  manifestDigest: "x",
  domains,
  summary: summarize(domains),
});

describe("glueOps: what the API is sent, one address per call", () => {
  it("registers each address of a new host, IPv4 first", () => {
    expect(glueOps({}, { "ns1.acme.se": ["192.0.2.53", "2001:db8::53"] })).toEqual({
      register: [
        { host: "ns1.acme.se", address: "192.0.2.53" },
        { host: "ns1.acme.se", address: "2001:db8::53" },
      ],
      modify: [],
      remove: [],
      stranded: [],
    });
  });

  it("pairs a removed address with an added one of its family, then of the other; adds the rest", () => {
    const ops = glueOps(
      { "ns1.acme.se": ["192.0.2.53", "2001:db8::53"], "ns2.acme.se": ["192.0.2.60"] },
      { "ns1.acme.se": ["192.0.2.54", "2001:db8::54", "192.0.2.99"], "ns2.acme.se": ["2001:db8::60"] },
    );
    expect(ops.modify).toEqual([
      { host: "ns1.acme.se", from: "192.0.2.53", to: "192.0.2.54" },
      { host: "ns1.acme.se", from: "2001:db8::53", to: "2001:db8::54" },
      { host: "ns2.acme.se", from: "192.0.2.60", to: "2001:db8::60" },
    ]);
    expect(ops.register).toEqual([{ host: "ns1.acme.se", address: "192.0.2.99" }]);
    expect(ops.stranded).toEqual([]);
  });

  it("deletes a host given no address, and strands an address removed while its host keeps others", () => {
    const ops = glueOps(
      { "ns1.acme.se": ["192.0.2.53", "2001:db8::53"], "ns3.acme.se": ["192.0.2.55"] },
      { "ns1.acme.se": ["192.0.2.53"], "ns3.acme.se": [] },
    );
    expect(ops.remove).toEqual(["ns3.acme.se"]);
    expect(ops.stranded).toEqual([{ host: "ns1.acme.se", addresses: ["2001:db8::53"] }]);
  });
});

describe("diffGlue", () => {
  it("splits into glue (hosts added or changed, before the nameservers) and glue-delete (after), each with its hosts only", () => {
    const { changes, problem } = diffGlue(
      { "ns1.acme.se": ["192.0.2.53"], "ns2.acme.se": ["192.0.2.60"], "ns3.acme.se": ["192.0.2.70"] },
      { "ns1.acme.se": ["192.0.2.54"], "ns2.acme.se": ["192.0.2.60"], "ns4.acme.se": ["192.0.2.80"] },
    );
    expect(problem).toBeUndefined();
    expect(changes).toEqual([
      {
        section: "glue",
        before: { "ns1.acme.se": ["192.0.2.53"], "ns4.acme.se": [] },
        after: { "ns1.acme.se": ["192.0.2.54"], "ns4.acme.se": ["192.0.2.80"] },
      },
      { section: "glue-delete", before: { "ns3.acme.se": ["192.0.2.70"] }, after: { "ns3.acme.se": [] } },
    ]);
  });

  it("gives nothing when live and desired hold the same addresses in another order", () => {
    expect(
      diffGlue({ "ns1.a.se": ["2001:db8::1", "192.0.2.1"] }, { "ns1.a.se": ["192.0.2.1", "2001:db8::1"] }),
    ).toEqual({ changes: [] });
  });
});

describe("diffGlue with the NS set the parent's referral names", () => {
  it("a desired host it does not name is unseen (unknown, not none): registered, never modified or deleted", () => {
    const { changes } = diffGlue(
      { "ns1.acme.se": ["192.0.2.53"] },
      { "ns1.acme.se": ["192.0.2.53"], "ns2.acme.se": ["192.0.2.54"] },
      ["ns1.acme.se", "ns.other.se"],
    );
    expect(changes).toEqual([
      {
        section: "glue",
        before: { "ns2.acme.se": [] },
        after: { "ns2.acme.se": ["192.0.2.54"] },
        unseen: ["ns2.acme.se"],
      },
    ]);
    expect(changeLines(changes[0]!)).toEqual([
      "+ glue ns2.acme.se 192.0.2.54 (not visible in DNS until the domain names it)",
    ]);
  });
});

describe("missingGlue", () => {
  const d = desired("acme.se", { nameservers: ["ns1.acme.se", "NS2.Acme.se.", "ns.other.se"] });
  it("names each host under the domain that has no glue, and the domain", () => {
    expect(missingGlue(d, d.nameservers!, { "ns1.acme.se": ["192.0.2.53"] })).toMatch(
      /^nameservers ns2\.acme\.se is under acme\.se, and the parent publishes no glue for it/,
    );
    expect(missingGlue(d, d.nameservers!, { "ns1.acme.se": ["192.0.2.53"], "ns2.acme.se": ["192.0.2.54"] })).toBe(
      undefined,
    );
  });
  it("names the domain itself as a nameserver for what it is, not as a host wanting glue the manifest refuses", () => {
    const self = desired("self.se", { nameservers: ["self.se", "ns.other.se"] });
    const message = missingGlue(self, self.nameservers!, {});
    expect(message).toMatch(/^nameserver self\.se is the domain itself: .* strictly under the domain/);
    expect(message).not.toContain("glue: {self.se");
  });
  it("looks in the manifest's glue when it gives some, not in the live glue", () => {
    const g = { ...d, glue: { "ns1.acme.se": ["192.0.2.53"] } };
    expect(missingGlue(g, g.nameservers!, { "ns2.acme.se": ["192.0.2.54"] })).toMatch(
      /ns2\.acme\.se is under acme\.se, and the manifest's glue gives no address for it/,
    );
  });
});

describe("planDomain with glue", () => {
  const OLD = { nameservers: ["ns1.old.se", "ns2.old.se"] };

  it("a move to hosts under the domain: + glue lines, then ~ nameservers, then - glue for hosts it leaves", () => {
    const d = desired("acme.se", {
      nameservers: ["ns1.acme.se", "ns2.acme.se"],
      glue: { "ns1.acme.se": ["192.0.2.53", "2001:db8::53"], "ns2.acme.se": ["192.0.2.54"] },
    });
    const p = planDomain(
      d,
      live({ ...OLD, glue: { "ns2.acme.se": ["192.0.2.50"], "ns9.acme.se": ["192.0.2.9"] } }),
      {},
    );
    expect(p.changes.map((c) => c.section)).toEqual(["glue", "nameservers", "glue-delete"]);
    expect(
      renderPlanText(asPlan([p]))
        .split("\n")
        .slice(0, 6),
    ).toEqual([
      "~ acme.se",
      "    + glue ns1.acme.se 192.0.2.53",
      "    + glue ns1.acme.se 2001:db8::53",
      "    ~ glue ns2.acme.se 192.0.2.50 -> 192.0.2.54",
      "    ~ nameservers: ns1.old.se, ns2.old.se -> ns1.acme.se, ns2.acme.se",
      "    - glue ns9.acme.se",
    ]);
  });

  it("shows the same lines in markdown and HTML, and keeps the changes in JSON", () => {
    const d = desired("acme.se", { glue: { "ns1.acme.se": ["192.0.2.54"] } });
    const plan = asPlan([
      planDomain(d, live({ glue: { "ns1.acme.se": ["192.0.2.53"], "ns3.acme.se": ["192.0.2.9"] } }), {}),
    ]);
    expect(renderPlanMarkdown(plan)).toContain(
      "` ~ glue ns1.acme.se 192.0.2.53 -> 192.0.2.54 `<br>` - glue ns3.acme.se `",
    );
    // A saved plan with glue reads back (its schema knows both sections and the desired glue).
    const saved = join(mkdtempSync(join(tmpdir(), "regdom-glue-")), "plan.json");
    writeFileSync(saved, renderPlanJson(plan));
    expect(readPlanFile(saved).domains[0]!.changes).toEqual(plan.domains[0]!.changes);
    const html = renderPlanHtml(plan);
    expect(html).toContain("~ glue ns1.acme.se 192.0.2.53 -&gt; 192.0.2.54");
    expect(html).toContain("- glue ns3.acme.se");
    expect(JSON.parse(renderPlanJson(plan)).domains[0].changes).toEqual([
      { section: "glue", before: { "ns1.acme.se": ["192.0.2.53"] }, after: { "ns1.acme.se": ["192.0.2.54"] } },
      { section: "glue-delete", before: { "ns3.acme.se": ["192.0.2.9"] }, after: { "ns3.acme.se": [] } },
    ]);
  });

  it("refuses (input error) a nameserver change to hosts under the domain that no glue covers", () => {
    const d = desired("acme.se", { nameservers: ["ns1.acme.se", "ns.other.se"] });
    const p = planDomain(d, live({ ...OLD, glue: {} }), {});
    expect(p).toMatchObject({ action: "error", inputError: true, changes: [] });
    expect(p.error).toMatch(/ns1\.acme\.se is under acme\.se/);
    // The live glue covers it: the change goes.
    const ok = planDomain(d, live({ ...OLD, glue: { "ns1.acme.se": ["192.0.2.53"] } }), {});
    expect(ok.changes.map((c) => c.section)).toEqual(["nameservers"]);
  });

  it("refuses a purchase whose nameservers are under the domain without glue in the manifest", () => {
    const d = desired("acme.se", {
      nameservers: ["ns1.acme.se"],
      register: { years: 1, owner: "o" },
    });
    expect(planDomain(d, { exists: false }, { o: {} })).toMatchObject({ action: "error", inputError: true });
    // A transfer may bring its glue along: not refused.
    const { register: _r, ...rest } = d;
    expect(planDomain({ ...rest, transfer: { years: 1, owner: "o" } }, { exists: false }, { o: {} }).action).toBe(
      "create",
    );
    const g = planDomain({ ...d, glue: { "ns1.acme.se": ["192.0.2.53"] } }, { exists: false }, { o: {} });
    expect(g.changes.map((c) => c.section)).toEqual(["register", "glue", "nameservers"]);
  });

  it("refuses an address removed while its host keeps others, saying why and what to do", () => {
    const d = desired("acme.se", { glue: { "ns1.acme.se": ["192.0.2.53"] } });
    const p = planDomain(d, live({ glue: { "ns1.acme.se": ["192.0.2.53", "2001:db8::53"] } }), {});
    expect(p).toMatchObject({ action: "error", inputError: true });
    expect(p.error).toMatch(/glue ns1\.acme\.se: 2001:db8::53 would be removed .*give a replacement address/);
  });

  it("keeps the fingerprint of a domain without glue as it was, and moves it when the live glue moves", () => {
    const base = live(OLD);
    const d = desired("acme.se", { glue: { "ns1.acme.se": ["192.0.2.53"] } });
    expect(planDomain(d, base, {}).fingerprint).toBe(planDomain(desired("acme.se", {}), base, {}).fingerprint);
    expect(planDomain(d, live({ ...OLD, glue: {} }), {}).fingerprint).not.toBe(
      planDomain(d, live({ ...OLD, glue: { "ns1.acme.se": ["192.0.2.53"] } }), {}).fingerprint,
    );
  });
});

describe("glue and safety", () => {
  it("a glue deletion needs --allow-delete", () => {
    const d = desired("acme.se", { glue: {} });
    const p = planDomain(d, live({ glue: { "ns3.acme.se": ["192.0.2.55"] } }), {});
    expect(() => checkSafety(asPlan([p]), {})).toThrow(
      /1 removal\(s\) \(acme\.se glue ns3\.acme\.se\) need --allow-delete/,
    );
    expect(() => checkSafety(asPlan([p]), { allowDelete: true })).not.toThrow();
  });
});

describe("glue's export", () => {
  const ex = glue.export;
  if (!("toManifest" in ex)) throw new Error("glue must be exportable");
  const exported = (g: Record<string, string[]> | undefined) => {
    const d = desired("acme.se", {});
    const warnings: string[] = [];
    ex.toManifest(live({ ...(g ? { glue: g } : {}) }), d, warnings);
    return { glue: d.glue, warnings };
  };
  it("is opt-in, and writes the live glue with hosts sorted and addresses in the readers' order", () => {
    expect(ex.optIn).toBe(true);
    expect(
      exported({ "ns2.acme.se": ["192.0.2.9"], "ns1.acme.se": ["2001:db8::1", "192.0.2.10", "192.0.2.9"] }),
    ).toEqual({
      glue: { "ns1.acme.se": ["192.0.2.9", "192.0.2.10", "2001:db8::1"], "ns2.acme.se": ["192.0.2.9"] },
      warnings: [],
    });
  });
  it("leaves glue unmanaged when the parent publishes none, or glue for the domain itself (with a warning)", () => {
    expect(exported({})).toEqual({ glue: undefined, warnings: [] });
    expect(exported(undefined)).toEqual({ glue: undefined, warnings: [] });
    const itself = exported({ "acme.se": ["192.0.2.1"], "ns1.acme.se": ["192.0.2.2"] });
    expect(itself.glue).toBeUndefined();
    expect(itself.warnings).toEqual([
      expect.stringMatching(/^acme\.se: glue left out \(unmanaged\): the parent publishes glue for acme\.se itself/),
    ]);
  });
});

describe("glue rollback compares only the hosts the run touched", () => {
  const r = glue.rollback;
  if ("irreversible" in r) throw new Error("glue must be restorable");
  const intents = [
    {
      before: { "ns1.a.se": ["192.0.2.1"], "ns4.a.se": [] },
      after: { "ns1.a.se": ["192.0.2.2"], "ns4.a.se": ["192.0.2.4"] },
    },
  ];
  it.each([
    [{ "ns1.a.se": ["192.0.2.1"], "ns9.a.se": ["192.0.2.9"] }, "before"],
    [{ "ns1.a.se": ["192.0.2.2"], "ns4.a.se": ["192.0.2.4"], "ns9.a.se": ["192.0.2.99"] }, "written"],
    [{ "ns1.a.se": ["192.0.2.3"], "ns4.a.se": ["192.0.2.4"] }, "other"],
  ] as [Record<string, string[]>, string][])("live %j is %s", (now, verdict) => {
    expect(r.classify(now, intents, "a.se", [])).toBe(verdict);
  });
});

describe("applying glue against the sandbox", () => {
  it("sends RegisterNameserver and ModifyNameserver before SaveNameservers, DeleteNameserver after", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 3 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      const state = sandbox.state.get(name)!;
      state.childNameservers = { [`ns2.${name}`]: ["192.0.2.50"], [`ns9.${name}`]: ["192.0.2.9"] };
      const d = desired(name, {
        nameservers: [`ns1.${name}`, `ns2.${name}`],
        glue: { [`ns1.${name}`]: ["192.0.2.53"], [`ns2.${name}`]: ["192.0.2.54"] },
      });
      const p = planDomain(
        d,
        live({
          nameservers: state.nameservers,
          glue: { [`ns2.${name}`]: ["192.0.2.50"], [`ns9.${name}`]: ["192.0.2.9"] },
        }),
        {},
      );
      const dir = mkdtempSync(join(tmpdir(), "regdom-glue-"));
      const from = sandbox.requests.length;
      const report = await applyPlan(client, asPlan([p]), {
        mode: "fresh",
        journal: new Journal(join(dir, "j.jsonl")),
      });
      expect(report.failures).toEqual([]);
      const sent = sandbox.requests
        .slice(from)
        .map((q) => [q.action, q.params?.nameserver, q.params?.currentipaddress]);
      expect(sent).toEqual([
        ["registernameserver", `ns1.${name}`, undefined],
        ["modifynameserver", `ns2.${name}`, "192.0.2.50"],
        ["savenameservers", undefined, undefined],
        ["deletenameserver", `ns9.${name}`, undefined],
      ]);
      // Each section journals the hosts it touched, before and after.
      const intents = readJournal(join(dir, "j.jsonl")).entries.filter((e) => e.phase === "intent");
      expect(intents.map((e) => [e.section, e.before, e.after])).toEqual([
        [
          "glue",
          { [`ns1.${name}`]: [], [`ns2.${name}`]: ["192.0.2.50"] },
          { [`ns1.${name}`]: ["192.0.2.53"], [`ns2.${name}`]: ["192.0.2.54"] },
        ],
        ["nameservers", state.nameservers.length ? expect.any(Array) : [], [`ns1.${name}`, `ns2.${name}`]],
        ["glue-delete", { [`ns9.${name}`]: ["192.0.2.9"] }, { [`ns9.${name}`]: [] }],
      ]);
    } finally {
      await close();
    }
  });

  it("a failed glue write sends neither the nameserver change nor the glue deletion", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 3 });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      const state = sandbox.state.get(name)!;
      // Live glue read says ns2 has 192.0.2.40; the registry holds another: ModifyNameserver is refused.
      state.childNameservers = { [`ns2.${name}`]: ["192.0.2.41"], [`ns9.${name}`]: ["192.0.2.9"] };
      const d = desired(name, {
        nameservers: [`ns2.${name}`],
        glue: { [`ns2.${name}`]: ["192.0.2.54"] },
      });
      const p = planDomain(
        d,
        live({
          nameservers: state.nameservers,
          glue: { [`ns2.${name}`]: ["192.0.2.40"], [`ns9.${name}`]: ["192.0.2.9"] },
        }),
        {},
      );
      const from = sandbox.requests.length;
      const dir = mkdtempSync(join(tmpdir(), "regdom-glue-"));
      const report = await applyPlan(client, asPlan([p]), {
        mode: "fresh",
        journal: new Journal(join(dir, "j.jsonl")),
      });
      expect(sandbox.requests.slice(from).map((q) => q.action)).toEqual(["modifynameserver"]);
      expect(report.failures.map((f) => [f.section, f.message])).toEqual([
        ["glue", expect.stringMatching(/Current IP address does not match/)],
        ["nameservers", "not sent: its glue write failed"],
        ["glue-delete", "not sent: its glue write failed"],
      ]);
    } finally {
      await close();
    }
  });

  it("is registered between the purchases and the nameservers, its deletion right after them", () => {
    expect(SECTION.glue.action).toBe("RegisterNameserver");
    expect(SECTION["glue-delete"].requires).toEqual(["glue", "nameservers"]);
  });
});
