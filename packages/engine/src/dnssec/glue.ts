/**
 * Live glue: the child nameservers (host → addresses) the parent zone publishes for a domain. The
 * registrar API has no getter for them, so they are read from DNS as resolvers see them: the
 * parent's servers, asked without recursion for `domain NS`, answer with a referral whose
 * additional section carries the glue. "Could not tell" is an error (GlueReadError), never {}.
 */
import { isIPv4, isIPv6 } from "node:net";
import { RegdomError, toAce } from "@regdom/core/data";
import { canonicalIPv6 } from "@regdom/manifest";
import * as dnsPacket from "dns-packet";
import { type DnsServer, type QueryOptions, query, rcodeOf } from "./dnsQuery.js";
import type { GuardOptions } from "./guard.js";

/** Child nameservers of a domain as the parent publishes them: host (lower-case ACE, no trailing dot) → addresses (canonical text, IPv4 before IPv6, sorted). */
export type Glue = Record<string, string[]>;

/** The glue of a domain could not be read: no parent server answered, or an answer could not be read. */
export class GlueReadError extends RegdomError {
  readonly fault = "network";
  override readonly retrySafe = true;
  constructor(
    readonly domain: string,
    readonly reason: string,
  ) {
    super(`the glue of ${domain} could not be read: ${reason}`);
    this.name = "GlueReadError";
  }
}

const bare = (n: string) => n.replace(/\.$/, "").toLowerCase();
/** `name` is `zone` or a name under it. */
const isAtOrUnder = (name: string, zone: string) => zone === "" || name === zone || name.endsWith(`.${zone}`);
const parentOf = (name: string) => (name.includes(".") ? name.slice(name.indexOf(".") + 1) : "");
const show = (name: string) => (name === "" ? "." : name);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function qopts(o: GuardOptions, recursion: boolean): QueryOptions {
  return {
    recursion,
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
  };
}

/**
 * Reads the glue the parent zone publishes for `domain`: finds the parent's servers through
 * o.resolver, asks them WITHOUT recursion (RD=0) for `domain NS`, and takes the A/AAAA records of
 * the additional section for hosts at or under `domain` (in-bailiwick). Throws GlueReadError when no
 * parent server answers or an answer cannot be read; never returns {} for "could not tell".
 *
 * - An authoritative NXDOMAIN, or an authoritative NOERROR without NS for the domain, from a parent
 *   server is {}: the parent does not delegate the domain (yet), so it publishes no glue.
 * - REFUSED, SERVFAIL, timeouts, a referral elsewhere (a lame server): the next parent server is
 *   asked; when none answers usably, GlueReadError.
 * - Parent servers are asked on port 53, except one whose address is the resolver's: it is asked on
 *   the resolver's port (so a test parent on 127.0.0.1:5353, acting as the resolver too, works).
 */
export async function readGlue(domain: string, o: GuardOptions): Promise<Glue> {
  return (await readDelegation(domain, o)).glue;
}

/** A parent's delegation of a domain: the nameservers it names, and the glue it publishes for those of them under the domain. */
export interface Delegation {
  /** The NS set of the referral (lower-case ACE, sorted); [] when the parent does not delegate the domain. */
  nameservers: string[];
  glue: Glue;
}

/**
 * Reads the parent's delegation of `domain` as readGlue does, with the NS set: a parent publishes
 * glue only for hosts that set names, so a child nameserver it does not name cannot be seen.
 */
export async function readDelegation(domain: string, o: GuardOptions): Promise<Delegation> {
  const name = toAce(domain);
  if (name === "" || !name.includes("."))
    throw new GlueReadError(domain, "it is not a domain name under a parent zone");
  let found: { parent: ParentZone; servers: DnsServer[] };
  try {
    found = await parentServersOf(name, o);
  } catch (e) {
    // Found for another domain under the same parent, maybe: this domain's error, the same reason.
    throw e instanceof GlueReadError ? new GlueReadError(name, e.reason) : e;
  }
  const { parent, servers } = found;
  const problems: string[] = [];
  for (const server of servers) {
    let answer: dnsPacket.Packet;
    try {
      answer = await query(server, name, "NS", qopts(o, false));
    } catch (e) {
      problems.push(message(e));
      continue;
    }
    const read = glueIn(answer, name);
    if ("glue" in read) return read;
    problems.push(`${where(server)} ${read.problem}`);
  }
  throw new GlueReadError(name, `no server of ${show(parent.zone)} answered usably (${problems.join("; ")})`);
}

/**
 * The parent zone and its servers, found once per parent and options object: a plan reading the
 * glue of many .se domains asks the resolver about `se` once. A failure is not kept.
 */
const parents = new WeakMap<GuardOptions, Map<string, Promise<{ parent: ParentZone; servers: DnsServer[] }>>>();
function parentServersOf(name: string, o: GuardOptions): Promise<{ parent: ParentZone; servers: DnsServer[] }> {
  let known = parents.get(o);
  if (!known) parents.set(o, (known = new Map()));
  const key = parentOf(name);
  let found = known.get(key);
  if (!found) {
    found = (async () => {
      const parent = await findParent(name, o);
      return { parent, servers: await parentServers(name, parent, o) };
    })();
    known.set(key, found);
    found.catch(() => known.delete(key));
  }
  return found;
}

const where = (s: DnsServer) => (s.port === 53 ? s.host : `${s.host}:${s.port}`);

/** The glue in one answer of a parent server to `name NS`, or why the answer does not tell. */
function glueIn(answer: dnsPacket.Packet, name: string): Delegation | { problem: string } {
  const rcode = rcodeOf(answer);
  const aa = ((answer.flags ?? 0) & dnsPacket.AUTHORITATIVE_ANSWER) !== 0;
  const none: Delegation = { nameservers: [], glue: {} };
  if (rcode === "NXDOMAIN") return aa ? none : { problem: "answered NXDOMAIN without authority" };
  if (rcode !== "NOERROR") return { problem: `answered ${rcode}` };
  const nsOf = (rrs: dnsPacket.Answer[] | undefined) =>
    (rrs ?? [])
      .filter((r): r is dnsPacket.StringAnswer => r.type === "NS" && bare(r.name) === name)
      .map((r) => bare(r.data));
  // A referral (NS in the authority section), or the parent also serving the child (NS as the answer).
  const ns = [...nsOf(answer.answers), ...nsOf(answer.authorities)];
  if (ns.length === 0) {
    if (aa) return none; // the name exists in the parent zone but is not delegated
    const elsewhere = (answer.authorities ?? []).find((r) => r.type === "NS");
    return {
      problem: elsewhere
        ? `referred to ${show(bare(elsewhere.name))} instead of answering for ${name} (not a server of its parent)`
        : "answered with neither a referral nor authority",
    };
  }
  const glue: Glue = {};
  for (const r of answer.additionals ?? []) {
    if (r.type !== "A" && r.type !== "AAAA") continue;
    const host = bare(r.name);
    if (!isAtOrUnder(host, name)) continue; // out of bailiwick: an address, not glue
    const address = r.type === "A" ? (r.data as string) : canonicalIPv6(r.data as string);
    const list = glue[host] ?? [];
    if (!list.includes(address)) list.push(address);
    glue[host] = list;
  }
  const sorted: Glue = {};
  for (const host of Object.keys(glue).sort()) sorted[host] = sortAddresses(glue[host]!);
  return { nameservers: [...new Set(ns)].sort(), glue: sorted };
}

/** IPv4 before IPv6, each sorted (IPv4 by number, IPv6 by text). */
export function sortAddresses(addresses: string[]): string[] {
  const v4 = addresses.filter((a) => isIPv4(a)).sort((a, b) => v4Number(a) - v4Number(b));
  const v6 = addresses.filter((a) => !isIPv4(a)).sort();
  return [...v4, ...v6];
}
const v4Number = (a: string) => a.split(".").reduce((n, part) => n * 256 + Number(part), 0);

interface ParentZone {
  zone: string;
  /** The names of its nameservers. */
  ns: string[];
}

/**
 * The zone the domain is delegated from: the nearest ancestor the resolver holds NS records for,
 * starting at the domain minus its first label (acme.se → se, acme.co.uk → co.uk). An answer
 * without NS whose SOA names the enclosing zone jumps straight there; otherwise one label is taken
 * off at a time, up to the root.
 */
async function findParent(name: string, o: GuardOptions): Promise<ParentZone> {
  let zone = parentOf(name);
  for (;;) {
    let answer: dnsPacket.Packet;
    try {
      answer = await query(o.resolver, show(zone), "NS", qopts(o, true));
    } catch (e) {
      throw new GlueReadError(name, `the parent zone could not be found: ${message(e)}`);
    }
    const rcode = rcodeOf(answer);
    if (rcode !== "NOERROR" && rcode !== "NXDOMAIN")
      throw new GlueReadError(name, `the resolver answered ${rcode} for NS ${show(zone)}`);
    const ns = (answer.answers ?? [])
      .filter((r): r is dnsPacket.StringAnswer => r.type === "NS" && bare(r.name) === zone)
      .map((r) => bare(r.data));
    if (ns.length) return { zone, ns: [...new Set(ns)] };
    if (zone === "") throw new GlueReadError(name, "the resolver knows no nameservers for the root");
    const soa = (answer.authorities ?? []).find((r) => r.type === "SOA");
    const enclosing = soa ? bare(soa.name) : undefined;
    zone = enclosing !== undefined && enclosing !== zone && isAtOrUnder(zone, enclosing) ? enclosing : parentOf(zone);
  }
}

/** The parent's servers to ask, IPv4 addresses first: each NS name's A and AAAA through the resolver. */
async function parentServers(name: string, parent: ParentZone, o: GuardOptions): Promise<DnsServer[]> {
  const v4: string[] = [];
  const v6: string[] = [];
  const problems: string[] = [];
  for (const ns of parent.ns) {
    for (const type of ["A", "AAAA"] as const) {
      try {
        const answer = await query(o.resolver, ns, type, qopts(o, true));
        const rcode = rcodeOf(answer);
        if (rcode !== "NOERROR") {
          problems.push(`${type} ${ns}: ${rcode}`);
          continue;
        }
        for (const r of answer.answers ?? []) {
          if (r.type !== type) continue;
          const address = type === "A" ? (r.data as string) : canonicalIPv6(r.data as string);
          const list = type === "A" ? v4 : v6;
          if (!list.includes(address)) list.push(address);
        }
      } catch (e) {
        problems.push(message(e));
      }
    }
  }
  const addresses = [...v4, ...v6.filter((a) => isIPv6(a))];
  if (addresses.length === 0)
    throw new GlueReadError(
      name,
      `no address found for the nameservers of ${show(parent.zone)} (${parent.ns.join(", ")})${problems.length ? `: ${problems.join("; ")}` : ""}`,
    );
  const resolverHost = isIPv6(o.resolver.host) ? canonicalIPv6(o.resolver.host) : o.resolver.host;
  return addresses.map((host) => ({ host, port: host === resolverHost ? o.resolver.port : 53 }));
}
