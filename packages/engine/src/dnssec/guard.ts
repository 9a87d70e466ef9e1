/**
 * The DNSSEC guard on nameserver changes: the DS records at the parent (through a resolver) against
 * the DNSKEY set each new nameserver serves (asked directly, without recursion). Unknown is not safe.
 */
import { toAce } from "@regdom/core/data";
import type * as dnsPacket from "dns-packet";
import pLimit from "p-limit";
import { DnsNoAnswer, type DnsServer, type QueryOptions, query, rcodeOf } from "./dnsQuery.js";
import { DIGEST_TYPES, type Dnskey, dsDigest, isZoneKey, keyTag } from "./dsDigest.js";

export type DnssecVerdict = "unsigned" | "safe" | "would break" | "unknown";

/** What the guard found for one domain: saved in the plan. */
export interface DnssecCheck {
  verdict: DnssecVerdict;
  /** The DS records at the parent, as `keytag/algorithm/digesttype`. */
  ds: string[];
  /** Per new nameserver: the key tags it serves that match a DS, or why none do. */
  servers: { name: string; matching: number[]; problem?: string }[];
  /** Why the verdict is unknown or would break, in words. */
  reason?: string;
}

export interface GuardOptions {
  resolver: DnsServer;
  /** Port to ask the nameservers on (53; tests may differ). */
  nameserverPort?: number;
  timeoutMs?: number;
  retries?: number;
}

interface Ds {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Buffer;
}

const dsText = (d: Ds) => `${d.keyTag}/${d.algorithm}/${d.digestType}`;
const sameName = (a: string, b: string) => a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();

/** The DS set of a domain through the resolver: [] when it has none (NODATA or NXDOMAIN). */
export async function readDs(domain: string, o: GuardOptions): Promise<Ds[]> {
  const answer = await query(o.resolver, domain, "DS", qopts(o, true));
  const rcode = rcodeOf(answer);
  if (rcode === "NXDOMAIN") return [];
  if (rcode !== "NOERROR") throw new DnsNoAnswer(`the resolver answered ${rcode} for DS ${domain}`);
  return (answer.answers ?? [])
    .filter((a): a is dnsPacket.DSAnswer => a.type === "DS" && sameName(a.name, domain))
    .map((a) => a.data);
}

function qopts(o: GuardOptions, recursion: boolean): QueryOptions {
  return {
    recursion,
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
  };
}

/** Addresses of a nameserver through the resolver (A, then AAAA). */
async function addressesOf(ns: string, o: GuardOptions): Promise<string[]> {
  const out: string[] = [];
  for (const type of ["A", "AAAA"] as const) {
    const answer = await query(o.resolver, ns, type, qopts(o, true));
    const rcode = rcodeOf(answer);
    if (rcode === "NXDOMAIN") return [];
    if (rcode !== "NOERROR") throw new DnsNoAnswer(`the resolver answered ${rcode} for ${type} ${ns}`);
    for (const a of answer.answers ?? []) if (a.type === type) out.push(a.data);
  }
  return out;
}

/** The DNSKEY set a nameserver serves for the domain, asked directly; a problem in words if it serves none. */
async function keysAt(
  domain: string,
  ns: string,
  o: GuardOptions,
  glue: Record<string, string[]>,
): Promise<{ keys: Dnskey[] } | { problem: string }> {
  let addresses: string[];
  try {
    // A host whose glue the same apply registers first has that address, not what DNS says today.
    addresses = glue[toAce(ns)] ?? (await addressesOf(ns, o));
  } catch (e) {
    return { problem: `its address could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (addresses.length === 0) return { problem: "it has no address" };
  const problems: string[] = [];
  for (const host of addresses) {
    try {
      const answer = await query({ host, port: o.nameserverPort ?? 53 }, domain, "DNSKEY", qopts(o, false));
      const rcode = rcodeOf(answer);
      if (rcode !== "NOERROR") {
        problems.push(`${host} answered ${rcode}`);
        continue;
      }
      const keys = (answer.answers ?? [])
        .filter((a): a is dnsPacket.DnskeyAnswer => a.type === "DNSKEY" && sameName(a.name, domain))
        .map((a) => a.data);
      return { keys };
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { problem: `it does not answer (${problems.join("; ")})` };
}

/**
 * The guard's verdict for one domain moving to `nameservers`; `glue` (host → addresses) gives the
 * addresses of hosts under the domain that the apply registers before the change.
 */
export async function checkDnssec(
  domain: string,
  nameservers: string[],
  o: GuardOptions,
  glue: Record<string, string[]> = {},
): Promise<DnssecCheck> {
  let ds: Ds[];
  try {
    ds = await readDs(domain, o);
  } catch (e) {
    return {
      verdict: "unknown",
      ds: [],
      servers: [],
      reason: `the DS records could not be read: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (ds.length === 0) return { verdict: "unsigned", ds: [], servers: [] };
  const checkable = ds.filter((d) => DIGEST_TYPES[d.digestType] !== undefined);
  if (checkable.length === 0)
    return {
      verdict: "unknown",
      ds: ds.map(dsText),
      servers: [],
      reason: "no DS record has a digest type regdom can check (SHA-1, SHA-256, SHA-384)",
    };
  const servers = await Promise.all(
    nameservers.map(async (name): Promise<DnssecCheck["servers"][number]> => {
      const got = await keysAt(domain, name, o, glue);
      if ("problem" in got) return { name, matching: [], problem: got.problem };
      const matching = got.keys
        .filter(isZoneKey)
        .filter((k) =>
          checkable.some((d) => {
            if (d.algorithm !== k.algorithm || d.keyTag !== keyTag(k)) return false;
            const digest = dsDigest(domain, k, d.digestType);
            return digest?.equals(Buffer.from(d.digest)) === true;
          }),
        )
        .map(keyTag);
      if (matching.length) return { name, matching };
      return {
        name,
        matching: [],
        problem: got.keys.length ? "it serves no DNSKEY matching a DS" : "it serves no DNSKEY for the domain",
      };
    }),
  );
  const bad = servers.filter((s) => s.matching.length === 0);
  return {
    verdict: bad.length ? "would break" : "safe",
    ds: ds.map(dsText),
    servers,
    ...(bad.length ? { reason: bad.map((s) => `${s.name}: ${s.problem}`).join("; ") } : {}),
  };
}

/** Checks many domains, a few at once. */
export async function checkDnssecAll(
  wanted: { domain: string; nameservers: string[]; glue?: Record<string, string[]> }[],
  o: GuardOptions,
): Promise<Map<string, DnssecCheck>> {
  const limit = pLimit(8);
  const out = new Map<string, DnssecCheck>();
  await Promise.all(
    wanted.map((w) => limit(async () => out.set(w.domain, await checkDnssec(w.domain, w.nameservers, o, w.glue)))),
  );
  return out;
}

/** One line for people: the verdict and what it rests on. */
export function dnssecLine(c: DnssecCheck): string {
  switch (c.verdict) {
    case "unsigned":
      return "dnssec: unsigned (no DS at the parent)";
    case "safe":
      return `dnssec: safe (DS ${c.ds.join(", ")}; every new nameserver serves a matching DNSKEY)`;
    case "would break":
      return `dnssec: would break (DS ${c.ds.join(", ")}; ${c.reason})`;
    case "unknown":
      return `dnssec: unknown, not safe (${c.reason})`;
  }
}

/** A verdict apply refuses without --allow-dnssec-break. */
export function isDnssecRisk(c: DnssecCheck | undefined): boolean {
  return c !== undefined && (c.verdict === "would break" || c.verdict === "unknown");
}
