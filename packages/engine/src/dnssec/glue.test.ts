/**
 * readGlue's reading of parent answers, against a scripted DNS server on loopback (real DNS
 * messages over UDP, no root needed): it acts as the resolver and as the parent `se` server, so the
 * parent is asked on the resolver's port. The same against BIND's named: apps/bulk/e2e/glueRead.test.ts.
 */
import { createSocket, type Socket } from "node:dgram";
import { type SandboxDomain, SandboxState, startDnsStub } from "@regdom/sandbox";
import * as dnsPacket from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlueReadError, readDelegation, readGlue, sortAddresses } from "./glue.js";
import type { GuardOptions } from "./guard.js";
import { parseResolver } from "./resolver.js";

type Reply = Pick<dnsPacket.Packet, "answers" | "authorities" | "additionals"> & { aa?: boolean; rcode?: string };

const ns = (name: string, data: string): dnsPacket.Answer => ({ type: "NS", name, ttl: 60, data });
const a = (name: string, data: string): dnsPacket.Answer => ({ type: "A", name, ttl: 60, data });
const aaaa = (name: string, data: string): dnsPacket.Answer => ({ type: "AAAA", name, ttl: 60, data });
const SOA: dnsPacket.Answer = {
  type: "SOA",
  name: "se",
  ttl: 60,
  data: { mname: "ns.se", rname: "h.se", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 1 },
};

/** What the scripted server answers: recursive questions as a resolver, the rest as the `se` parent. */
function reply(q: dnsPacket.Question, recursion: boolean): Reply {
  const key = `${q.name.toLowerCase()} ${q.type}`;
  if (recursion) {
    const known: Record<string, Reply> = {
      "se NS": { answers: [ns("se", "ns.se")] },
      "ns.se A": { answers: [a("ns.se", "127.0.0.1")] },
      "ns.se AAAA": { authorities: [SOA] },
      "nu NS": { answers: [ns("nu", "ns.nu")] },
      "ns.nu A": { answers: [a("ns.nu", "127.0.0.9")] },
      "ns.nu AAAA": {},
    };
    return known[key] ?? { rcode: "NXDOMAIN", authorities: [SOA] };
  }
  switch (key) {
    case "acme.se NS": // a referral with glue, beside addresses that are not acme.se's glue
      return {
        authorities: [ns("acme.se", "ns1.acme.se"), ns("acme.se", "ns2.acme.se"), ns("acme.se", "ns.other.net")],
        additionals: [
          aaaa("ns1.acme.se", "2001:0DB8:0:0:0:0:0:0053"),
          a("ns1.acme.se", "192.0.2.53"),
          a("ns2.acme.se", "192.0.2.54"),
          a("ns2.acme.se", "192.0.2.9"),
          a("ns2.acme.se", "192.0.2.54"),
          a("ns.other.net", "198.51.100.1"),
          a("ns1.notacme.se", "198.51.100.2"),
        ],
      };
    case "auth.se NS": // the parent serves the child zone too: an authoritative answer
      return { aa: true, answers: [ns("auth.se", "ns1.auth.se")], additionals: [a("ns1.auth.se", "192.0.2.7")] };
    case "gone.se NS":
      return { aa: true, rcode: "NXDOMAIN", authorities: [SOA] };
    case "servfail.se NS":
      return { rcode: "SERVFAIL" };
    case "lame.se NS": // a server that is no parent: it refers up to the root
      return { authorities: [ns("", "a.root-servers.net")] };
    case "nxnoaa.se NS":
      return { rcode: "NXDOMAIN" };
    default:
      return { aa: true, authorities: [SOA] };
  }
}

const RCODES: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

let server: Socket;
/** The recursive questions the scripted server was asked (as the resolver). */
const asked: string[] = [];
let o: GuardOptions;

beforeAll(async () => {
  server = createSocket("udp4");
  server.on("message", (buf, from) => {
    const q = dnsPacket.decode(buf);
    const question = q.questions![0]!;
    const recursion = ((q.flags ?? 0) & dnsPacket.RECURSION_DESIRED) !== 0;
    if (recursion) asked.push(`${question.name} ${question.type}`);
    const r = reply(question, recursion);
    const out = dnsPacket.encode({
      type: "response",
      id: q.id ?? 0,
      // dns-packet encodes the rcode from the low bits of the flags.
      flags:
        (r.aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
        ((q.flags ?? 0) & dnsPacket.RECURSION_DESIRED) |
        RCODES[r.rcode ?? "NOERROR"]!,
      questions: q.questions ?? [],
      answers: r.answers ?? [],
      authorities: r.authorities ?? [],
      additionals: r.additionals ?? [],
    });
    server.send(out, from.port, from.address);
  });
  await new Promise<void>((done) => server.bind(0, "127.0.0.1", done));
  o = { resolver: { host: "127.0.0.1", port: server.address().port }, retries: 0 };
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe("readGlue", () => {
  it("takes the in-bailiwick A/AAAA of a referral: canonical, IPv4 before IPv6, sorted, no duplicates", async () => {
    expect(await readGlue("acme.se", o)).toEqual({
      "ns1.acme.se": ["192.0.2.53", "2001:db8::53"],
      "ns2.acme.se": ["192.0.2.9", "192.0.2.54"],
    });
  });
  it("takes an authoritative answer of the parent the same way", async () => {
    expect(await readGlue("auth.se", o)).toEqual({ "ns1.auth.se": ["192.0.2.7"] });
  });
  it("reads an authoritative NXDOMAIN or NODATA as no glue: the parent does not delegate the domain", async () => {
    expect(await readGlue("gone.se", o)).toEqual({});
    expect(await readGlue("other.se", o)).toEqual({});
  });
  it("throws GlueReadError, never {}, for SERVFAIL, a lame server, an NXDOMAIN without authority", async () => {
    for (const [domain, why] of [
      ["servfail.se", /answered SERVFAIL/],
      ["lame.se", /referred to \. instead of answering for lame\.se/],
      ["nxnoaa.se", /NXDOMAIN without authority/],
    ] as const) {
      const e = await readGlue(domain, o).catch((x: unknown) => x);
      expect(e, domain).toBeInstanceOf(GlueReadError);
      expect((e as GlueReadError).domain).toBe(domain);
      expect((e as Error).message).toMatch(why);
    }
  });
  it("asks a parent server whose address is not the resolver's on port 53", async () => {
    const e = await readGlue("acme.nu", o).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GlueReadError);
    expect((e as Error).message).toMatch(/no server of nu answered usably \(127\.0\.0\.9 /);
  });
  it("asks the resolver about a parent once per options object, and names each domain in a shared failure", async () => {
    const once = { ...o };
    asked.length = 0;
    await Promise.all([readGlue("acme.se", once), readGlue("auth.se", once), readGlue("gone.se", once)]);
    expect(asked.sort()).toEqual(["ns.se A", "ns.se AAAA", "se NS"]);
    // Nobody on port 1: both wait on the one failing search for the parent `nu`.
    const dead = { resolver: { host: "127.0.0.1", port: 1 }, retries: 0 };
    const errors = await Promise.all(["acme.nu", "other.nu"].map((d) => readGlue(d, dead).catch((e: unknown) => e)));
    expect(errors.map((e) => (e as GlueReadError).domain)).toEqual(["acme.nu", "other.nu"]);
  });
  it("refuses a name with no parent zone", async () => {
    await expect(readGlue("se", o)).rejects.toThrow(GlueReadError);
  });
});

describe("readGlue against the sandbox's DNS stub", () => {
  const domain = (name: string, nameservers: string[], childNameservers: Record<string, string[]>): SandboxDomain => ({
    name,
    status: "Active",
    expiryDate: "2030-01-01",
    nameservers,
    locked: false,
    autorenew: false,
    registrant: {},
    dns: [],
    forwarding: [],
    eppcode: "x",
    childNameservers,
  });
  it("reads the glue the books hold for the domain's nameservers, as they change", async () => {
    const books = new SandboxState();
    books.domains.set(
      "acme.se",
      domain("acme.se", ["ns1.acme.se", "ns.elsewhere.net"], {
        "ns1.acme.se": ["2001:db8::53", "192.0.2.53"],
        "ns9.acme.se": ["192.0.2.99"], // registered, but no nameserver of the domain names it
      }),
    );
    const stub = await startDnsStub({ delegations: books });
    try {
      const so = { resolver: parseResolver(stub.address), retries: 0 };
      expect(await readGlue("acme.se", so)).toEqual({ "ns1.acme.se": ["192.0.2.53", "2001:db8::53"] });
      // With the NS set: ns9.acme.se is not named, so its glue cannot be seen (not "none").
      expect(await readDelegation("acme.se", so)).toEqual({
        nameservers: ["ns.elsewhere.net", "ns1.acme.se"],
        glue: { "ns1.acme.se": ["192.0.2.53", "2001:db8::53"] },
      });
      expect(await readDelegation("not-in-the-books.se", so)).toEqual({ nameservers: [], glue: {} });
      books.get("acme.se")!.childNameservers["ns1.acme.se"] = ["192.0.2.54"];
      expect(await readGlue("acme.se", so)).toEqual({ "ns1.acme.se": ["192.0.2.54"] });
      expect(await readGlue("not-in-the-books.se", so)).toEqual({});
    } finally {
      await stub.close();
    }
  });
  it("without books the stub knows no parent: GlueReadError", async () => {
    const stub = await startDnsStub();
    try {
      await expect(readGlue("acme.se", { resolver: parseResolver(stub.address), retries: 0 })).rejects.toThrow(
        /knows no nameservers for the root/,
      );
    } finally {
      await stub.close();
    }
  });
});

describe("sortAddresses", () => {
  it("IPv4 by number, then IPv6", () => {
    expect(sortAddresses(["2001:db8::1", "192.0.2.10", "10.0.0.1", "192.0.2.9"])).toEqual([
      "10.0.0.1",
      "192.0.2.9",
      "192.0.2.10",
      "2001:db8::1",
    ]);
  });
});
