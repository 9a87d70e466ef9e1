/** Writes a manifest as YAML (or JSON) that readYamlManifest reads back to the same model. */

import type { DesiredDomain, Manifest } from "./model.js";
import { sortedDomains, sortedOwnerNames } from "./order.js";
import { yamlLib as Y } from "./yamlLib.js";

function domainObject(d: DesiredDomain): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (d.state) o.state = d.state;
  if (d.register) o.register = { ...d.register };
  if (d.transfer) o.transfer = { ...d.transfer };
  if (d.nameservers) o.nameservers = [...d.nameservers];
  if (d.lock !== undefined) o.lock = d.lock;
  if (d.autorenew !== undefined) o.autorenew = d.autorenew;
  if (d.idprotection !== undefined) o.idprotection = d.idprotection;
  if (d.expiresNotBefore) o.expires_not_before = d.expiresNotBefore;
  if (d.registrant) o.registrant = { ...d.registrant };
  if (d.dns)
    o.dns = d.dns.map((r) => ({
      host: r.host,
      type: r.type,
      address: r.address,
      ...(r.priority !== null ? { priority: r.priority } : {}),
    }));
  if (d.dnsIgnore) o.dns_ignore = d.dnsIgnore.map((r) => ({ host: r.host, ...(r.type ? { type: r.type } : {}) }));
  if (d.forwarding) o.forwarding = d.forwarding.map((f) => ({ prefix: f.prefix, to: f.to }));
  if (d.glue) o.glue = Object.fromEntries(Object.entries(d.glue).map(([h, a]) => [h, [...a]]));
  if (d.info?.status) o.status = d.info.status;
  if (d.info?.expires) o.expires = d.info.expires;
  if (d.info?.eppcode) o.eppcode = d.info.eppcode;
  if (d.info?.dnssec) o.dnssec = d.info.dnssec;
  if (d.info?.contacts && Object.keys(d.info.contacts).length) o.contacts = structuredClone(d.info.contacts);
  return o;
}

export function manifestObject(m: Manifest): Record<string, unknown> {
  const out: Record<string, unknown> = { version: 1 };
  const owners = sortedOwnerNames(m);
  if (owners.length) out.owners = Object.fromEntries(owners.map((n) => [n, { ...m.owners[n], ...m.ownerExtras[n] }]));
  if (m.dnsIgnore.length)
    out.dns_ignore = m.dnsIgnore.map((r) => ({ host: r.host, ...(r.type ? { type: r.type } : {}) }));
  out.domains = Object.fromEntries(sortedDomains(m).map((d) => [d.display, domainObject(d)]));
  return out;
}

const FLOW_LISTS = new Set(["dns", "forwarding"]);

/** Records and forwardings one per line, nameservers on one line: compact and diff-friendly. */
function yamlOf(value: unknown): string {
  const doc = new (Y().Document)(value);
  Y().visit(doc, {
    Pair(_, pair) {
      if (!Y().isScalar(pair.key)) return;
      const key = String(pair.key.value);
      if (key === "nameservers" && Y().isSeq(pair.value)) pair.value.flow = true;
      // Each glue host's addresses on its line.
      if (key === "glue" && Y().isMap(pair.value))
        for (const host of pair.value.items) if (Y().isSeq(host.value)) host.value.flow = true;
      if (FLOW_LISTS.has(key) && Y().isSeq(pair.value))
        for (const item of pair.value.items) if (Y().isMap(item)) item.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Written a domain at a time: a YAML document of a whole portfolio holds every node at once, which
 * costs hundreds of MB at 10,000 domains; the text is the same.
 */
export function writeYamlManifest(m: Manifest): string {
  return [...yamlManifestChunks(m, sortedDomains(m))].join("");
}

/**
 * The YAML text in pieces: the head from `m` (version, owners, dns_ignore), then one piece per
 * domain of `domains` (already in written order, see sortedDomains), so an export can write a
 * portfolio as its domains come without holding it all.
 */
export function* yamlManifestChunks(m: Manifest, domains: Iterable<DesiredDomain>): Generator<string> {
  yield yamlOf({ version: 1 });
  const owners = sortedOwnerNames(m);
  if (owners.length)
    yield yamlOf({ owners: Object.fromEntries(owners.map((n) => [n, { ...m.owners[n], ...m.ownerExtras[n] }])) });
  if (m.dnsIgnore.length)
    yield yamlOf({ dns_ignore: m.dnsIgnore.map((r) => ({ host: r.host, ...(r.type ? { type: r.type } : {}) })) });
  let first = true;
  for (const d of domains) {
    if (first) yield "domains:\n";
    first = false;
    yield indent(yamlOf({ [d.display]: domainObject(d) }));
  }
  if (first) yield "domains: {}\n";
}

/** Two spaces before each line. Split on \n only: a regex's `m` flag also breaks lines at U+2028/U+2029, which a TXT record may hold. */
function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : `  ${l}`))
    .join("\n");
}

export function writeJsonManifest(m: Manifest): string {
  return [...jsonManifestChunks(m, sortedDomains(m))].join("");
}

/**
 * JSON.stringify(manifestObject(m), null, 2) and a newline, in pieces: one per domain of `domains`
 * (in written order), each stringified alone and indented to its depth.
 */
export function* jsonManifestChunks(m: Manifest, domains: Iterable<DesiredDomain>): Generator<string> {
  const { domains: _none, ...head } = manifestObject({ ...m, domains: new Map() });
  // The head's closing brace is put back after the domains.
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "domains": `;
  let first = true;
  for (const d of domains) {
    // JSON text holds no raw newline inside a string, so every \n is a line break to indent.
    yield `${first ? "{\n" : ",\n"}    ${JSON.stringify(d.display)}: ${JSON.stringify(domainObject(d), null, 2).replaceAll("\n", "\n    ")}`;
    first = false;
  }
  yield first ? "{}\n}\n" : "\n  }\n}\n";
}
