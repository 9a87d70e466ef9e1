/**
 * Glue as a section against real DNS: the parent `se.` zone is served by `named` and republished
 * from the sandbox's books after each apply (as the registry publishes), so every live glue read
 * is the parent's referral over the wire. A move to nameservers under the domain registers their
 * glue first; an address change sends ModifyNameserver with the address named served; a move to
 * such nameservers without glue is refused (exit 2); a glue deletion needs --allow-delete and goes
 * after the nameserver change; rollback puts a glue change back. Address 127.0.0.22 is this file's.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "@regdom/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir, writesIn } from "./env.js";
import {
  childZone,
  dsOf,
  keygen,
  loopbackAddress,
  type Named,
  parentZoneFromSandbox,
  startNamed,
  withNamed,
} from "./named.js";

const PARENT = "127.0.0.22";
/** The server a signed domain moves to, at the address its new glue gives. */
const CHILD = "127.0.0.23";
const OLD = ["ns1.old.se", "ns2.old.se"];

describe("validate", () => {
  it("counts the domains that give glue, YAML and table alike, in its text and JSON summaries", async () => {
    const dir = await tempDir();
    writeFileSync(
      join(dir, "m.yaml"),
      "version: 1\ndomains:\n  a.se:\n    glue: {ns1.a.se: [192.0.2.53]}\n  b.se:\n    glue: {}\n  c.se:\n    nameservers: [ns1.x.se, ns2.x.se]\n",
    );
    writeFileSync(join(dir, "glue.csv"), "domain,nameserver,address\nd.se,ns1.d.se,192.0.2.54\n");
    const text = await bulk(undefined, ["validate", dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      "Valid: 4 domain(s) in 2 file(s); 0 owner(s); zones 0, forwardings 0, nameservers 1, glue 3.\n",
    );
    const json = await bulk(undefined, ["validate", dir, "--json"]);
    expect(JSON.parse(json.stdout).managed).toEqual({ nameservers: 1, dns: 0, forwarding: 0, registrant: 0, glue: 3 });
  });
});

describe("glue that cannot be read", () => {
  it("fails the domain's plan with the reason (never read as no glue); apply sends nothing for it", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const name = [...sb.state.domains.keys()][0]!;
      const dir = await tempDir();
      const file = join(dir, "m.yaml");
      writeFileSync(file, `version: 1\ndomains:\n  ${name}:\n    glue: {ns1.${name}: [192.0.2.53]}\n`);
      // Port 1 of loopback: nobody listens, every attempt is refused at once.
      const plan = await bulk(sb, ["plan", file, "--resolver", "127.0.0.1:1"]);
      expect(plan.code).toBe(1);
      expect(plan.stdout).toContain(`! ${name}: the glue of ${name} could not be read`);
      const applied = await bulk(sb, [
        "apply",
        file,
        "--yes",
        "--resolver",
        "127.0.0.1:1",
        "--run-dir",
        join(dir, "run"),
      ]);
      expect(applied.code).toBe(1);
      expect(writesIn(sb)).toEqual([]);
    } finally {
      await sb.close();
    }
  });
});

describe.skipIf(!withNamed)("glue against named", () => {
  let sb: Sandbox;
  let named: Named;
  let child: Named;
  let dir = "";
  /** The parent's lines beside what the sandbox holds (sig.se's DS). */
  const extra: string[] = [];
  const cleanups: (() => void)[] = [];

  /** The parent zone as the registry would publish it now; named reads it anew. */
  async function republish(): Promise<void> {
    parentZoneFromSandbox(dir, "se", sb.state.domains.values(), { address: PARENT, extra });
    await named.reload();
  }

  function manifest(name: string, body: string): string {
    const file = join(dir, name);
    writeFileSync(file, `version: 1\ndomains:\n${body}`);
    return file;
  }

  const run = (args: string[]) => bulk(sb, [...args, "--resolver", PARENT]);
  /** The sandbox's write requests since `from`: action, nameserver, and the addresses sent. */
  const writesSince = (from: number) =>
    writesIn(sb)
      .filter((r) => r.seq > from)
      .map((r) =>
        [r.action, r.params?.nameserver, r.params?.ipaddress ?? r.params?.currentipaddress, r.params?.newipaddress]
          .filter((x) => x !== undefined)
          .join(" "),
      );
  const lastSeq = () => sb.requests.at(-1)?.seq ?? 0;

  beforeAll(async () => {
    dir = await tempDir();
    for (const a of [PARENT, CHILD]) cleanups.push(loopbackAddress(a));
    sb = await sandbox({ seed: 1 });
    const model = [...sb.state.domains.values()][0]!;
    const add = (name: string, nameservers: string[], childNameservers: Record<string, string[]>) =>
      sb.state.domains.set(name, { ...structuredClone(model), name, nameservers, childNameservers });
    add("acme.se", OLD, {});
    add("chg.se", ["ns1.chg.se", "ns1.old.se"], { "ns1.chg.se": ["192.0.2.10"] });
    add("bare.se", OLD, {});
    add("del.se", ["ns1.del.se", "ns2.del.se"], { "ns1.del.se": ["192.0.2.20"], "ns2.del.se": ["192.0.2.21"] });
    add("sig.se", OLD, {});
    const kSig = keygen(dir, "sig.se");
    extra.push(dsOf(dir, kSig));
    const zone = parentZoneFromSandbox(dir, "se", sb.state.domains.values(), { address: PARENT, extra });
    named = await startNamed(dir, PARENT, { se: zone });
    child = await startNamed(dir, CHILD, { "sig.se": childZone(dir, "sig.se", "ns.elsewhere.net.", kSig) });
  });
  afterAll(async () => {
    await named?.stop();
    await child?.stop();
    await sb?.close();
    for (const c of cleanups) c();
  });

  it("a move to nameservers under the domain: + glue before ~ nameservers, RegisterNameserver sent first, then nothing to do", async () => {
    const file = manifest(
      "acme.yaml",
      "  acme.se:\n    nameservers: [ns1.acme.se, ns2.acme.se]\n    glue:\n" +
        "      ns1.acme.se: [192.0.2.53, 2001:db8::53]\n      ns2.acme.se: [192.0.2.54]\n",
    );
    const plan = await run(["plan", file]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      [
        "~ acme.se",
        // acme.se's nameservers do not name them yet: the parent cannot show their glue.
        "    + glue ns1.acme.se 192.0.2.53 (not visible in DNS until the domain names it)",
        "    + glue ns1.acme.se 2001:db8::53 (not visible in DNS until the domain names it)",
        "    + glue ns2.acme.se 192.0.2.54 (not visible in DNS until the domain names it)",
        "    ~ nameservers: ns1.old.se, ns2.old.se -> ns1.acme.se, ns2.acme.se",
      ].join("\n"),
    );
    const json = JSON.parse((await run(["plan", file, "--format", "json"])).stdout);
    expect(json.domains[0].changes.map((c: { section: string }) => c.section)).toEqual(["glue", "nameservers"]);

    const from = lastSeq();
    const applied = await run(["apply", file, "--yes", "--run-dir", join(dir, "run-acme")]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(writesSince(from)).toEqual([
      "registernameserver ns1.acme.se 192.0.2.53",
      "registernameserver ns1.acme.se 2001:db8::53",
      "registernameserver ns2.acme.se 192.0.2.54",
      "savenameservers",
    ]);
    await republish();
    const again = await run(["plan", file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");
  });

  it("a glue address change sends ModifyNameserver with the address named served; rollback puts it back", async () => {
    const file = manifest("chg.yaml", "  chg.se:\n    glue:\n      ns1.chg.se: [192.0.2.11]\n");
    const plan = await run(["plan", file]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("    ~ glue ns1.chg.se 192.0.2.10 -> 192.0.2.11");
    const runDir = join(dir, "run-chg");
    const from = lastSeq();
    const applied = await run(["apply", file, "--yes", "--run-dir", runDir]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(writesSince(from)).toEqual(["modifynameserver ns1.chg.se 192.0.2.10 192.0.2.11"]);
    const intent = readFileSync(join(runDir, "journal.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((e) => e.phase === "intent");
    expect(intent).toMatchObject({
      section: "glue",
      action: "RegisterNameserver",
      before: { "ns1.chg.se": ["192.0.2.10"] },
      after: { "ns1.chg.se": ["192.0.2.11"] },
    });

    await republish();
    const back = lastSeq();
    const rolled = await run(["rollback", runDir, "--yes"]);
    expect(rolled.code, `${rolled.stdout}${rolled.stderr}`).toBe(0);
    expect(rolled.stdout).toMatch(/Restored 1 section/);
    expect(writesSince(back)).toEqual(["modifynameserver ns1.chg.se 192.0.2.11 192.0.2.10"]);
    expect(sb.state.get("chg.se")!.childNameservers).toEqual({ "ns1.chg.se": ["192.0.2.10"] });
  });

  it("a move to nameservers under the domain without glue is refused at plan (exit 2), nothing sent", async () => {
    const file = manifest("bare.yaml", "  bare.se:\n    nameservers: [ns1.bare.se, ns.other.se]\n");
    const from = lastSeq();
    const plan = await run(["plan", file]);
    expect(plan.code).toBe(2);
    expect(`${plan.stdout}${plan.stderr}`).toMatch(/bare\.se: nameservers ns1\.bare\.se is under bare\.se/);
    const applied = await run(["apply", file, "--yes", "--run-dir", join(dir, "run-bare")]);
    expect(applied.code).toBe(2);
    expect(applied.stderr).toMatch(/refused, nothing was sent:\n {2}bare\.se: nameservers ns1\.bare\.se/);
    expect(writesSince(from)).toEqual([]);
  });

  it("a glue deletion needs --allow-delete, and goes after the nameserver change that leaves it", async () => {
    const file = manifest(
      "del.yaml",
      "  del.se:\n    nameservers: [ns1.del.se, ns1.old.se]\n    glue:\n      ns1.del.se: [192.0.2.20]\n",
    );
    const plan = await run(["plan", file]);
    expect(plan.stdout).toContain(
      "    ~ nameservers: ns1.del.se, ns2.del.se -> ns1.del.se, ns1.old.se\n" +
        "      dnssec: unsigned (no DS at the parent)\n" +
        "    - glue ns2.del.se",
    );
    const from = lastSeq();
    const refused = await run(["apply", file, "--yes", "--run-dir", join(dir, "run-del0")]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/1 removal\(s\) \(del\.se glue ns2\.del\.se\) need --allow-delete/);
    expect(writesSince(from)).toEqual([]);

    const applied = await run(["apply", file, "--yes", "--allow-delete", "--run-dir", join(dir, "run-del")]);
    expect(applied.code, applied.stderr).toBe(0);
    // The sandbox refuses deleting a host the domain's nameservers still name: the order is what let it through.
    expect(writesSince(from)).toEqual(["savenameservers", "deletenameserver ns2.del.se"]);
    await republish();
    expect((await run(["plan", file])).stdout).toContain("No changes.");
  });

  it("the DNSSEC guard asks a new nameserver under the domain at the address its glue will have", async () => {
    // Nothing resolves ns1.sig.se yet: only the glue this apply registers first says where it is.
    const file = manifest("sig.yaml", `  sig.se:\n    nameservers: [ns1.sig.se]\n    glue: {ns1.sig.se: [${CHILD}]}\n`);
    const plan = await run(["plan", file, "--format", "json"]);
    expect(plan.code, plan.stderr).toBe(0);
    const d = JSON.parse(plan.stdout).domains[0];
    expect(d.dnssec, JSON.stringify(d.dnssec)).toMatchObject({
      verdict: "safe",
      servers: [{ name: "ns1.sig.se", matching: [expect.any(Number)] }],
    });
  });
});
