import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serialize } from "php-serialize";
import { describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "./server.js";

const AUTH = "token=T&authemail=e%40x.se";

// biome-ignore lint/suspicious/noExplicitAny: answers of every shape are inspected field by field
async function post(s: Sandbox, body: string): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(s.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

const b64 = (v: unknown) => encodeURIComponent(Buffer.from(serialize(v)).toString("base64"));

async function withSandbox(
  fn: (s: Sandbox) => Promise<void>,
  opts: Parameters<typeof startSandbox>[0] = {},
): Promise<void> {
  const s = await startSandbox({ token: "T", authEmail: "e@x.se", ...opts });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

const REGISTER =
  "action=RegisterDomain&sld=exampledomain&tld=com&regperiod=1&nameserver1=ns1.yourdomain.com&nameserver2=ns2.yourdomain.com&firstname=test&lastname=test&companyname=company&address1=addresss&city=city&state=region&country=US&postcode=12345&phonenumber=1234567890&email=admin@exampledomain.com";

describe("answers shaped as the reference's examples", () => {
  it("every action", async () => {
    await withSandbox(async (s) => {
      const q = (b: string) => post(s, `${AUTH}&${b}`).then((r) => r.json);
      expect(await q(REGISTER)).toEqual({ result: "success", msg: "Domain has been registered" });
      expect(await q("action=GetNameservers&sld=exampledomain&tld=com")).toEqual({
        result: "success",
        ns1: "ns1.yourdomain.com",
        ns2: "ns2.yourdomain.com",
      });
      expect(
        await q("action=SaveNameservers&sld=exampledomain&tld=com&ns1=ns1.exampledomain.com&ns2=ns2.exampledomain.com"),
      ).toEqual({
        result: "success",
      });
      expect((await q("action=GetNameservers&sld=exampledomain&tld=com")).ns1).toBe("ns1.exampledomain.com");
      expect(await q("action=domaingetlockingstatus&sld=exampledomain&tld=com")).toEqual({
        result: "success",
        lockstatus: "unlocked",
      });
      expect(await q("action=domainupdatelockingstatus&sld=exampledomain&tld=com&lockstatus=1")).toEqual({
        result: "success",
      });
      expect((await q("action=DomainGetLockingStatus&sld=exampledomain&tld=com")).lockstatus).toBe("locked");
      const dns = [
        { hostname: "*", type: "A", address: "0.0.0.0", priority: "N/A", recid: "" },
        { hostname: "mail", type: "MXE", address: "0.0.0.0", priority: "10", recid: "" },
      ];
      expect(await q(`action=SaveDNS&sld=exampledomain&tld=com&dnsrecords=${b64(dns)}`)).toEqual({ result: "success" });
      expect(await q("action=GetDNS&sld=exampledomain&tld=com")).toEqual({
        "0": { hostname: "*", type: "A", address: "0.0.0.0", priority: null },
        "1": { hostname: "mail", type: "MXE", address: "0.0.0.0", priority: "10" },
        result: "success",
      });
      expect(
        await q(
          `action=SaveEmailForwarding&sld=exampledomain&tld=com&prefix=${b64(["test"])}&forwardto=${b64(["test@exampledomain.com"])}`,
        ),
      ).toEqual({ result: "success" });
      expect(await q("action=GetEmailForwarding&sld=exampledomain&tld=com")).toEqual({
        "1": { prefix: "test", forwardto: "test@exampledomain.com" },
        result: "success",
      });
      const contact =
        "contactdetails[Registrant][Name]=John%20Doe&contactdetails[Registrant][Company]=Company%20name&contactdetails[Registrant][Address]=Address&contactdetails[Registrant][City]=Amsterdam&contactdetails[Registrant][Country]=NL&contactdetails[Registrant][Zip_Code]=1001 GT&contactdetails[Registrant][Email]=test@exampledomain.com&contactdetails[Registrant][Telephone]=N/A";
      const registrant = {
        Name: "John Doe",
        Company: "Company name",
        Address: "Address",
        City: "Amsterdam",
        Country: "NL",
        Zip_Code: "1001 GT",
        Email: "test@exampledomain.com",
        Telephone: "N/A",
      };
      expect(await q(`action=SaveContactDetails&sld=exampledomain&tld=com&${contact}`)).toEqual({
        result: "success",
        Registrant: registrant,
      });
      expect(await q("action=GetContactDetails&sld=exampledomain&tld=com")).toEqual({
        result: "success",
        Registrant: registrant,
      });
      const sync = await q("action=Sync&sld=exampledomain&tld=com");
      expect(sync).toMatchObject({ result: "success", status: "Active", active: true, expired: false });
      expect(sync.expirydate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await q("action=RenewDomain&sld=exampledomain&tld=com&regperiod=1")).toEqual({
        result: "success",
        msg: "The domain has been successfully.",
      });
      expect((await q("action=Sync&sld=exampledomain&tld=com")).expirydate > sync.expirydate).toBe(true);
      expect((await q("action=GetEPPCode&sld=exampledomain&tld=com")).eppcode).toMatch(/\S+/);
      expect(
        await q(
          "action=RegisterNameserver&sld=exampledomain&tld=com&nameserver=test.exampledomain.com&ipaddress=1.1.1.1",
        ),
      ).toEqual({ result: "success" });
      expect(
        await q(
          "action=ModifyNameserver&sld=exampledomain&tld=com&nameserver=test.exampledomain.com&currentipaddress=1.1.1.1&newipaddress=2.2.2.2",
        ),
      ).toEqual({ result: "success" });
      expect(await q("action=DeleteNameserver&sld=exampledomain&tld=com&nameserver=test.exampledomain.com")).toEqual({
        result: "success",
      });
      expect(await q("action=SetAutoRenew&sld=exampledomain&tld=com&autorenew=1")).toEqual({ result: "success" });
      expect(await q("action=DASSE&sld=exampledomain&tld=se")).toEqual({
        result: "success",
        das: "free exampledomain.se",
      });
      expect(await q("action=DASNU&sld=exampledomain&tld=nu")).toEqual({
        result: "success",
        das: "free exampledomain.nu",
      });
      expect(await q("action=DAS&sld=exampledomain&tld=com")).toEqual({
        result: "success",
        das: "occupied exampledomain.com",
      });
      expect(await q("action=DASSE&sld=exampledomain&tld=nu")).toEqual({
        result: "success",
        das: "not_valid exampledomain.nu",
      });
      expect(
        await q(
          "action=TransferDomain&sld=flytt&tld=se&transfersecret=gd23h231s21&regperiod=1&firstname=t&lastname=t&address1=a&city=c&state=r&country=SE&postcode=1&phonenumber=1&email=a@b.se",
        ),
      ).toEqual({
        result: "success",
        msg: "Domain transfer initiated successfully.",
      });
      expect(await q("action=TransferSync&sld=flytt&tld=se&domain=flytt.se&regperiod=1")).toMatchObject({
        result: "success",
        completed: true,
      });
      expect(await q("action=ReleaseDomain&sld=flytt&tld=se&newtag=1AND1-TEST")).toEqual({ result: "success" });
      expect(await q("action=RequestDelete&sld=exampledomain&tld=com")).toEqual({ result: "success" });
      expect(s.state.domains.size).toBe(0);
    });
  });
  it("counts a registration from 29 February to 28 February of a common year, as registries do", async () => {
    await withSandbox(
      async (s) => {
        const q = (b: string) => post(s, `${AUTH}&${b}`).then((r) => r.json);
        await q(REGISTER);
        expect((await q("action=Sync&sld=exampledomain&tld=com")).expirydate).toBe("2025-02-28");
        await q("action=RenewDomain&sld=exampledomain&tld=com&regperiod=3");
        expect((await q("action=Sync&sld=exampledomain&tld=com")).expirydate).toBe("2028-02-28");
      },
      { now: () => Date.parse("2024-02-29T12:00:00Z") },
    );
  });

  it("writes JSON as PHP does: escaped slashes and \\u escapes", async () => {
    await withSandbox(async (s) => {
      await post(s, `${AUTH}&${REGISTER.replace("city=city", "city=G%C3%B6teborg")}`);
      const r = await post(s, `${AUTH}&action=GetContactDetails&sld=exampledomain&tld=com`);
      expect(r.text).toContain("G\\u00f6teborg");
      const r2 = await post(
        s,
        `${AUTH}&action=SaveContactDetails&sld=exampledomain&tld=com&contactdetails%5BRegistrant%5D%5BTelephone%5D=N/A`,
      );
      expect(r2.text).toContain('"N\\/A"');
    });
  });
  it("keeps a pending transfer pending until its delay has passed", async () => {
    let now = Date.UTC(2026, 0, 1);
    await withSandbox(
      async (s) => {
        await post(
          s,
          `${AUTH}&action=TransferDomain&sld=flytt&tld=nu&transfersecret=x&regperiod=1&firstname=t&lastname=t&address1=a&city=c&country=SE&email=a@b.se`,
        );
        expect((await post(s, `${AUTH}&action=TransferSync&sld=flytt&tld=nu`)).json).toEqual({ result: "success" });
        now += 61_000;
        expect((await post(s, `${AUTH}&action=TransferSync&sld=flytt&tld=nu`)).json).toMatchObject({ completed: true });
      },
      { transferDelayMs: 60_000, now: () => now },
    );
  });
  it("with manual transfers, keeps every transfer pending until the test settles it", async () => {
    const transfer = (sld: string, secret: string) =>
      `${AUTH}&action=TransferDomain&sld=${sld}&tld=nu&transfersecret=${secret}&regperiod=1&firstname=t&lastname=t&address1=a&city=c&country=SE&email=a@b.se`;
    await withSandbox(
      async (s) => {
        await post(s, transfer("flytt", "x"));
        await post(s, transfer("nej", "reject-me"));
        const sync = async (sld: string) => (await post(s, `${AUTH}&action=TransferSync&sld=${sld}&tld=nu`)).json;
        expect(await sync("flytt")).toEqual({ result: "success" });
        expect(s.settleTransfers("flytt.nu")).toEqual(["flytt.nu"]);
        expect(await sync("flytt")).toMatchObject({ completed: true });
        expect(await sync("nej")).toEqual({ result: "success" });
        expect(s.settleTransfers()).toEqual(["nej.nu"]);
        expect(await sync("nej")).toMatchObject({ failed: true, reason: expect.stringMatching(/rejected/) });
        expect(s.settleTransfers()).toEqual([]);
      },
      { manualTransfers: true, transferDelayMs: 0 },
    );
  });
});

describe("child nameservers (glue)", () => {
  const ns = (b: string) => `${AUTH}&sld=exampledomain&tld=com&${b}`;
  it("a host holds a set of addresses: Register adds one, Modify replaces one, Delete removes the host", async () => {
    await withSandbox(async (s) => {
      const q = (b: string) => post(s, ns(b)).then((r) => r.json);
      await post(s, `${AUTH}&${REGISTER}`);
      const glue = () => s.state.get("exampledomain.com")!.childNameservers;
      expect(await q("action=RegisterNameserver&nameserver=NS1.exampledomain.com&ipaddress=192.0.2.53")).toEqual({
        result: "success",
      });
      // A second address for the same host: added, IPv6 kept in canonical text.
      expect(await q("action=RegisterNameserver&nameserver=ns1.exampledomain.com&ipaddress=2001:DB8:0:0::53")).toEqual({
        result: "success",
      });
      expect(glue()).toEqual({ "ns1.exampledomain.com": ["192.0.2.53", "2001:db8::53"] });
      expect(
        await q(
          "action=ModifyNameserver&nameserver=ns1.exampledomain.com&currentipaddress=2001:db8::53&newipaddress=2001:db8::54",
        ),
      ).toEqual({ result: "success" });
      expect(glue()).toEqual({ "ns1.exampledomain.com": ["192.0.2.53", "2001:db8::54"] });
      expect(await q("action=RegisterNameserver&nameserver=ns2.exampledomain.com&ipaddress=192.0.2.54")).toEqual({
        result: "success",
      });
      expect(await q("action=DeleteNameserver&nameserver=ns1.exampledomain.com")).toEqual({ result: "success" });
      expect(glue()).toEqual({ "ns2.exampledomain.com": ["192.0.2.54"] });
    });
  });
  it("refuses what a registry refuses, changing nothing", async () => {
    await withSandbox(async (s) => {
      await post(s, `${AUTH}&${REGISTER}`);
      const q = (b: string) => post(s, ns(b)).then((r) => r.json);
      await q("action=RegisterNameserver&nameserver=ns1.exampledomain.com&ipaddress=192.0.2.53");
      await q("action=SaveNameservers&ns1=ns1.exampledomain.com&ns2=ns2.elsewhere.se");
      const before = JSON.stringify(s.state.toJSON());
      const err = async (b: string, re: RegExp) => {
        const r = await q(b);
        expect(r.result, b).toBe("error");
        expect(r.msg).toMatch(re);
      };
      await err("action=RegisterNameserver&nameserver=ns1.exampledomain.com&ipaddress=192.0.2.53", /already has/);
      await err("action=RegisterNameserver&nameserver=ns1.elsewhere.se&ipaddress=192.0.2.1", /not a host under/);
      await err("action=RegisterNameserver&nameserver=exampledomain.com&ipaddress=192.0.2.1", /not a host under/);
      await err("action=RegisterNameserver&nameserver=ns3.exampledomain.com&ipaddress=192.0.2.300", /IP address/);
      await err(
        "action=ModifyNameserver&nameserver=ns1.exampledomain.com&currentipaddress=192.0.2.99&newipaddress=192.0.2.1",
        /Current IP address does not match/,
      );
      await err(
        "action=ModifyNameserver&nameserver=ns9.exampledomain.com&currentipaddress=192.0.2.53&newipaddress=192.0.2.1",
        /not found/,
      );
      await err("action=DeleteNameserver&nameserver=ns9.exampledomain.com", /not found/);
      await err("action=DeleteNameserver&nameserver=ns1.elsewhere.se", /not a host under/);
      // Still named by the domain's nameservers: in use.
      await err("action=DeleteNameserver&nameserver=ns1.exampledomain.com", /in use/);
      const gone = (
        await post(
          s,
          `${AUTH}&action=RegisterNameserver&sld=finnsinte&tld=se&nameserver=ns1.finnsinte.se&ipaddress=192.0.2.1`,
        )
      ).json;
      expect(gone.msg).toMatch(/Domain not found/);
      expect(JSON.stringify(s.state.toJSON())).toBe(before);
    });
  });
  it("reads a state file from before hosts held several addresses", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sb-"));
    const path = join(dir, "state.json");
    await withSandbox(async (s) => void (await post(s, `${AUTH}&${REGISTER}`)), { statePath: path });
    const file = JSON.parse(await readFile(path, "utf8"));
    file.domains["exampledomain.com"].childNameservers = { "ns1.exampledomain.com": "192.0.2.53" };
    await writeFile(path, JSON.stringify(file));
    await withSandbox(
      async (s) => {
        expect(s.state.get("exampledomain.com")!.childNameservers).toEqual({ "ns1.exampledomain.com": ["192.0.2.53"] });
      },
      { statePath: path },
    );
  });
});

describe("holds and request events", () => {
  it("holds one action of one domain, says when it waits there, and when it is answered", async () => {
    await withSandbox(async (s) => {
      await post(s, `${AUTH}&${REGISTER}`);
      const release = s.hold("SaveNameservers", "exampledomain.com");
      const waiting = s.nextRequest({ action: "savenameservers" }, "held");
      const ns = (sld: string) => post(s, `${AUTH}&action=SaveNameservers&sld=${sld}&tld=com&ns1=ns1.b.se`);
      const heldAnswer = ns("exampledomain");
      const held = await waiting;
      expect(held).toMatchObject({ action: "savenameservers", domain: "exampledomain.com", changed: false });
      // Another domain's SaveNameservers (not found) and other actions pass the hold.
      expect((await ns("annan")).json.msg).toMatch(/not found/);
      expect((await post(s, `${AUTH}&action=GetNameservers&sld=exampledomain&tld=com`)).json.ns1).not.toBe("ns1.b.se");
      const answered = s.nextRequest((r) => r.seq === held.seq);
      release();
      expect(await answered).toBe(held);
      expect(held.changed).toBe(true);
      expect((await heldAnswer).json).toEqual({ result: "success" });
    });
  });
});

describe("errors", () => {
  it("answers result error with msg for each kind of bad request", async () => {
    await withSandbox(async (s) => {
      const err = async (b: string, re: RegExp) => {
        const r = await post(s, b);
        expect(r.json.result).toBe("error");
        expect(r.json.msg).toMatch(re);
      };
      await err("token=wrong&authemail=e%40x.se&action=GetDNS&sld=a&tld=se", /Authentication/);
      await err(`${AUTH}&action=NoSuchThing&sld=a&tld=se`, /Unknown action/);
      await err(`${AUTH}&action=GetDNS&sld=a`, /Missing parameter: tld/);
      await err(`${AUTH}&action=GetDNS&sld=r%C3%A4ksm%C3%B6rg%C3%A5s&tld=se`, /ACE/);
      await err(`${AUTH}&action=GetDNS&sld=finnsinte&tld=se`, /not found/);
      await post(s, `${AUTH}&${REGISTER}`);
      await err(`${AUTH}&${REGISTER}`, /already exists/);
      const bad = [{ hostname: "@", type: "BOGUS", address: "x", priority: "N/A" }];
      await err(`${AUTH}&action=SaveDNS&sld=exampledomain&tld=com&dnsrecords=${b64(bad)}`, /Invalid record type BOGUS/);
      await err(
        `${AUTH}&action=SaveDNS&sld=exampledomain&tld=com&dnsrecords=${b64([{ hostname: "@", type: "AAAA", address: "1.2.3.4" }])}`,
        /IPv6/,
      );
      await err(
        `${AUTH}&action=SaveDNS&sld=exampledomain&tld=com&dnsrecords=${b64([{ hostname: "@", type: "MX", address: "mx.a.se", priority: "x" }])}`,
        /priority/,
      );
    });
  });
  it("refuses hostile bodies and keeps serving", async () => {
    await withSandbox(async (s) => {
      const obj = encodeURIComponent(Buffer.from('a:1:{i:0;O:8:"stdClass":1:{s:1:"a";i:1;}}').toString("base64"));
      expect((await post(s, `${AUTH}&${REGISTER}`)).json.result).toBe("success");
      const r1 = await post(s, `${AUTH}&action=SaveDNS&sld=exampledomain&tld=com&dnsrecords=${obj}`);
      expect(r1.json.msg).toMatch(/not a serialized array/);
      const r2 = await post(s, `${AUTH}&action=SaveDNS&sld=exampledomain&tld=com&dnsrecords=%%%%not-base64`);
      expect(r2.json.result).toBe("error");
      const r3 = await post(s, `${AUTH}&action=GetDNS&sld=exampledomain&tld=com&x${"[a]".repeat(10_000)}=1`);
      expect(r3.json.result).toBe("success");
      const r4 = await post(s, `${AUTH}&action=GetDNS&sld=exampledomain&tld=com&big=${"x".repeat(2 * 1024 * 1024)}`);
      expect(r4.status).toBe(413);
      const deep = encodeURIComponent(
        Buffer.from(`${"a:1:{i:0;".repeat(5000)}i:1;${"}".repeat(5000)}`).toString("base64"),
      );
      const r5 = await post(s, `${AUTH}&action=SaveDNS&sld=exampledomain&tld=com&dnsrecords=${deep}`);
      expect(r5.json.result).toBe("error");
      expect((await post(s, `${AUTH}&action=GetNameservers&sld=exampledomain&tld=com`)).json.result).toBe("success");
    });
  });
});

describe("faults", () => {
  it("fail-rate answers 500 before any change", async () => {
    await withSandbox(
      async (s) => {
        const r = await post(s, `${AUTH}&${REGISTER}`);
        expect(r.status).toBe(500);
        expect(s.state.domains.size).toBe(0);
        expect(s.requests[0]!.fault).toBe("fail");
        s.faults.failRate = 0;
        expect((await post(s, `${AUTH}&${REGISTER}`)).status).toBe(200);
      },
      { faults: { failRate: 1 } },
    );
  });
  it("reset-rate destroys the socket, half before and half after the change", async () => {
    await withSandbox(
      async (s) => {
        for (let i = 0; i < 40; i++) {
          await post(s, `${AUTH}&${REGISTER.replace("sld=exampledomain", `sld=d${i}`)}`).catch(() => undefined);
        }
        const before = s.requests.filter((r) => r.fault === "reset-before").length;
        const after = s.requests.filter((r) => r.fault === "reset-after").length;
        expect(before + after).toBe(40);
        expect(before).toBeGreaterThan(5);
        expect(after).toBeGreaterThan(5);
        // Changes happened exactly for the resets after the change.
        expect(s.state.domains.size).toBe(after);
        expect(s.executed("RegisterDomain")).toBe(after);
      },
      { faults: { resetRate: 1 } },
    );
  });
  it("rate-limit answers 429 with Retry-After past the limit", async () => {
    await withSandbox(
      async (s) => {
        const rs = await Promise.all(
          Array.from({ length: 6 }, () => fetch(s.url, { method: "POST", body: `${AUTH}&action=DAS&sld=a&tld=com` })),
        );
        const statuses = rs.map((r) => r.status).sort();
        expect(statuses.filter((x) => x === 429)).toHaveLength(3);
        expect(rs.find((r) => r.status === 429)!.headers.get("retry-after")).toBe("1");
      },
      { faults: { rateLimit: 3 } },
    );
  });
  it("garbage-rate puts PHP warnings before the JSON or sends HTML", async () => {
    await withSandbox(
      async (s) => {
        const texts = [];
        for (let i = 0; i < 20; i++) texts.push((await post(s, `${AUTH}&action=DAS&sld=a&tld=com`)).text);
        expect(texts.some((t) => t.startsWith("<br />") && t.includes('{"result":"success"'))).toBe(true);
        expect(texts.some((t) => t.startsWith("<!DOCTYPE html>"))).toBe(true);
      },
      { faults: { garbageRate: 1 } },
    );
  });
  it("hashed draws give each (action, domain, attempt) the same fault whatever the order of arrival", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `d${i}`);
    const outcomes = async (order: string[], faultDraws: "sequence" | "hashed") => {
      const seen = new Map<string, string>();
      await withSandbox(
        async (s) => {
          for (let attempt = 1; attempt <= 3; attempt++)
            for (const n of order) await post(s, `${AUTH}&action=GetDNS&sld=${n}&tld=se`).catch(() => undefined);
          const attempts = new Map<string, number>();
          for (const r of s.requests) {
            const a = (attempts.get(r.domain!) ?? 0) + 1;
            attempts.set(r.domain!, a);
            seen.set(`${r.domain} ${a}`, r.fault ?? r.outcome);
          }
        },
        { randomSeed: 42, faultDraws, faults: { failRate: 0.3, resetRate: 0.2 } },
      );
      return seen;
    };
    const forward = await outcomes(names, "hashed");
    expect(new Set(forward.values()).size).toBeGreaterThan(2);
    expect(await outcomes([...names].reverse(), "hashed")).toEqual(forward);
    // The default, one stream in arrival order, differs with the order (what hashing fixes).
    expect(await outcomes([...names].reverse(), "sequence")).not.toEqual(await outcomes(names, "sequence"));
  });
  it("latency delays every answer", async () => {
    await withSandbox(
      async (s) => {
        // A lower bound only: a slower machine passes it too.
        const t0 = performance.now();
        await post(s, `${AUTH}&action=DAS&sld=a&tld=com`);
        expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
      },
      { faults: { latencyMs: 100 } },
    );
  });
});

describe("state", () => {
  it("survives a restart with --state", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sb-"));
    const path = join(dir, "state.json");
    let url = "";
    await withSandbox(
      async (s) => {
        url = s.url;
        await post(s, `${AUTH}&${REGISTER}`);
        await post(s, `${AUTH}&action=SaveNameservers&sld=exampledomain&tld=com&ns1=ns9.a.se`);
      },
      { statePath: path },
    );
    expect(url).not.toBe("");
    await withSandbox(
      async (s) => {
        expect(s.state.get("exampledomain.com")?.nameservers).toEqual(["ns9.a.se"]);
      },
      { statePath: path },
    );
    expect(JSON.parse(await readFile(path, "utf8")).version).toBe(1);
  });
  it("refuses a state file of an unknown version", async () => {
    const dir = await mkdtemp(join(tmpdir(), "regdom-sb-"));
    const path = join(dir, "state.json");
    await writeFile(path, JSON.stringify({ version: 9, domains: {} }));
    await expect(startSandbox({ statePath: path })).rejects.toThrow(/version/);
  });
  it("seeds the same portfolio for the same seed", async () => {
    const a = await startSandbox({ seed: 50 });
    const b = await startSandbox({ seed: 50 });
    try {
      expect(JSON.stringify(a.state.toJSON())).toBe(JSON.stringify(b.state.toJSON()));
      const all = [...a.state.domains.values()];
      expect(all.some((d) => d.name.startsWith("xn--"))).toBe(true);
      const types = new Set(all.flatMap((d) => d.dns.map((r) => r.type)));
      expect([...types].sort()).toEqual(["A", "AAAA", "CNAME", "FRAME", "MX", "MXE", "TXT", "URL"]);
      expect(new Set(all.map((d) => d.name.split(".").pop()))).toEqual(new Set(["se", "nu", "com"]));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
