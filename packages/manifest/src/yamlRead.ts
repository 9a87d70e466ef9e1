/**
 * Reads a YAML (or JSON) manifest, walking the document's nodes so that every problem names its
 * line and column. Duplicate keys and unknown keys are refused; aliases are capped.
 */

import { type InputProblem, OWNER_FIELDS, type Owner } from "@regdom/core/data";
import type { Alias, Document, LineCounter, Node } from "yaml";
import { assemblyOf, type ReadSink } from "./assemble.js";
import * as f from "./fields.js";
import { type DesiredDomain, type Manifest, PURCHASE_EXTRAS, type PurchaseExtras, type SourceRef } from "./model.js";
import { didYouMean, Problems } from "./problems.js";
import { type IgnoreField, validateIgnoreRules } from "./sections/dnsIgnore.js";
import { type AnySection, DNS_IGNORE, type RawOf, SECTION_BY_KEY, type Shape } from "./sections/index.js";
import type { LocatedFields } from "./sections/located.js";
import { fastYaml, yamlLib as Y } from "./yamlLib.js";

/** Read-only facts an export may write beside the sections: read, and never managed. */
const INFO_KEYS = ["status", "expires", "eppcode", "dnssec", "contacts"] as const;
const DOMAIN_KEYS = [...SECTION_BY_KEY.keys(), ...INFO_KEYS];
const MAX_ALIASES = 100;

/** A node of whichever tree a walker walks: the yaml library's, or plain values (see PlainWalker). */
type AnyNode = unknown;

/** What the readers below need of a tree: mappings, lists, scalars, and where a node is. */
interface Walker {
  readonly file: string;
  readonly p: Problems;
  ref(node: AnyNode, fallback?: AnyNode): SourceRef;
  entries(node: AnyNode, what: string, allowed?: readonly string[]): [string, AnyNode, AnyNode][];
  items(node: AnyNode, what: string): AnyNode[];
  scalar(node: AnyNode): unknown;
  /** A node as a plain value: a scalar, an object of a mapping, an array of a list. */
  plain(node: AnyNode): unknown;
  string(node: AnyNode, what: string): string | undefined;
}

/** Walks the yaml library's document: every node knows its position, at the cost of a heavy tree. */
class DocWalker implements Walker {
  aliases = 0;
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter,
    readonly p: Problems,
    /** Lines of the file before this part of it (a manifest is read in parts, see splitDomains). */
    readonly lineOffset = 0,
    /** Domain keys seen in earlier parts of the same file, for the duplicate-key check. */
    readonly domainKeys = new Set<string>(),
  ) {}

  ref(node: AnyNode, fallback?: AnyNode): SourceRef {
    const has = (x: unknown): x is Node => !!x && typeof x === "object" && "range" in x && !!(x as Node).range;
    const n = has(node) ? node : has(fallback) ? fallback : undefined;
    const offset = n?.range?.[0];
    if (offset === undefined) return { file: this.file };
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line + this.lineOffset, column: pos.col };
  }

  resolve(node: AnyNode): Node | null | undefined {
    if (!node || typeof node !== "object") return undefined;
    if (Y().isAlias(node)) {
      if (++this.aliases > MAX_ALIASES) {
        if (this.aliases === MAX_ALIASES + 1)
          this.p.error(
            this.ref(node),
            `more than ${MAX_ALIASES} aliases: refused (a manifest needs few, an alias bomb needs many)`,
          );
        return undefined;
      }
      return (node as Alias).resolve(this.doc) as Node | undefined;
    }
    return node as Node;
  }

  /** The pairs of a map node, with unknown keys reported. */
  entries(node: AnyNode, what: string, allowed?: readonly string[]): [string, AnyNode, AnyNode][] {
    const n = this.resolve(node);
    if (n === null || n === undefined || (Y().isScalar(n) && (n.value === null || n.value === ""))) return [];
    if (!Y().isMap(n)) {
      this.p.error(this.ref(n), `${what} must be a mapping (key: value)`);
      return [];
    }
    const out: [string, AnyNode, AnyNode][] = [];
    // Duplicate keys are found here, in one pass with a set: the yaml library's own check compares
    // every key with every earlier one, which made a 20,000-domain manifest take 40 s.
    const seen = what === "domains" ? this.domainKeys : new Set<string>();
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

  items(node: AnyNode, what: string): AnyNode[] {
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

  plain(node: AnyNode): unknown {
    const n = this.resolve(node);
    if (!n) return n;
    if (Y().isScalar(n)) return n.value;
    if (Y().isMap(n)) return Object.fromEntries(this.entries(n, "a mapping").map(([k, v]) => [k, this.plain(v)]));
    if (Y().isSeq(n)) return this.items(n, "a list").map((i) => this.plain(i));
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

/**
 * Walks plain values from a fast parser (js-yaml). It knows no positions but those of domain keys
 * (from splitDomains' scan), so it is used only optimistically: a part in which it finds any
 * problem is read again with the DocWalker, whose messages name line and column.
 */
class PlainNode {
  constructor(
    readonly v: unknown,
    readonly at?: { line: number; column: number },
  ) {}
}

class PlainWalker implements Walker {
  /** The one place this walker knows for any value: the file (a part with a problem is read again, placed). */
  readonly nowhere = (): SourceRef => ({ file: this.file });
  constructor(
    readonly file: string,
    readonly p: Problems,
    readonly domainKeys: Set<string>,
    /** Positions of the part's domain keys, in the order they stand in the text. */
    readonly keyPositions: { line: number; column: number }[],
    /** Domain keys this walker added to domainKeys, so a reread can take them back. */
    readonly added: string[] = [],
  ) {}

  ref(node: AnyNode, fallback?: AnyNode): SourceRef {
    const at = (node instanceof PlainNode && node.at) || (fallback instanceof PlainNode && fallback.at) || undefined;
    return at ? { file: this.file, line: at.line, column: at.column } : { file: this.file };
  }

  entries(node: AnyNode, what: string, allowed?: readonly string[]): [string, AnyNode, AnyNode][] {
    const v = (node as PlainNode | undefined)?.v;
    if (v === null || v === undefined || v === "") return [];
    if (typeof v !== "object" || Array.isArray(v)) {
      this.p.error(this.ref(node), `${what} must be a mapping (key: value)`);
      return [];
    }
    const domains = what === "domains";
    const out: [string, AnyNode, AnyNode][] = [];
    let i = -1;
    for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
      i++;
      if (domains) {
        if (this.domainKeys.has(key)) {
          this.p.error(this.ref(node), "duplicate key: each key (and each domain) may appear once");
          continue;
        }
        this.domainKeys.add(key);
        this.added.push(key);
      }
      if (allowed && !allowed.includes(key)) {
        this.p.error(this.ref(node), `unknown key "${key}" in ${what}`);
        continue;
      }
      out.push([key, new PlainNode(value), new PlainNode(key, domains ? this.keyPositions[i] : undefined)]);
    }
    return out;
  }

  items(node: AnyNode, what: string): AnyNode[] {
    const v = (node as PlainNode | undefined)?.v;
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) {
      this.p.error(this.ref(node), `${what} must be a list`);
      return [];
    }
    return v.map((x) => new PlainNode(x));
  }

  scalar(node: AnyNode): unknown {
    const v = (node as PlainNode | undefined)?.v;
    return v !== null && typeof v === "object" ? undefined : v;
  }

  plain(node: AnyNode): unknown {
    return (node as PlainNode | undefined)?.v;
  }

  string(node: AnyNode, what: string): string | undefined {
    const v = this.scalar(node);
    if (v === null || v === undefined) {
      this.p.error(this.ref(node), `${what} must be a text value`);
      return undefined;
    }
    return String(v);
  }
}

/** Deeper than this, the reader refuses the file (a manifest needs about six levels). */
export const MAX_YAML_DEPTH = 64;

/** Reads one YAML (or JSON) file into a manifest (and its problems into `p`) through that manifest's assembly: for tests and tools. */
export function readYamlManifest(
  text: string,
  file: string,
  p: Problems,
  into: Manifest,
  opts: SplitOptions = {},
): void {
  p.add(readYaml(text, file, assemblyOf(into), opts));
}

/** Reads one YAML (or JSON) file, handing its domains, owners and rules to the assembler; returns the file's problems. */
export function readYaml(text: string, file: string, out: ReadSink, opts: SplitOptions = {}): InputProblem[] {
  const p = new Problems();
  readYamlFile(text, file, p, out, opts);
  return [...p.errors, ...p.warnings];
}

function readYamlFile(text: string, file: string, p: Problems, out: ReadSink, opts: SplitOptions): void {
  // A large manifest read in parts is not scanned: each part's parser reports a bomb in it.
  const deep = text.length < (opts.minSplitBytes ?? SPLIT_BYTES) ? tooDeep(text) : undefined;
  if (deep) {
    p.error({ file, ...deep }, `nested more than ${MAX_YAML_DEPTH} levels deep; a manifest needs about six`);
    return;
  }
  try {
    readYamlText(text, file, p, out, opts);
  } catch (e) {
    // A nesting the pre-check did not see (it counts brackets and indentation, not every form).
    if (!(e instanceof RangeError)) throw e;
    p.error(
      { file, line: 1, column: 1 },
      `nested too deeply to read (${e.message}); a manifest needs about six levels`,
    );
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

/**
 * Reads the manifest in parts when its `domains:` is a plain block mapping (what exports and
 * people write): the head (version, owners) and then the domains some hundreds at a time. The
 * parser's tree of a whole 50 MB file is what made memory and time grow faster than the file;
 * parts keep both linear. Any other shape is read whole.
 */
function readYamlText(text: string, file: string, p: Problems, out: ReadSink, split: SplitOptions): void {
  const parts = splitDomains(text, split.minSplitBytes, split.domainsPerPart);
  const version = { seen: false };
  if (!parts) {
    readYamlPart(text, file, p, out, { lineOffset: 0, domainKeys: new Set(), version });
    if (!version.seen) p.error({ file, line: 1, column: 1 }, 'missing "version: 1" at the top of the manifest');
    return;
  }
  const domainKeys = new Set<string>();
  for (const head of parts.heads)
    readYamlPart(head.text, file, p, out, { lineOffset: head.lineOffset, domainKeys, version });
  if (!version.seen) p.error({ file, line: 1, column: 1 }, 'missing "version: 1" at the top of the manifest');
  for (const part of parts.domains) {
    if (p.errors.length > 1000) return;
    if (readPartFast(part, file, p, out, domainKeys)) continue;
    readYamlPart(part.text, file, p, out, { lineOffset: part.lineOffset, domainKeys });
  }
}

/**
 * Reads a part of domains with the fast parser and the PlainWalker. True when that part had no
 * problem at all and its domains were added; false (nothing added) when it must be read again
 * with positions, so every message keeps its line and column.
 */
function readPartFast(part: DomainsPart, file: string, p: Problems, out: ReadSink, domainKeys: Set<string>): boolean {
  let value: unknown;
  try {
    const js = fastYaml();
    if (!js) return false;
    value = js.load(part.text, { schema: js.CORE_SCHEMA });
  } catch {
    return false;
  }
  const scratch = new Problems();
  const w = new PlainWalker(file, scratch, domainKeys, part.keys);
  const found: { id: { ace: string; display: string }; d: DesiredDomain; ref: SourceRef }[] = [];
  const top = w.entries(new PlainNode(value), "the manifest", ["domains"]);
  for (const [, node] of top) readDomainEntries(w, node, (id, d, ref) => found.push({ id, d, ref }));
  if (scratch.errors.length > 0 || scratch.warnings.length > 0) {
    for (const k of w.added) domainKeys.delete(k);
    return false;
  }
  for (const { d, ref } of found) addDomain(out, d, ref, p);
  return true;
}

const DOMAINS_PER_PART = 200;

/** Where a manifest is cut into parts; tests make both small to reach part boundaries cheaply. */
export interface SplitOptions {
  /** Files at least this large are read in parts (default 1 MB). */
  minSplitBytes?: number;
  /** Domains per part (default 200). */
  domainsPerPart?: number;
}

/**
 * The head of the file with the body of `domains:` blanked out (so its lines keep their numbers),
 * and that body cut into parts at domain keys, each with how many lines stand before it. Undefined
 * for any shape this does not recognise for sure (flow style, tabs, anchors and aliases).
 */
export interface DomainsPart {
  text: string;
  lineOffset: number;
  /** Where each domain key of the part stands in the file, in order. */
  keys: { line: number; column: number }[];
}

/** Files at least this large are read in parts (see splitDomains). */
export const SPLIT_BYTES = 1_000_000;

export function splitDomains(
  text: string,
  minBytes = SPLIT_BYTES,
  perPart = DOMAINS_PER_PART,
): { heads: { text: string; lineOffset: number }[]; domains: DomainsPart[] } | undefined {
  if (text.length < minBytes) return undefined;
  const m = /^domains:[ ]*(#[^\n]*)?\r?\n/m.exec(text);
  if (!m || /(^|[\s[{,:])[&*][A-Za-z0-9_-]/.test(text)) return undefined;
  const bodyStart = m.index + m[0].length;
  let line = countLines(text, 0, bodyStart) + 1; // the body's first line, 1-based
  let pos = bodyStart;
  let indent = -1;
  const starts: { at: number; line: number; column: number }[] = [];
  let bodyEnd = text.length;
  while (pos < text.length) {
    let nl = text.indexOf("\n", pos);
    if (nl === -1) nl = text.length;
    let ind = 0;
    while (pos + ind < nl && text.charCodeAt(pos + ind) === 32) ind++;
    const c = pos + ind < nl ? text.charCodeAt(pos + ind) : -1;
    // Blank lines, comments and lines of only spaces belong to the body.
    if (c !== -1 && c !== 35 && c !== 13) {
      if (ind === 0) {
        bodyEnd = pos;
        break;
      }
      if (c === 9) return undefined;
      if (indent === -1) indent = ind;
      if (ind < indent) return undefined;
      if (ind === indent) {
        if (c === 45 || c === 123 || c === 91) return undefined; // "-", "{", "["
        starts.push({ at: pos, line, column: ind + 1 });
      }
    }
    pos = nl + 1;
    line++;
  }
  if (starts.length === 0) return undefined;
  const domains: DomainsPart[] = [];
  for (let i = 0; i < starts.length; i += perPart) {
    const from = starts[i]!;
    const to = i + perPart < starts.length ? starts[i + perPart]!.at : bodyEnd;
    const keys = starts.slice(i, i + perPart).map(({ line, column }) => ({ line, column }));
    // "domains:" is the part's line 1, so its line 2 is the file's line `from.line`.
    domains.push({ text: `domains:\n${text.slice(from.at, to)}`, lineOffset: from.line - 2, keys });
  }
  // The top-level keys before and after the body (version, owners), with their own line numbers.
  const heads = [{ text: text.slice(0, bodyStart), lineOffset: 0 }];
  if (bodyEnd < text.length) heads.push({ text: text.slice(bodyEnd), lineOffset: countLines(text, 0, bodyEnd) });
  return { heads, domains };
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function readYamlPart(
  text: string,
  file: string,
  p: Problems,
  out: ReadSink,
  /** `version` is given for the parts that may hold the top-level keys (not the parts of domains). */
  part: { lineOffset: number; domainKeys: Set<string>; version?: { seen: boolean } },
): void {
  const lines = new (Y().LineCounter)();
  const doc = Y().parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    version: "1.2",
  });
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    p.error({ file, line: pos.line + part.lineOffset, column: pos.col }, e.message.split("\n")[0]!);
  }
  if (doc.errors.length > 0) {
    // Unreadable: whether it held the version is unknown, so only the syntax error is reported.
    if (part.version) part.version.seen = true;
    return;
  }
  const w = new DocWalker(file, doc, lines, p, part.lineOffset, part.domainKeys);
  const top = w.entries(doc.contents as AnyNode, "the manifest", ["version", "owners", "dns_ignore", "domains"]);
  const get = (k: string) => top.find(([key]) => key === k);
  const version = get("version");
  if (part.version && version) {
    part.version.seen = true;
    if (w.scalar(version[1]) !== 1)
      p.error(w.ref(version[1], version[2]), `version must be 1, got ${JSON.stringify(w.scalar(version[1]))}`);
  }

  const ignore = get("dns_ignore");
  if (ignore) {
    const rules = validateIgnoreRules(
      rawOf(w, DNS_IGNORE, ignore[1], ignore[2], { display: "the manifest" }) as LocatedFields<IgnoreField>[],
    );
    p.add(rules.problems);
    out.ignoreAll(rules.value ?? []);
  }
  const owners = get("owners");
  if (owners) {
    for (const [name, node, keyNode] of w.entries(owners[1], "owners")) {
      const twice = out.ownerNamed(name, w.ref(keyNode));
      if (twice) p.add([twice]);
      const owner = readOwner(w, node, `owner "${name}"`);
      if (owner) out.owner(name, owner.owner, owner.extras);
    }
  }
  const domains = get("domains");
  if (!domains) return;
  readDomainEntries(w, domains[1], (_id, d, ref) => addDomain(out, d, ref, p));
}

function readDomainEntries(
  w: Walker,
  node: AnyNode,
  found: (id: { ace: string; display: string }, d: DesiredDomain, ref: SourceRef) => void,
): void {
  for (const [name, value, keyNode] of w.entries(node, "domains")) {
    const ref = w.ref(keyNode);
    const id = f.domainName(name, ref, w.p);
    if (!id) continue;
    const d = readDomain(w, value, id, ref);
    if (d) found(id, d, ref);
  }
}

/** A domain read whole goes to the assembler, which says (in its place here) a section an earlier file gave. */
function addDomain(out: ReadSink, d: DesiredDomain, ref: SourceRef, p: Problems): void {
  const refused = out.domain(d, ref);
  if (refused.length) p.add(refused);
}

function readOwner(w: Walker, node: AnyNode, what: string): { owner: Owner; extras: PurchaseExtras } | undefined {
  const owner: Owner = {};
  const extraFields: Record<string, unknown> = {};
  const extraRefs: Record<string, SourceRef> = {};
  for (const [key, value, keyNode] of w.entries(node, what, [...OWNER_FIELDS, ...PURCHASE_EXTRAS])) {
    if ((PURCHASE_EXTRAS as readonly string[]).includes(key)) {
      extraFields[key] = key === "domainfields" ? plainMap(w, value, "domainfields") : w.scalar(value);
      extraRefs[key] = w.ref(value, keyNode);
      continue;
    }
    const s = w.string(value ?? keyNode, `${what} ${key}`);
    if (s === undefined) continue;
    owner[key as (typeof OWNER_FIELDS)[number]] = f.contactField(key, s, w.ref(value, keyNode), w.p);
  }
  f.checkOwnerComplete(owner, what, () => w.ref(node), w.p);
  f.checkPostcode(owner.postcode, owner.country, w.ref(node), w.p);
  return {
    owner,
    extras: f.purchaseExtras(
      (k) => extraFields[k],
      (k) => extraRefs[k] ?? w.ref(node),
      w.p,
    ),
  };
}

/** A mapping of scalars as a plain object (domainfields), or the scalar itself for the checks to refuse. */
function plainMap(w: Walker, node: AnyNode, what: string): unknown {
  const scalar = w.scalar(node);
  if (scalar !== undefined) return scalar;
  return Object.fromEntries(w.entries(node, what).map(([k, v]) => [k, w.scalar(v) ?? null]));
}

function readDomain(
  w: Walker,
  node: AnyNode,
  id: { ace: string; display: string },
  source: SourceRef,
): DesiredDomain | undefined {
  const d: DesiredDomain = { name: id.ace, display: id.display, source };
  for (const [key, value, keyNode] of w.entries(node, `domain ${id.display}`, DOMAIN_KEYS)) {
    const section = SECTION_BY_KEY.get(key);
    if (section) {
      const problems = section.read(rawOf(w, section, value, keyNode, id) as never, d, d);
      if (problems.length) w.p.add(problems);
      continue;
    }
    if (key === "contacts") {
      // Read-only: the contact types beside the registrant, as an export found them.
      const contacts: Record<string, Record<string, string>> = {};
      for (const [type, fields] of w.entries(value, "contacts")) {
        contacts[type] = {};
        for (const [k, v] of w.entries(fields, `contacts ${type}`)) contacts[type][k] = String(w.scalar(v) ?? "");
      }
      d.info = { ...d.info, contacts };
    } else {
      // status, expires, eppcode, dnssec: read-only facts an export wrote.
      const s = w.scalar(value);
      d.info = { ...d.info, [key]: s instanceof Date ? s.toISOString().slice(0, 10) : String(s ?? "") };
    }
  }
  return d;
}

/** A section's node as the located raw shape its validator takes (see sections/). */
function rawOf(w: Walker, s: AnySection, node: AnyNode, keyNode: AnyNode, id: { display: string }): RawOf[Shape] {
  const at = w.ref(node, keyNode);
  switch (s.shape) {
    case "scalar":
      return { value: w.scalar(node), at };
    case "list":
      return { items: w.items(node, s.key).map((n) => ({ value: w.scalar(n), at: w.ref(n) })), at };
    case "fields":
      return located(w, node, `${s.key} of ${id.display}`, s.keys, keyNode);
    case "rows":
      if (s.keyed) return keyedRows(w, node, s.key, s.keys ?? []);
      return w.items(node, s.key).map((item) => located(w, item, s.item ?? s.key, s.keys));
  }
}

/** `{KEY: VALUE}` or `{KEY: [VALUE, …]}` as rows `{keys[0]: KEY, keys[1]: VALUE}`, each placed at its value. */
function keyedRows(w: Walker, node: AnyNode, what: string, keys: readonly string[]): LocatedFields[] {
  const [keyField = "key", valueField = "value"] = keys;
  const rows: LocatedFields[] = [];
  for (const [key, value, keyNode] of w.entries(node, what)) {
    const v = w.plain(value);
    const items = Array.isArray(v) ? w.items(value, `${what} ${key}`) : [value];
    // A key with no values is a row of the key alone, for the section to refuse or accept.
    if (items.length === 0) rows.push({ fields: { [keyField]: key }, at: () => w.ref(keyNode) });
    for (const item of items) {
      const fields = { [keyField]: key, [valueField]: w.plain(item) };
      rows.push({ fields, at: (k) => (k === keyField ? w.ref(keyNode) : w.ref(item, keyNode)) });
    }
  }
  return rows;
}

/** A mapping's fields as plain values, each place worked out only when a problem asks for it. */
function located(
  w: Walker,
  node: AnyNode,
  what: string,
  keys: readonly string[] | undefined,
  fallback?: AnyNode,
): LocatedFields {
  const fields: Record<string, unknown> = {};
  if (w instanceof PlainWalker) {
    // Nothing here knows its place: no closure keeps the nodes alive (a zone keeps its records' places).
    for (const [k, v] of w.entries(node, what, keys)) fields[k] = w.plain(v);
    return { fields, at: w.nowhere };
  }
  const nodes: Record<string, [AnyNode, AnyNode]> = {};
  for (const [k, v, kn] of w.entries(node, what, keys)) {
    fields[k] = w.plain(v);
    nodes[k] = [v, kn];
  }
  return {
    fields,
    at: (k) => {
      const n = k === undefined ? undefined : nodes[k];
      return n ? w.ref(n[0], n[1]) : w.ref(node, fallback);
    },
  };
}
