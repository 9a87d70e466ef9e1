/**
 * Child nameservers (glue): hosts at or under the domain with the addresses the parent publishes.
 * The API has no getter, so live glue is read from DNS (the parent's referral, dnssec/glue.ts), and
 * it writes one address at a time: RegisterNameserver (a new host, or one more address of a host),
 * ModifyNameserver (one address for another), DeleteNameserver (the whole host).
 *
 * Two sections keep the domain resolvable: `glue` (hosts added or given new addresses) is written
 * before a nameserver change that needs them, `glue-delete` (hosts removed) after the change that
 * leaves them. Each journals only the hosts it touches, so their rollbacks never read the same host
 * (the parent's zone shows a write only once the registry publishes it) and run in the reverse
 * order: removed hosts come back before the nameservers go back to them.
 */
import { ApiError } from "@regdom/core";
import { compareAddresses, type DesiredDomain, normalizeHostname, underDomain } from "@regdom/manifest";
import * as v from "valibot";
import { type Delegation, type Glue, readDelegation } from "../dnssec/glue.js";
import type { GuardOptions } from "../dnssec/guard.js";
import type { LiveState } from "../plan/model.js";
import type { Paint } from "../plan/paint.js";
import type { DnssecOptions } from "../plan/planPortfolio.js";
import type { Registrar } from "../registrar.js";
import {
  type ChangeOf,
  type PlanContext,
  PlanRefusal,
  type ReadContext,
  type Restorable,
  type SectionModule,
  type Verdict,
} from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    /**
     * Child nameservers added or given new addresses, written before a nameserver change that needs
     * them. Only the hosts it touches: `before` [] for a new host.
     */
    glue: {
      before: Glue;
      after: Glue;
      /**
       * Hosts the parent cannot show (the domain's nameservers do not name them): their live glue is
       * unknown, so only their addresses are registered, and "already registered" counts as done.
       */
      unseen?: string[];
    };
    /** Child nameservers removed (`after` [] each), written after the nameserver change that leaves them. */
    "glue-delete": { before: Glue; after: Glue };
  }
  interface LiveBySection {
    /** Child nameservers as the parent's referral gives them (read from DNS: the API has no getter). */
    glue: Glue;
    /**
     * The nameservers the parent's referral names (read with glue): it publishes glue only for
     * those, so the glue of a host it does not name cannot be seen. Absent: every host counts as seen.
     */
    delegatedTo: string[];
  }
}

/** What the API is sent to bring glue from one state to another. */
export interface GlueOps {
  register: { host: string; address: string }[];
  modify: { host: string; from: string; to: string }[];
  /** Hosts deleted (DeleteNameserver). */
  remove: string[];
  /** Addresses that would go while their host keeps others: no API call removes one address alone. */
  stranded: { host: string; addresses: string[] }[];
}

const isV6 = (a: string) => a.includes(":");

/**
 * The calls from `from` to `to`, over the hosts either names (a host absent or [] has no glue).
 * A removed address is paired with an added one of the same family (ModifyNameserver), then with
 * one of the other family; added addresses left over are registered, removed ones are stranded.
 */
export function glueOps(from: Glue, to: Glue): GlueOps {
  const ops: GlueOps = { register: [], modify: [], remove: [], stranded: [] };
  for (const host of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    const was = from[host] ?? [];
    const will = to[host] ?? [];
    if (will.length === 0) {
      if (was.length) ops.remove.push(host);
      continue;
    }
    const added = will.filter((a) => !was.includes(a)).sort(compareAddresses);
    let removed = was.filter((a) => !will.includes(a)).sort(compareAddresses);
    const pair = (sameFamily: boolean) => {
      for (const r of removed) {
        const i = added.findIndex((a) => !sameFamily || isV6(a) === isV6(r));
        if (i < 0) continue;
        ops.modify.push({ host, from: r, to: added[i]! });
        added.splice(i, 1);
        removed = removed.filter((x) => x !== r);
      }
    };
    pair(true);
    pair(false);
    for (const address of added) ops.register.push({ host, address });
    if (removed.length) ops.stranded.push({ host, addresses: removed });
  }
  return ops;
}

function sameAddresses(a: string[] = [], b: string[] = []): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Why glue cannot go from live to desired through the API, or undefined when it can. */
function strandedProblem(ops: GlueOps): string | undefined {
  if (ops.stranded.length === 0) return undefined;
  const s = ops.stranded[0]!;
  return (
    `glue ${s.host}: ${s.addresses.join(", ")} would be removed while the host keeps other addresses, and the API ` +
    "cannot remove one address alone (ModifyNameserver replaces an address, DeleteNameserver removes the whole host): " +
    "give a replacement address in its place, or remove the host from glue and add it again in a later run"
  );
}

/**
 * The glue changes of a domain (set before the nameservers, deletions after), or why none can be
 * sent. `named`: the nameservers the parent's referral names; a desired host it does not name has
 * glue the parent cannot show (unknown, not none): its addresses are registered, marked `unseen`.
 */
export function diffGlue(
  live: Glue,
  desired: Glue,
  named?: readonly string[],
): { changes: ChangeOf<"glue" | "glue-delete">[]; problem?: string } {
  const set: ChangeOf<"glue"> = { section: "glue", before: {}, after: {} };
  const del: ChangeOf<"glue-delete"> = { section: "glue-delete", before: {}, after: {} };
  const unseen: string[] = [];
  for (const host of Object.keys(desired).sort()) {
    if (named && !named.includes(host) && !(host in live)) {
      unseen.push(host);
      set.before[host] = [];
      set.after[host] = desired[host]!;
    } else if (!sameAddresses(live[host], desired[host])) {
      set.before[host] = live[host] ?? [];
      set.after[host] = desired[host]!;
    }
  }
  if (unseen.length) set.unseen = unseen;
  for (const host of Object.keys(live).sort())
    if (!(host in desired)) {
      del.before[host] = live[host]!;
      del.after[host] = [];
    }
  const problem = strandedProblem(glueOps(set.before, set.after));
  const changes = [set, del].filter((c) => Object.keys(c.after).length > 0);
  return problem ? { changes, problem } : { changes };
}

/**
 * Why a nameserver set cannot be sent: a host at or under the domain with no glue, in the desired
 * glue when the manifest gives it, else in the live glue read. Undefined when every such host has some.
 */
export function missingGlue(
  d: DesiredDomain,
  nameservers: string[],
  live: Glue | undefined,
  named?: readonly string[],
): string | undefined {
  const under = [...new Set(nameservers.map(normalizeHostname))].filter((h) => underDomain(h, d.name));
  if (under.includes(normalizeHostname(d.name)))
    return (
      `nameserver ${normalizeHostname(d.name)} is the domain itself: a registry keeps child nameservers strictly ` +
      `under the domain, so it can have no glue; name a host under it (e.g. ns1.${normalizeHostname(d.name)}) or one elsewhere`
    );
  const have = d.glue ?? live ?? {};
  const missing = under.filter((h) => !have[h]?.length);
  if (missing.length === 0) return undefined;
  const unseen = !d.glue && named !== undefined && missing.every((h) => !named.includes(h));
  const where = d.glue
    ? "the manifest's glue gives no address for"
    : unseen
      ? "the parent cannot show whether it has glue (it publishes glue only for hosts the domain's nameservers name) for"
      : "the parent publishes no glue for";
  return (
    `nameservers ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} under ${d.name}, and ${where} ` +
    `${missing.length === 1 ? "it" : "them"}: nothing would resolve the domain there; give its addresses, ` +
    `e.g. glue: {${missing[0]}: [192.0.2.53]}`
  );
}

/** The plan's lines of a glue change, unpainted: `+` a new address, `~` one replaced, `-` a host removed. */
function glueLines(c: ChangeOf<"glue" | "glue-delete">): string[] {
  const ops = glueOps(c.before, c.after);
  const hosts = [...new Set([...ops.register.map((o) => o.host), ...ops.modify.map((o) => o.host)])].sort();
  const unseen = "unseen" in c ? (c.unseen ?? []) : [];
  const why = (h: string) => (unseen.includes(h) ? " (not visible in DNS until the domain names it)" : "");
  return [
    ...hosts.flatMap((h) => [
      ...ops.register.filter((o) => o.host === h).map((o) => `+ glue ${h} ${o.address}${why(h)}`),
      ...ops.modify.filter((o) => o.host === h).map((o) => `~ glue ${h} ${o.from} -> ${o.to}`),
    ]),
    ...ops.remove.map((h) => `- glue ${h}`),
  ];
}

const paintLine = (paint: Paint) => (l: string) =>
  l.startsWith("+") ? paint.green(l) : l.startsWith("-") ? paint.red(l) : paint.yellow(l);

/**
 * An answer to RegisterNameserver saying the host has the address already. The registrar's wording
 * is not documented (the sandbox says "Nameserver HOST already has the IP address ADDR"), so its own
 * words, without the host and domain names (ns1.exist.se), are matched loosely; it is taken as done
 * only for a host the parent cannot show.
 */
function registeredAlready(e: unknown, domain: string, host: string): boolean {
  if (!(e instanceof ApiError)) return false;
  const words = e.registrarMessage.toLowerCase().split(host).join(" ").split(domain.toLowerCase()).join(" ");
  return /already|exist/.test(words);
}
const alreadyNote = (host: string, address: string) => `${host} ${address}: registered already`;

/**
 * Sends the calls from `from` to `to`: registrations and new addresses first, deletions last. For
 * an `unseen` host (live glue unknown), an answer that the address is registered already is done;
 * the answers so taken are returned, for the journal.
 */
async function sendGlue(
  client: Registrar,
  domain: string,
  from: Glue,
  to: Glue,
  unseen: readonly string[] = [],
): Promise<string[]> {
  const ops = glueOps(from, to);
  const problem = strandedProblem(ops);
  if (problem) throw new Error(problem);
  const already: string[] = [];
  for (const o of ops.register)
    try {
      await client.registerNameserver(domain, o.host, o.address);
    } catch (e) {
      if (!(unseen.includes(o.host) && registeredAlready(e, domain, o.host))) throw e;
      already.push(`${alreadyNote(o.host, o.address)} (${(e as ApiError).registrarMessage})`);
    }
  for (const o of ops.modify) await client.modifyNameserver(domain, o.host, o.from, o.to);
  for (const host of ops.remove) await client.deleteNameserver(domain, host);
  return already;
}

/** The journal's note of a glue write: what was found registered already. */
async function writeGlue(client: Registrar, domain: string, c: ChangeOf<"glue" | "glue-delete">) {
  const already = await sendGlue(client, domain, c.before, c.after, "unseen" in c ? c.unseen : undefined);
  return already.length ? { note: already.join("; ") } : undefined;
}

const guardOptions = new WeakMap<DnssecOptions, GuardOptions>();

/** The live delegation (NS set and glue), through the plan's resolver; a failure is the domain's, never an empty glue. */
async function readLiveGlue(domain: string, ctx: ReadContext): Promise<Delegation> {
  const resolver = ctx.dns?.resolver;
  if (!resolver)
    throw new Error(
      "glue could not be read: it is read from DNS and no resolver is configured (none in /etc/resolv.conf; use --resolver)",
    );
  // One options object per run's settings: readGlue finds the parent's servers once per object.
  let o = guardOptions.get(ctx.dns!);
  if (!o) guardOptions.set(ctx.dns!, (o = { ...ctx.dns, resolver }));
  // GlueReadError says which domain and why; the domain's plan fails with it, never reads as no glue.
  return readDelegation(domain, o);
}

/**
 * Live glue as an export writes it (hosts sorted, addresses in the readers' order), or undefined
 * when the parent publishes none: the domain's glue is then left unmanaged, so a plan of the export
 * neither reads it nor deletes glue that appears later. Glue for the domain itself (which no
 * manifest can give: a child nameserver is strictly under the domain) leaves it unmanaged too, with
 * a warning: written without that host, the glue would plan its deletion.
 */
function exportedGlue(live: Glue, d: DesiredDomain, warnings: string[]): Glue | undefined {
  const hosts = Object.keys(live).sort();
  if (hosts.length === 0) return undefined;
  if (d.name in live) {
    warnings.push(
      `${d.display}: glue left out (unmanaged): the parent publishes glue for ${d.name} itself, which a manifest cannot give (a child nameserver is strictly under the domain)`,
    );
    return undefined;
  }
  return Object.fromEntries(hosts.map((h) => [h, [...live[h]!].sort(compareAddresses)]));
}

/** Only the hosts the run touched, [] where a host has none: what rollback compares and restores. */
function touched(g: Glue, hosts: Set<string>): string {
  return JSON.stringify([...hosts].sort().map((h) => [h, [...(g[h] ?? [])].sort(compareAddresses)]));
}

/** On a glue value rollback read: the nameservers the parent's referral named (not journaled: a symbol key). */
const NAMED = Symbol("named");
type LiveGlue = Glue & { [NAMED]?: readonly string[] };

/** The hosts a rollback would delete that the domain's nameservers name now: deleting them breaks resolution. */
function inUse(value: Glue, live: LiveGlue): string[] {
  const named = live[NAMED] ?? [];
  return Object.keys(value).filter((h) => !value[h]?.length && named.includes(h) && live[h]?.length);
}

/** Glue as a saved plan and a journal hold it: host → addresses. */
const glueValue = v.record(v.string(), v.array(v.string()));

/** Both glue sections put back the hosts they journaled, and no other. */
const restorable: Restorable<Glue> = {
  value: glueValue,
  async read(_client, domain, ctx) {
    const { nameservers, glue } = await readLiveGlue(domain, ctx);
    const live: LiveGlue = { ...glue };
    Object.defineProperty(live, NAMED, { value: nameservers, enumerable: false });
    return live;
  },
  classify(live: LiveGlue, intents): Verdict {
    const hosts = new Set(intents.flatMap((i) => [...Object.keys(i.before ?? {}), ...Object.keys(i.after ?? {})]));
    // A host the parent does not show now (the nameservers were put back): its glue cannot be read,
    // so what the run's last write of it left is taken to stand (an added host is then deleted),
    // unless every address the run "added" was registered already (not the run's: left alone).
    const named = live[NAMED];
    if (named)
      for (const h of hosts) {
        if (named.includes(h)) continue;
        const last = intents.findLast((i) => i.after?.[h] !== undefined)?.after?.[h];
        if (!last) continue;
        const added = intents.flatMap((i) =>
          (i.after?.[h] ?? []).filter((a) => !(i.before?.[h] ?? []).includes(a)).map((a) => ({ a, note: i.note })),
        );
        const foundThere = added.length > 0 && added.every(({ a, note }) => note?.includes(alreadyNote(h, a)));
        live[h] = foundThere ? (intents[0]?.before?.[h] ?? []) : last;
      }
    const now = touched(live, hosts);
    const first = intents[0]?.before;
    if (first !== undefined && now === touched(first, hosts)) return "before";
    const seen = intents.flatMap((i) => [i.after, i.before]).filter((x): x is Glue => x !== undefined);
    return seen.some((x) => touched(x, hosts) === now) ? "written" : "other";
  },
  refuse(value, live: LiveGlue) {
    const hosts = inUse(value, live);
    return hosts.length
      ? `glue ${hosts.join(", ")}: the domain's nameservers name ${hosts.length === 1 ? "it" : "them"} now ` +
          "(they were not put back), so deleting it would leave them without an address; not deleted"
      : undefined;
  },
  // One API call (one host deleted, one address registered or replaced): a failed write did nothing.
  atomic: (before, after) => {
    const ops = glueOps(before, after);
    return ops.register.length + ops.modify.length + ops.remove.length <= 1;
  },
  async restore(client, domain, value, live) {
    const from = Object.fromEntries(Object.keys(value).map((h) => [h, live[h] ?? []]));
    await sendGlue(client, domain, from, value);
  },
};

/** The glue changes a domain needs, or why none can be sent (undefined: glue is not managed). */
function planned(ctx: PlanContext): ReturnType<typeof diffGlue> | undefined {
  const { phase, desired: d, live } = ctx;
  if (!d.glue || phase === "delete") return undefined;
  if (phase === "create") return diffGlue({}, d.glue);
  return live.glue ? diffGlue(live.glue, d.glue, live.delegatedTo) : undefined;
}

/**
 * The nameservers whose hosts under the domain must have glue: a registration's, a nameserver
 * change's, and (when the manifest gives glue) the desired ones. A transfer may bring its glue along.
 */
function nameserversToCheck({ phase, desired: d, live }: PlanContext): string[] | undefined {
  if (!d.nameservers || phase === "delete") return undefined;
  if (phase === "create") return d.register ? d.nameservers : undefined;
  return liveNameserversMove(d, live) || d.glue ? d.nameservers : undefined;
}

function liveNameserversMove(d: DesiredDomain, live: LiveState): boolean {
  if (!d.nameservers || !live.nameservers) return false;
  const norm = (l: string[]) => JSON.stringify([...new Set(l.map(normalizeHostname))].sort());
  return norm(d.nameservers) !== norm(live.nameservers);
}

/** Why a glue deletion cannot be sent: a host the domain's nameservers after this apply (desired, else live) still name. */
function deletedInUse(ctx: PlanContext, changes: ChangeOf<"glue" | "glue-delete">[]): string | undefined {
  const del = changes.find((c) => c.section === "glue-delete");
  if (!del) return undefined;
  const { desired: d, live } = ctx;
  const after = (d.nameservers ?? live.nameservers ?? live.delegatedTo ?? []).map(normalizeHostname);
  const used = Object.keys(del.before).filter((h) => after.includes(h));
  if (used.length === 0) return undefined;
  const whose = d.nameservers ? "the manifest's nameservers" : "the domain's nameservers (not changed by the manifest)";
  return (
    `glue ${used.join(", ")} would be deleted (not in the manifest's glue), but ${whose} still name ` +
    `${used.length === 1 ? "it" : "them"}: nothing would resolve the domain there; keep ${used.length === 1 ? "its" : "their"} ` +
    "glue, or move the nameservers away from it in the same manifest"
  );
}

export const glue: SectionModule<"glue", Glue> = {
  name: "glue",
  action: "RegisterNameserver",
  money: false,
  destructive: false,
  writeOnly: false,
  change: { before: glueValue, after: glueValue, unseen: v.optional(v.array(v.string())) },
  manifest: { place: 8, fields: { glue: v.optional(glueValue) } },
  live: {
    managed: (d) => d.glue !== undefined,
    // Unmanaged glue is read only to check a nameserver change to hosts under the domain.
    neededBy: (d, live) =>
      liveNameserversMove(d, live) && d.nameservers!.some((h) => underDomain(normalizeHostname(h), d.name)),
    async read(_client, domain, into, ctx) {
      const { nameservers, glue } = await readLiveGlue(domain, ctx);
      into.glue = glue;
      into.delegatedTo = nameservers;
    },
    fingerprint: (live) =>
      live.glue && Object.fromEntries(Object.entries(live.glue).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  },
  plan: {
    // Written first, so the checks of the glue sections and the nameserver change are said here.
    diff(ctx) {
      const ns = nameserversToCheck(ctx);
      const unglued =
        ns &&
        missingGlue(
          ctx.desired,
          ns,
          ctx.phase === "create" ? undefined : ctx.live.glue,
          ctx.phase === "create" ? undefined : ctx.live.delegatedTo,
        );
      if (unglued) throw new PlanRefusal(unglued, true);
      const g = planned(ctx);
      if (g?.problem) throw new PlanRefusal(g.problem, true);
      const used = g && deletedInUse(ctx, g.changes);
      if (used) throw new PlanRefusal(used, true);
      return g?.changes.find((c): c is ChangeOf<"glue"> => c.section === "glue");
    },
    waiting: (d) => (d.glue ? "glue" : undefined),
  },
  show: (c, paint) => glueLines(c).map(paintLine(paint)),
  // Hosts the domain's nameservers name (and keep) whose addresses change: where the guard asks.
  moves(c, d) {
    const keep = d.nameservers?.map(normalizeHostname);
    const hosts = Object.keys(c.after).filter(
      (h) => !c.unseen?.includes(h) && h in c.before && (keep === undefined || keep.includes(h)),
    );
    return hosts.length ? hosts : undefined;
  },
  write: (client, d, c) => writeGlue(client, d.name, c),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: restorable,
  export: {
    place: 6,
    // Read from DNS (the parent's referral), not the registrar: only with --with-glue.
    optIn: true,
    toManifest(live, d, warnings) {
      const g = live.glue && exportedGlue(live.glue, d, warnings);
      if (g) d.glue = g;
    },
  },
};

export const glueDelete: SectionModule<"glue-delete", Glue> = {
  name: "glue-delete",
  action: "DeleteNameserver",
  money: false,
  destructive: false,
  writeOnly: false,
  change: { before: glueValue, after: glueValue },
  plan: {
    diff: (ctx) => planned(ctx)?.changes.find((c): c is ChangeOf<"glue-delete"> => c.section === "glue-delete"),
  },
  show: (c, paint) => glueLines(c).map(paintLine(paint)),
  // Hosts the old nameservers still use go only once the nameserver change is through.
  requires: ["glue", "nameservers"],
  deleted: (c) => Object.keys(c.before).map((h) => `glue ${h}`),
  write: (client, d, c) => writeGlue(client, d.name, c),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: restorable,
  export: { notExported: "an action, not a state: glue's removals" },
};
