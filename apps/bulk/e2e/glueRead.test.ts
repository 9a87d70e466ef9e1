/**
 * readGlue against real DNS: BIND's `named` serving a parent `se.` zone with delegations (glue for
 * in-bailiwick nameservers, IPv4 and IPv6), asked the way resolvers ask it (RD=0, the glue in the
 * additional section of the referral). The expected glue is checked twice: as written in the zone,
 * and as BIND itself reads the zone file (named-checkzone -D), so the canonical address text is
 * BIND's, not ours. Addresses 127.0.0.12–15 are this file's (dnssec.test.ts has 127.0.0.2–5).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Glue, GlueReadError, type GuardOptions, readGlue } from "@regdom/engine";
import type { Sandbox } from "@regdom/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir } from "./env.js";
import { loopbackAddress, type Named, parentZone, parentZoneFromSandbox, startNamed, withNamed } from "./named.js";

const PARENT = "127.0.0.12";
const REFUSING = "127.0.0.13"; // a named that serves no zone the question is in: REFUSED
const REPUBLISHED = "127.0.0.14";
const DEAD = "127.0.0.15"; // nobody listens there
const opts = (host: string, port = 53): GuardOptions => ({ resolver: { host, port } });

/** The glue BIND would give for `domain`, from the zone as named-checkzone reads it. */
function glueByBind(zoneFile: string, zone: string, domain: string): Glue {
  const dump = execFileSync("named-checkzone", ["-i", "none", "-D", "-o", "-", zone, zoneFile], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const rrs = dump
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 5)
    .map(([owner, , , type, data]) => ({ owner: owner!.replace(/\.$/, ""), type: type!, data: data! }));
  const inBailiwick = (h: string) => h === domain || h.endsWith(`.${domain}`);
  const targets = rrs
    .filter((r) => r.type === "NS" && r.owner === domain)
    .map((r) => r.data.replace(/\.$/, ""))
    .filter(inBailiwick);
  const glue: Glue = {};
  for (const host of [...new Set(targets)].sort()) {
    const v4 = rrs.filter((r) => r.owner === host && r.type === "A").map((r) => r.data);
    const v6 = rrs.filter((r) => r.owner === host && r.type === "AAAA").map((r) => r.data);
    v4.sort((a, b) => a.split(".").reduce((n, p) => n * 256 + +p, 0) - b.split(".").reduce((n, p) => n * 256 + +p, 0));
    if (v4.length + v6.length) glue[host] = [...v4, ...v6.sort()];
  }
  return glue;
}

describe("readGlue without an answering resolver", () => {
  it("a resolver that does not answer is a GlueReadError, never {}", async () => {
    const e = await readGlue("acme.se", { ...opts("127.0.0.1", 1), retries: 0 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GlueReadError);
    expect((e as GlueReadError).domain).toBe("acme.se");
    expect((e as GlueReadError).message).toMatch(/the glue of acme\.se could not be read: the parent zone could not/);
  });
});

describe.skipIf(!withNamed)("readGlue against named", () => {
  const servers: Named[] = [];
  const cleanups: (() => void)[] = [];
  let dir = "";
  let seZone = "";

  beforeAll(async () => {
    dir = await tempDir();
    for (const a of [PARENT, REFUSING]) cleanups.push(loopbackAddress(a));
    seZone = parentZone(
      dir,
      "se",
      [
        // Two in-bailiwick hosts, each with IPv4 and IPv6 glue (written out of order and long-hand).
        "acme IN NS ns1.acme.se.",
        "acme IN NS ns2.acme.se.",
        "ns1.acme IN A 192.0.2.53",
        "ns1.acme IN AAAA 2001:DB8:0:0:0:0:0:53",
        "ns2.acme IN A 192.0.2.54",
        "ns2.acme IN A 192.0.2.9",
        "ns2.acme IN AAAA 2001:db8:0:1:0:0:0:54",
        // Out of bailiwick only: the parent gives ns1.host-a.se's address as additional data, but it is
        // not glue of out.se.
        "out IN NS ns1.host-a.se.",
        "out IN NS ns.example.net.",
        "ns1.host-a IN A 192.0.2.80",
        // One of each.
        "mixed IN NS ns1.mixed.se.",
        "mixed IN NS ns1.host-a.se.",
        "ns1.mixed IN A 192.0.2.60",
        // Delegated below an empty non-terminal: the parent of deep.co.se is se, not co.se.
        "deep.co IN NS ns1.deep.co.se.",
        "ns1.deep.co IN AAAA 2001:db8::70",
        // A name the parent holds but does not delegate.
        "host IN A 192.0.2.1",
      ],
      PARENT,
    );
    const nuZone = join(dir, "nu.zone");
    writeFileSync(
      nuZone,
      `$TTL 60\n@ IN SOA ns.nu. hostmaster.nu. 1 3600 600 86400 60\n@ IN NS ns.nu.\nns IN A ${DEAD}\nacme IN NS ns1.acme.nu.\nns1.acme IN A 192.0.2.1\n`,
    );
    const noZone = join(dir, "no.zone");
    writeFileSync(
      noZone,
      `$TTL 60\n@ IN SOA ns.no. hostmaster.no. 1 3600 600 86400 60\n@ IN NS ns.no.\nns IN A ${REFUSING}\nacme IN NS ns1.acme.no.\nns1.acme IN A 192.0.2.1\n`,
    );
    servers.push(await startNamed(dir, PARENT, { se: seZone, nu: nuZone, no: noZone }));
    servers.push(await startNamed(dir, REFUSING, {}));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    for (const c of cleanups) c();
  });

  it("reads two hosts' IPv4 and IPv6 glue from the referral, in canonical text, as BIND reads the zone", async () => {
    const glue = await readGlue("acme.se", opts(PARENT));
    expect(glue).toEqual({
      "ns1.acme.se": ["192.0.2.53", "2001:db8::53"],
      "ns2.acme.se": ["192.0.2.9", "192.0.2.54", "2001:db8:0:1::54"],
    });
    expect(glue).toEqual(glueByBind(seZone, "se", "acme.se"));
    // The same domain asked in another spelling.
    expect(await readGlue("ACME.se.", opts(PARENT))).toEqual(glue);
  });

  it("leaves out-of-bailiwick nameservers out: {} when there are only those", async () => {
    expect(await readGlue("out.se", opts(PARENT))).toEqual({});
    expect(await readGlue("out.se", opts(PARENT))).toEqual(glueByBind(seZone, "se", "out.se"));
    expect(await readGlue("mixed.se", opts(PARENT))).toEqual({ "ns1.mixed.se": ["192.0.2.60"] });
    expect(await readGlue("mixed.se", opts(PARENT))).toEqual(glueByBind(seZone, "se", "mixed.se"));
  });

  it("finds the parent above an empty non-terminal (deep.co.se is delegated from se)", async () => {
    expect(await readGlue("deep.co.se", opts(PARENT))).toEqual({ "ns1.deep.co.se": ["2001:db8::70"] });
  });

  it("a domain the parent does not delegate (NXDOMAIN, or a name without NS) has no glue: {}", async () => {
    expect(await readGlue("nosuch.se", opts(PARENT))).toEqual({});
    expect(await readGlue("host.se", opts(PARENT))).toEqual({});
  });

  it("a parent whose servers do not answer, or refuse, is a GlueReadError naming the domain", async () => {
    const dead = await readGlue("acme.nu", opts(PARENT)).catch((x: unknown) => x);
    expect(dead).toBeInstanceOf(GlueReadError);
    expect((dead as GlueReadError).domain).toBe("acme.nu");
    expect((dead as Error).message).toMatch(
      new RegExp(`no server of nu answered usably \\(${DEAD.replaceAll(".", "\\.")}`),
    );
    const refused = await readGlue("acme.no", opts(PARENT)).catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(GlueReadError);
    expect((refused as Error).message).toMatch(/answered REFUSED/);
  });
});

describe.skipIf(!withNamed)("the parent republished from the sandbox's child nameservers", () => {
  let named: Named | undefined;
  let sb: Sandbox | undefined;
  const cleanups: (() => void)[] = [];
  afterAll(async () => {
    await named?.stop();
    await sb?.close();
    for (const c of cleanups) c();
  });

  it("RegisterNameserver and ModifyNameserver through the API show in the glue read after a reload", async () => {
    const dir = await tempDir();
    cleanups.push(loopbackAddress(REPUBLISHED));
    sb = await sandbox({ seed: 1 });
    const model = [...sb.state.domains.values()][0]!;
    const name = "glue-rt.se";
    sb.state.domains.set(name, {
      ...structuredClone(model),
      name,
      nameservers: ["ns1.glue-rt.se", "ns2.elsewhere.net"],
      childNameservers: {},
    });
    const zone = parentZoneFromSandbox(dir, "se", sb.state.domains.values(), { address: REPUBLISHED });
    named = await startNamed(dir, REPUBLISHED, { se: zone });
    const o = opts(REPUBLISHED);
    expect(await readGlue(name, o)).toEqual({});

    const ops = join(dir, "ops.csv");
    writeFileSync(
      ops,
      "action,domain,nameserver,ipaddress\n" +
        `RegisterNameserver,${name},ns1.${name},2001:db8::10\n` +
        `RegisterNameserver,${name},ns1.${name},192.0.2.10\n`,
    );
    const r = await bulk(sb, ["run", ops, "--run-dir", join(dir, "run1"), "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(sb.state.get(name)!.childNameservers).toEqual({ [`ns1.${name}`]: ["2001:db8::10", "192.0.2.10"] });
    parentZoneFromSandbox(dir, "se", sb.state.domains.values(), { address: REPUBLISHED });
    await named.reload();
    expect(await readGlue(name, o)).toEqual({ [`ns1.${name}`]: ["192.0.2.10", "2001:db8::10"] });

    writeFileSync(
      ops,
      "action,domain,nameserver,currentipaddress,newipaddress\n" +
        `ModifyNameserver,${name},ns1.${name},192.0.2.10,192.0.2.11\n`,
    );
    const m = await bulk(sb, ["run", ops, "--run-dir", join(dir, "run2"), "--yes"]);
    expect(m.code, m.stderr).toBe(0);
    parentZoneFromSandbox(dir, "se", sb.state.domains.values(), { address: REPUBLISHED });
    await named.reload();
    expect(await readGlue(name, o)).toEqual({ [`ns1.${name}`]: ["192.0.2.11", "2001:db8::10"] });
  });
});
