/**
 * Reads a YAML (or JSON) manifest, walking the document's nodes so that every problem names its
 * line and column. Duplicate keys and unknown keys are refused; aliases are capped.
 */
import type { Alias, Document, LineCounter, Node, Pair } from "yaml";
import { yamlLib as Y } from "./yamlLib.js";
import { OWNER_FIELDS, REGISTRANT_FIELDS, type Forwarding, type Owner, type Registrant } from "../client/types.js";
import * as f from "./fields.js";
import { givenEarlier, sectionGiven, SECTION_FIELDS, type DesiredDomain, type Manifest, type SourceRef } from "./model.js";
import { normalizeForwarding, normalizeRegistrant } from "./normalize.js";
import { didYouMean, type Problems } from "./problems.js";

const DOMAIN_KEYS = [
  "nameservers",
  "lock",
  "autorenew",
  "registrant",
  "dns",
  "forwarding",
  "expires_not_before",
  "register",
  "transfer",
  "state",
  "status",
  "expires",
  "eppcode",
  "contacts",
] as const;
const RECORD_KEYS = ["host", "type", "address", "priority"];
const FORWARD_KEYS = ["prefix", "to"];
const PURCHASE_KEYS = ["years", "owner", "authcode"];
const MAX_ALIASES = 100;

type AnyNode = Node | null | undefined;

class Walker {
  aliases = 0;
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter,
    readonly p: Problems,
  ) {}

  ref(node: AnyNode | Pair, fallback?: AnyNode): SourceRef {
    const n = (node && "range" in node && node.range ? node : fallback) as Node | undefined;
    const offset = n?.range?.[0];
    if (offset === undefined) return { file: this.file };
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }

  resolve(node: AnyNode): AnyNode {
    if (node && Y().isAlias(node)) {
      if (++this.aliases > MAX_ALIASES) {
        if (this.aliases === MAX_ALIASES + 1)
          this.p.error(this.ref(node), `more than ${MAX_ALIASES} aliases: refused (a manifest needs few, an alias bomb needs many)`);
        return undefined;
      }
      return (node as Alias).resolve(this.doc) as AnyNode;
    }
    return node;
  }

  /** The pairs of a map node, with unknown keys reported. */
  entries(node: AnyNode, what: string, allowed?: readonly string[]): [string, AnyNode, Node][] {
    const n = this.resolve(node);
    if (n === null || n === undefined || (Y().isScalar(n) && (n.value === null || n.value === ""))) return [];
    if (!Y().isMap(n)) {
      this.p.error(this.ref(n), `${what} must be a mapping (key: value)`);
      return [];
    }
    const out: [string, AnyNode, Node][] = [];
    // Duplicate keys are found here, in one pass with a set: the yaml library's own check compares
    // every key with every earlier one, which made a 20,000-domain manifest take 40 s.
    const seen = new Set<string>();
    for (const pair of n.items) {
      const keyNode = pair.key as Node;
      const key = Y().isScalar(keyNode) ? String(keyNode.value) : "";
      if (seen.has(key)) {
        this.p.error(this.ref(keyNode), "duplicate key: each key (and each domain) may appear once");
        continue;
      }
      seen.add(key);
      if (allowed && !allowed.includes(key)) {
        this.p.error(this.ref(keyNode), `unknown key "${key}" in ${what}${didYouMean(key, allowed)}`);
        continue;
      }
      out.push([key, this.resolve(pair.value as AnyNode), keyNode]);
    }
    return out;
  }

  items(node: AnyNode, what: string): Node[] {
    const n = this.resolve(node);
    if (n === null || n === undefined || (Y().isScalar(n) && n.value === null)) return [];
    if (!Y().isSeq(n)) {
      this.p.error(this.ref(n), `${what} must be a list`);
      return [];
    }
    return n.items.map((i) => this.resolve(i as AnyNode)).filter((i): i is Node => !!i);
  }

  scalar(node: AnyNode): unknown {
    const n = this.resolve(node);
    if (n && Y().isScalar(n)) return n.value;
    return undefined;
  }

  string(node: AnyNode, what: string): string | undefined {
    const n = this.resolve(node);
    if (!n || !Y().isScalar(n) || n.value === null) {
      this.p.error(this.ref(n), `${what} must be a text value`);
      return undefined;
    }
    return String(n.value);
  }
}

/** Deeper than this, the reader refuses the file (a manifest needs about six levels). */
export const MAX_YAML_DEPTH = 64;

export function readYamlManifest(text: string, file: string, p: Problems, into: Manifest): void {
  const deep = tooDeep(text);
  if (deep) {
    p.error({ file, ...deep }, `nested more than ${MAX_YAML_DEPTH} levels deep; a manifest needs about six`);
    return;
  }
  try {
    readYamlText(text, file, p, into);
  } catch (e) {
    // A nesting the pre-check did not see (it counts brackets and indentation, not every form).
    if (!(e instanceof RangeError)) throw e;
    p.error({ file, line: 1, column: 1 }, `nested too deeply to read (${e.message}); a manifest needs about six levels`);
  }
}

/**
 * Where the text first nests deeper than MAX_YAML_DEPTH (flow brackets and block indentation), in
 * one pass, before the parser recurses into it; undefined when it does not.
 */
function tooDeep(text: string): { line: number; column: number } | undefined {
  let line = 1;
  let column = 0;
  let flow = 0;
  let indentLevels = 0;
  let atLineStart = true;
  let indent = 0;
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    column++;
    if (c === 10) {
      line++;
      column = 0;
      atLineStart = true;
      indent = 0;
      comment = false;
      if (quote === "'") quote = undefined;
      continue;
    }
    if (comment) continue;
    if (atLineStart) {
      if (c === 32 || c === 45) {
        indent++;
        continue;
      }
      atLineStart = false;
      // Two spaces (or "- ") a level: a coarse count, enough to stop a bomb before recursion.
      indentLevels = Math.floor(indent / 2);
      if (indentLevels > MAX_YAML_DEPTH * 2) return { line, column };
    }
    if (quote) {
      if (quote === '"' && c === 92) i++;
      else if (String.fromCharCode(c) === quote) quote = undefined;
      continue;
    }
    if (c === 34 || c === 39) quote = String.fromCharCode(c);
    else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) comment = true;
    else if (c === 91 || c === 123) {
      if (++flow > MAX_YAML_DEPTH) return { line, column };
    } else if (c === 93 || c === 125) flow = Math.max(0, flow - 1);
  }
  return undefined;
}

function readYamlText(text: string, file: string, p: Problems, into: Manifest): void {
  const lines = new (Y().LineCounter)();
  const doc = Y().parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: true, version: "1.2" });
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    const msg = e.code === "DUPLICATE_KEY" ? "duplicate key: each key (and each domain) may appear once" : e.message.split("\n")[0]!;
    p.error({ file, line: pos.line, column: pos.col }, msg);
  }
  if (doc.errors.length > 0) return;
  const w = new Walker(file, doc, lines, p);
  const top = w.entries(doc.contents as AnyNode, "the manifest", ["version", "owners", "domains"]);
  const get = (k: string) => top.find(([key]) => key === k);
  const version = get("version");
  if (!version) p.error({ file, line: 1, column: 1 }, 'missing "version: 1" at the top of the manifest');
  else if (w.scalar(version[1]) !== 1) p.error(w.ref(version[1], version[2]), `version must be 1, got ${JSON.stringify(w.scalar(version[1]))}`);

  const owners = get("owners");
  if (owners) {
    for (const [name, node, keyNode] of w.entries(owners[1], "owners")) {
      if (into.owners[name]) p.error(w.ref(keyNode), `owner "${name}" is defined twice`);
      const owner = readOwner(w, node, `owner "${name}"`);
      if (owner) into.owners[name] = owner;
    }
  }
  const domains = get("domains");
  if (!domains) return;
  for (const [name, node, keyNode] of w.entries(domains[1], "domains")) {
    const ref = w.ref(keyNode);
    const id = f.domainName(name, ref, p);
    if (!id) continue;
    const d = readDomain(w, node, id, ref);
    if (!d) continue;
    const prior = into.domains.get(id.ace);
    if (prior) mergeSections(prior, d, ref, p);
    else into.domains.set(id.ace, d);
  }
}


/**
 * A domain an earlier file described: several files may describe one domain, each section once.
 * Sections this file adds are moved to the earlier domain; one given again is refused.
 */
function mergeSections(prior: DesiredDomain, d: DesiredDomain, ref: SourceRef, p: Problems): void {
  for (const [section, fields] of SECTION_FIELDS) {
    if (!fields.some((k) => d[k] !== undefined)) continue;
    if (sectionGiven(prior, section)) {
      p.error(ref, givenEarlier(prior, section));
      continue;
    }
    for (const k of fields) if (d[k] !== undefined) (prior as unknown as Record<string, unknown>)[k] = d[k];
    if (section === "lifecycle") (prior as { ownerRef?: SourceRef }).ownerRef = (d as { ownerRef?: SourceRef }).ownerRef;
  }
  // Read-only facts (status, expiry) are not managed: the later file's simply add to them.
  if (d.info) prior.info = { ...prior.info, ...d.info };
}

function readOwner(w: Walker, node: AnyNode, what: string): Owner | undefined {
  const owner: Owner = {};
  for (const [key, value, keyNode] of w.entries(node, what, OWNER_FIELDS)) {
    const s = w.string(value ?? keyNode, `${what} ${key}`);
    if (s === undefined) continue;
    owner[key as (typeof OWNER_FIELDS)[number]] = f.contactField(key, s, w.ref(value, keyNode), w.p);
  }
  f.checkOwnerComplete(owner, what, () => w.ref(node), w.p);
  return owner;
}

function readDomain(w: Walker, node: AnyNode, id: { ace: string; display: string }, source: SourceRef): DesiredDomain | undefined {
  const d: DesiredDomain = { name: id.ace, display: id.display, source };
  const p = w.p;
  for (const [key, value, keyNode] of w.entries(node, `domain ${id.display}`, DOMAIN_KEYS)) {
    const ref = w.ref(value, keyNode);
    switch (key as (typeof DOMAIN_KEYS)[number]) {
      case "nameservers": {
        const list = w.items(value, "nameservers");
        d.nameservers = list.flatMap((n) => {
          const s = w.string(n, "a nameserver");
          const h = s === undefined ? undefined : f.hostname(s, w.ref(n), p, "nameserver");
          return h ? [h] : [];
        });
        if (list.length < 1 || list.length > 5) p.error(ref, `nameservers: give 1 to 5, got ${list.length}`);
        else if (list.length < 2) p.warn(ref, "only one nameserver: most registries want at least two");
        if (new Set(d.nameservers).size !== d.nameservers.length) p.error(ref, "nameservers: the same nameserver is listed twice");
        break;
      }
      case "lock":
      case "autorenew": {
        const raw = w.scalar(value);
        const b = f.bool(raw, ref, p, key);
        if (b === undefined && (raw === null || raw === undefined || raw === "")) p.error(ref, `${key} must be true or false`);
        else if (b !== undefined) d[key as "lock" | "autorenew"] = b;
        break;
      }
      case "registrant":
        d.registrant = readRegistrant(w, value, `registrant of ${id.display}`);
        break;
      case "dns": {
        // Positions are worked out only for a record that has a problem: keep only what errors need.
        const recs: { rec: NonNullable<ReturnType<typeof f.dnsRecord>>; item: Node }[] = [];
        for (const item of w.items(value, "dns")) {
          const fields: Record<string, unknown> = {};
          const nodes: Record<string, [AnyNode, Node]> = {};
          for (const [k, v, kn] of w.entries(item, "a DNS record", RECORD_KEYS)) {
            fields[k] = w.scalar(v);
            nodes[k] = [v, kn];
          }
          const refOf = (k: string): SourceRef => (nodes[k] ? w.ref(nodes[k][0], nodes[k][1]) : w.ref(item));
          if (fields.type === undefined) {
            p.error(w.ref(item), `a DNS record needs a type; valid: A, AAAA, MX, MXE, CNAME, TXT, URL, FRAME`);
            continue;
          }
          if (fields.address === undefined || fields.address === null) {
            p.error(w.ref(item), "a DNS record needs an address");
            continue;
          }
          const rec = f.dnsRecord(
            { host: fields.host ?? "@", type: fields.type, address: fields.address, priority: fields.priority },
            id.ace,
            refOf,
            p,
          );
          if (rec) recs.push({ rec, item });
        }
        f.checkZone(recs.map((r) => r.rec), (i) => w.ref(recs[i]!.item), p);
        d.dns = recs.map((r) => r.rec);
        break;
      }
      case "forwarding": {
        const list: Forwarding[] = [];
        const seen = new Set<string>();
        for (const item of w.items(value, "forwarding")) {
          const fields: Record<string, string | undefined> = {};
          for (const [k, v] of w.entries(item, "a forwarding", FORWARD_KEYS)) fields[k] = w.string(v, `forwarding ${k}`);
          const iref = w.ref(item);
          const prefix = fields.prefix?.trim() ?? "";
          if (!/^[a-z0-9._+-]{1,64}$/i.test(prefix)) p.error(iref, `forwarding prefix "${prefix}" must be the part before @ (a-z, 0-9, . _ + -)`);
          const to = fields.to === undefined ? undefined : f.email(fields.to, iref, p, "forwarding to");
          if (fields.to === undefined) p.error(iref, "a forwarding needs to: an e-mail address");
          if (to && prefix) {
            const fw = normalizeForwarding({ prefix, to });
            if (seen.has(fw.prefix)) p.error(iref, `forwarding prefix "${prefix}" is given twice`);
            seen.add(fw.prefix);
            list.push(fw);
          }
        }
        d.forwarding = list;
        break;
      }
      case "expires_not_before": {
        const v = f.expiresNotBefore(w.scalar(value), ref, p);
        if (v) d.expiresNotBefore = v;
        break;
      }
      case "register":
      case "transfer": {
        const fields: Record<string, unknown> = {};
        const refs: Record<string, SourceRef> = {};
        for (const [k, v, kn] of w.entries(value, key, key === "register" ? PURCHASE_KEYS.slice(0, 2) : PURCHASE_KEYS)) {
          fields[k] = w.scalar(v);
          refs[k] = w.ref(v, kn);
        }
        const y = f.years(fields.years, refs.years ?? ref, p);
        const owner = fields.owner === undefined ? undefined : String(fields.owner);
        if (owner === undefined) p.error(ref, `${key} needs owner: the name of a profile under owners`);
        if (y !== undefined && owner !== undefined) {
          if (key === "register") d.register = { years: y, owner };
          else d.transfer = { years: y, owner, ...(fields.authcode !== undefined && fields.authcode !== null ? { authcode: String(fields.authcode) } : {}) };
          (d as { ownerRef?: SourceRef }).ownerRef = refs.owner ?? ref;
        }
        break;
      }
      case "state": {
        const s = w.scalar(value);
        if (s !== "deleted") p.error(ref, `state "${String(s)}" is not known; valid: deleted`);
        else d.state = "deleted";
        break;
      }
      case "contacts": {
        // Read-only: the contact types beside the registrant, as an export found them.
        const contacts: Record<string, Record<string, string>> = {};
        for (const [type, fields] of w.entries(value, "contacts")) {
          contacts[type] = {};
          for (const [k, v] of w.entries(fields, `contacts ${type}`)) contacts[type][k] = String(w.scalar(v) ?? "");
        }
        d.info = { ...d.info, contacts };
        break;
      }
      case "status":
      case "expires":
      case "eppcode": {
        const s = w.scalar(value);
        d.info = { ...d.info, [key]: s instanceof Date ? s.toISOString().slice(0, 10) : String(s ?? "") };
        break;
      }
    }
  }
  return d;
}

function readRegistrant(w: Walker, node: AnyNode, what: string): Registrant {
  const r: Registrant = {};
  for (const [key, value, keyNode] of w.entries(node, what, REGISTRANT_FIELDS)) {
    const s = w.string(value ?? keyNode, `${what} ${key}`);
    if (s === undefined) continue;
    r[key as (typeof REGISTRANT_FIELDS)[number]] = f.contactField(key, s, w.ref(value, keyNode), w.p);
  }
  return normalizeRegistrant(r);
}
