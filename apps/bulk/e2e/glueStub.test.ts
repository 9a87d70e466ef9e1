/**
 * Glue against the sandbox's DNS stub as the parent (it publishes the sandbox's books at each
 * question, as a registry that publishes at once would): what the parent cannot show. A child
 * nameserver the domain's nameservers do not name has no glue in the referral, so its live glue is
 * unknown, never "none". Runs without named or root.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DnsStub, type Sandbox, startDnsStub } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir, writesIn } from "./env.js";

const OLD = ["ns1.old.se", "ns2.old.se"];

interface Setup {
  sb: Sandbox;
  dns: DnsStub;
  dir: string;
  run(args: string[]): ReturnType<typeof bulk>;
  manifest(body: string): string;
  /** Write requests since `from`: action, nameserver, addresses, outcome. */
  writesSince(from: number): string[];
  lastSeq(): number;
}

const open: Setup[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.dns.close();
    await s.sb.close();
  }
});

async function setup(domains: [string, string[], Record<string, string[]>][], signed: string[] = []): Promise<Setup> {
  const sb = await sandbox({ seed: 1 });
  const model = [...sb.state.domains.values()][0]!;
  for (const [name, nameservers, childNameservers] of domains)
    sb.state.domains.set(name, { ...structuredClone(model), name, nameservers, childNameservers });
  const dns = await startDnsStub({ delegations: sb.state, signed });
  const dir = await tempDir();
  let n = 0;
  const s: Setup = {
    sb,
    dns,
    dir,
    run: (args) => bulk(sb, args, { env: { REGDOM_RESOLVER: dns.address } }),
    manifest(body) {
      const file = join(dir, `m${n++}.yaml`);
      writeFileSync(file, `version: 1\n${body}`);
      return file;
    },
    writesSince: (from) =>
      writesIn(sb)
        .filter((r) => r.seq > from)
        .map((r) =>
          [
            r.action,
            r.params?.nameserver,
            r.params?.ipaddress ?? r.params?.currentipaddress,
            r.params?.newipaddress,
            r.outcome,
          ]
            .filter((x) => x !== undefined && x !== "")
            .join(" "),
        ),
    lastSeq: () => sb.requests.at(-1)?.seq ?? 0,
  };
  open.push(s);
  return s;
}

const journalOf = (runDir: string) =>
  readFileSync(join(runDir, "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

const MOVE =
  "domains:\n  acme.se:\n    nameservers: [ns1.acme.se, ns2.old.se]\n    glue: {ns1.acme.se: [192.0.2.53]}\n";

describe("a child nameserver the domain's nameservers do not name (its glue cannot be seen)", () => {
  it("after RegisterNameserver went through and SaveNameservers failed, the next apply finishes the move", async () => {
    const t = await setup([["acme.se", OLD, {}]]);
    const file = t.manifest(MOVE);
    t.sb.faults.failActions = { savenameservers: "Temporary failure" };
    const first = await t.run(["apply", file, "--yes", "--run-dir", join(t.dir, "r1")]);
    expect(first.code).toBe(1);
    t.sb.faults.failActions = {};

    // The host is registered but unseen: unknown, planned as a registration, not "no glue".
    const plan = await t.run(["plan", file]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("    + glue ns1.acme.se 192.0.2.53 (not visible in DNS until the domain names it)\n");

    const from = t.lastSeq();
    const again = await t.run(["apply", file, "--yes", "--run-dir", join(t.dir, "r2")]);
    expect(again.code, `${again.stdout}${again.stderr}`).toBe(0);
    // "already has the IP address" is taken as done, and the nameserver change goes.
    expect(t.writesSince(from)).toEqual(["registernameserver ns1.acme.se 192.0.2.53 error", "savenameservers success"]);
    const ok = journalOf(join(t.dir, "r2")).find((e) => e.section === "glue" && e.phase === "ok");
    expect(ok.note).toMatch(/^ns1\.acme\.se 192\.0\.2\.53: registered already \(.*already has the IP address/);
    expect(t.sb.state.get("acme.se")!.nameservers).toEqual(["ns1.acme.se", "ns2.old.se"]);
    expect((await t.run(["plan", file])).stdout).toContain("No changes.");
  });

  it("rollback leaves a host the run found registered already; the run that registered it deletes it", async () => {
    const t = await setup([["acme.se", OLD, {}]]);
    const file = t.manifest(MOVE);
    t.sb.faults.failActions = { savenameservers: "Temporary failure" };
    expect((await t.run(["apply", file, "--yes", "--run-dir", join(t.dir, "r1")])).code).toBe(1);
    t.sb.faults.failActions = {};
    expect((await t.run(["apply", file, "--yes", "--run-dir", join(t.dir, "r2")])).code).toBe(0);

    let from = t.lastSeq();
    const second = await t.run(["rollback", join(t.dir, "r2"), "--yes"]);
    expect(second.code, `${second.stdout}${second.stderr}`).toBe(0);
    expect(t.writesSince(from)).toEqual(["savenameservers success"]);
    expect(t.sb.state.get("acme.se")!.childNameservers).toEqual({ "ns1.acme.se": ["192.0.2.53"] });

    from = t.lastSeq();
    const first = await t.run(["rollback", join(t.dir, "r1"), "--yes"]);
    expect(first.code, `${first.stdout}${first.stderr}`).toBe(0);
    // Its SaveNameservers failed (nothing to undo); its RegisterNameserver went through.
    expect(t.writesSince(from)).toEqual(["deletenameserver ns1.acme.se success"]);
    expect(t.sb.state.get("acme.se")!.childNameservers).toEqual({});
  });

  it("any other answer to RegisterNameserver fails the write, though the names hold 'exist'", async () => {
    const t = await setup([["exist.se", OLD, {}]]);
    const file = t.manifest(
      "domains:\n  exist.se:\n    nameservers: [ns1.exist.se, ns2.old.se]\n    glue: {ns1.exist.se: [192.0.2.53]}\n",
    );
    t.sb.faults.failActions = { registernameserver: "Temporary failure" };
    const from = t.lastSeq();
    const applied = await t.run(["apply", file, "--yes", "--run-dir", join(t.dir, "r1")]);
    expect(applied.code).toBe(1);
    expect(t.writesSince(from)).toEqual(["registernameserver ns1.exist.se 192.0.2.53 error"]);
  });

  it("a resume after the failed SaveNameservers finishes the move", async () => {
    const t = await setup([["acme.se", OLD, {}]]);
    const file = t.manifest(MOVE);
    t.sb.faults.failActions = { savenameservers: "Temporary failure" };
    expect((await t.run(["apply", file, "--yes", "--run-dir", join(t.dir, "r1")])).code).toBe(1);
    t.sb.faults.failActions = {};
    const resumed = await t.run(["apply", "--resume", join(t.dir, "r1"), "--yes"]);
    expect(resumed.code, `${resumed.stdout}${resumed.stderr}`).toBe(0);
    expect(t.sb.state.get("acme.se")!.nameservers).toEqual(["ns1.acme.se", "ns2.old.se"]);
  });

  it("a nameserver set naming an unseen host without glue in the manifest is refused, saying why", async () => {
    const t = await setup([["acme.se", OLD, { "ns1.acme.se": ["192.0.2.53"] }]]);
    const from = t.lastSeq();
    const plan = await t.run([
      "plan",
      t.manifest("domains:\n  acme.se:\n    nameservers: [ns1.acme.se, ns2.old.se]\n"),
    ]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("the parent cannot show whether it has glue");
    expect(t.writesSince(from)).toEqual([]);
  });

  it("rollback of a move deletes the host the run registered, once the nameservers are put back", async () => {
    const t = await setup([["acme.se", OLD, {}]]);
    const runDir = join(t.dir, "r1");
    expect((await t.run(["apply", t.manifest(MOVE), "--yes", "--run-dir", runDir])).code).toBe(0);
    const from = t.lastSeq();
    const rolled = await t.run(["rollback", runDir, "--yes"]);
    expect(rolled.code, `${rolled.stdout}${rolled.stderr}`).toBe(0);
    expect(t.writesSince(from)).toEqual(["savenameservers success", "deletenameserver ns1.acme.se success"]);
    expect(t.sb.state.get("acme.se")!.childNameservers).toEqual({});
  });

  it("rollback does not delete a host the domain's nameservers name now (changed by someone else)", async () => {
    const t = await setup([["acme.se", OLD, {}]]);
    const runDir = join(t.dir, "r1");
    expect((await t.run(["apply", t.manifest(MOVE), "--yes", "--run-dir", runDir])).code).toBe(0);
    t.sb.state.get("acme.se")!.nameservers = ["ns1.acme.se", "ns3.other.se"];
    const from = t.lastSeq();
    const rolled = await t.run(["rollback", runDir, "--yes"]);
    expect(rolled.code).toBe(1);
    expect(rolled.stdout).toContain(
      "not restorable: acme.se glue: glue ns1.acme.se: the domain's nameservers name it now",
    );
    expect(t.writesSince(from)).toEqual([]);
    expect(t.sb.state.get("acme.se")!.childNameservers).toEqual({ "ns1.acme.se": ["192.0.2.53"] });
  });
});

describe("glue changes the nameservers use", () => {
  it("a glue-only move of a signed domain's nameservers goes through the DNSSEC guard (exit 3)", async () => {
    const t = await setup(
      [["chg.se", ["ns1.chg.se", "ns2.chg.se"], { "ns1.chg.se": ["192.0.2.10"], "ns2.chg.se": ["192.0.2.11"] }]],
      ["chg.se"],
    );
    const file = t.manifest(
      "domains:\n  chg.se:\n    glue: {ns1.chg.se: [198.51.100.1], ns2.chg.se: [198.51.100.2]}\n",
    );
    const plan = await t.run(["plan", file]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      "    ~ glue ns2.chg.se 192.0.2.11 -> 198.51.100.2\n    ! dnssec: would break (DS 12345/13/2; ns1.chg.se:",
    );
    const from = t.lastSeq();
    const applied = await t.run(["apply", file, "--yes", "--run-dir", join(t.dir, "r1")]);
    expect(applied.code).toBe(3);
    expect(applied.stderr).toContain("chg.se: the glue change dnssec: would break");
    expect(t.writesSince(from)).toEqual([]);
  });

  it("deleting glue of a host the domain's nameservers still name is refused at plan (exit 2), nothing sent", async () => {
    const t = await setup([
      ["del.se", ["ns1.del.se", "ns2.del.se"], { "ns1.del.se": ["192.0.2.20"], "ns2.del.se": ["192.0.2.21"] }],
    ]);
    const file = t.manifest("domains:\n  del.se:\n    glue: {ns1.del.se: [192.0.2.20]}\n");
    const from = t.lastSeq();
    const plan = await t.run(["plan", file]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("! del.se: glue ns2.del.se would be deleted");
    const applied = await t.run(["apply", file, "--yes", "--allow-delete", "--run-dir", join(t.dir, "r1")]);
    expect(applied.code).toBe(2);
    expect(t.writesSince(from)).toEqual([]);
    expect(t.sb.state.get("del.se")!.childNameservers["ns2.del.se"]).toEqual(["192.0.2.21"]);
  });

  it("rollback does not undo a DeleteNameserver that failed", async () => {
    const t = await setup([
      ["dfl.se", ["ns1.dfl.se", "ns2.dfl.se"], { "ns1.dfl.se": ["192.0.2.30"], "ns2.dfl.se": ["192.0.2.31"] }],
    ]);
    const file = t.manifest(
      "domains:\n  dfl.se:\n    nameservers: [ns1.dfl.se, ns2.old.se]\n    glue: {ns1.dfl.se: [192.0.2.30]}\n",
    );
    t.sb.faults.failActions = { deletenameserver: "Host is linked to other domains" };
    const runDir = join(t.dir, "d1");
    expect((await t.run(["apply", file, "--yes", "--allow-delete", "--run-dir", runDir])).code).toBe(1);
    t.sb.faults.failActions = {};
    const from = t.lastSeq();
    const rolled = await t.run(["rollback", runDir, "--yes"]);
    expect(rolled.code, `${rolled.stdout}${rolled.stderr}`).toBe(0);
    expect(rolled.stdout).toContain("Restored 1 section(s); 1 already as before");
    expect(t.writesSince(from)).toEqual(["savenameservers success"]);
  });
});

describe("a registration whose nameservers are under the domain", () => {
  it("is sent in the plan's order: RegisterDomain without them, RegisterNameserver, SaveNameservers", async () => {
    const t = await setup([]);
    const file = t.manifest(
      "owners:\n  o1: {firstname: Ada, lastname: Lovelace, email: ada@example.se, address1: Gatan 1, city: Stockholm, postcode: '11122', country: SE, phone: '+46.812345'}\n" +
        "domains:\n  fresh-h25.se:\n    register: {years: 1, owner: o1}\n    nameservers: [ns1.fresh-h25.se, ns2.old.se]\n" +
        "    glue: {ns1.fresh-h25.se: [192.0.2.44]}\n",
    );
    const plan = await t.run(["plan", file]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /\+ register 1 year[^\n]*\n {4}\+ glue ns1\.fresh-h25\.se 192\.0\.2\.44\n {4}~ nameservers: \(none\) -> ns1\.fresh-h25\.se, ns2\.old\.se/,
    );
    const from = t.lastSeq();
    const applied = await t.run(["apply", file, "--yes", "--allow-purchases", "--run-dir", join(t.dir, "r1")]);
    expect(applied.code, `${applied.stdout}${applied.stderr}`).toBe(0);
    expect(t.writesSince(from)).toEqual([
      "registerdomain success",
      "registernameserver ns1.fresh-h25.se 192.0.2.44 success",
      "savenameservers success",
    ]);
    const register = writesIn(t.sb).find((r) => r.action === "registerdomain")!;
    expect(Object.keys(register.params ?? {}).filter((k) => k.startsWith("nameserver"))).toEqual([]);
    expect(t.sb.state.get("fresh-h25.se")!.nameservers).toEqual(["ns1.fresh-h25.se", "ns2.old.se"]);
    expect((await t.run(["plan", file])).stdout).toContain("No changes.");
  });
});
