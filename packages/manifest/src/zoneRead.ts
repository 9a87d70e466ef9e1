/**
 * Reads an RFC 1035 master file (a BIND zone file) as the `dns` section of one domain, as real
 * exporters write them: $ORIGIN, $TTL, absolute and relative names, `@`, a blank owner (the
 * previous one), class IN optional, TTL units, parentheses across lines, comments, quoted strings
 * with `\"`, `\\` and `\DDD`, TXT of several strings (joined). SOA and the apex NS are the
 * registrar's business and are skipped, as TTLs are (one note per file each). Types the registrar
 * does not offer are errors naming file:line, or skipped records with `skipUnsupported`.
 */
import { domainToASCII } from "node:url";
import type { InputProblem } from "@regdom/core/data";
import { assemblyOf, type ReadSink } from "./assemble.js";
import * as f from "./fields.js";
import { MAX_ZONE_RECORDS } from "./limits.js";
import type { Manifest, SourceRef } from "./model.js";
import { Problems } from "./problems.js";
import { isRegisteredRrType } from "./rrTypes.js";
import { validateDns } from "./sections/dns.js";

export interface ZoneReadOptions {
  /** Skip records of types the registrar does not offer (each one listed as a warning) instead of refusing them. */
  skipUnsupported?: boolean;
}

interface Token {
  text: string;
  /** Quoted strings keep their quotes out and their escapes decoded. */
  quoted: boolean;
  line: number;
  column: number;
}

interface Entry {
  /** Tokens of one logical line (parentheses joined); `blankOwner` when it began with white space. */
  tokens: Token[];
  blankOwner: boolean;
  line: number;
}

/** Written by regdom-export for records no zone file can hold (URL, FRAME, MXE); read back here. */
export const REGDOM_RECORD_COMMENT = "; regdom-record:";

const TTL = /^(\d+[smhdw]?)+$/i;
const CLASSES = new Set(["IN", "CH", "HS", "CS"]);

/** Decodes `\"`, `\\` and `\DDD` (a byte) inside a quoted string; bytes are read as UTF-8. */
function unescapeZoneString(raw: string): string {
  // Most strings have no escape: 100k TXT records of 1 kB took 100 s when each character became a Buffer.
  if (!raw.includes("\\")) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "\\" && i + 1 < raw.length) {
      const ddd = /^\d{3}/.exec(raw.slice(i + 1, i + 4));
      if (ddd) {
        bytes.push(Number(ddd[0]) & 0xff);
        i += 3;
      } else {
        bytes.push(...Buffer.from(raw[i + 1]!, "utf8"));
        i += 1;
      }
    } else bytes.push(...Buffer.from(c, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Splits the text into logical lines of tokens; regdom's own record comments become entries too. */
function entries(text: string, file: string, p: Problems): Entry[] | undefined {
  const out: Entry[] = [];
  let cur: Entry | undefined;
  let depth = 0;
  let records = 0;
  let line = 1;
  let col = 1;
  let i = 0;
  const push = (t: Token) => {
    cur ??= { tokens: [], blankOwner: false, line: t.line };
    cur.tokens.push(t);
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      if (depth === 0 && cur) {
        out.push(cur);
        if (!cur.tokens[0]?.text.startsWith("$")) records++;
        cur = undefined;
        if (records > MAX_ZONE_RECORDS) {
          p.error(
            { file, line },
            `more than ${MAX_ZONE_RECORDS} records in one zone file; split the zone or manage it as CSV/YAML`,
          );
          return undefined;
        }
      }
      line++;
      col = 1;
      i++;
      continue;
    }
    if (col === 1 && depth === 0 && (c === " " || c === "\t")) {
      // A line that starts with white space has a blank owner: the previous one.
      cur = { tokens: [], blankOwner: true, line };
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      col++;
      continue;
    }
    if (c === ";") {
      const end = text.indexOf("\n", i);
      const comment = text.slice(i, end === -1 ? text.length : end);
      if (depth === 0 && comment.startsWith(REGDOM_RECORD_COMMENT) && !cur) {
        const body = comment.slice(REGDOM_RECORD_COMMENT.length).trim().split(/\s+/);
        // Each field is one token, its white space and control characters written as \DDD; a
        // field is data (as if quoted), never a directive, whatever it starts with.
        out.push({
          tokens: body.map((t) => ({
            text: t === '""' ? "" : unescapeZoneString(t),
            quoted: true,
            line,
            column: col,
          })),
          blankOwner: false,
          line,
        });
      }
      col += comment.length;
      i += comment.length;
      continue;
    }
    if (c === "(") {
      depth++;
      i++;
      col++;
      continue;
    }
    if (c === ")") {
      if (depth === 0) {
        p.error({ file, line, column: col }, "a closing parenthesis without an opening one");
        return undefined;
      }
      depth--;
      i++;
      col++;
      continue;
    }
    if (c === '"') {
      const start = { line, column: col };
      let j = i + 1;
      let raw = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && j + 1 < text.length) {
          raw += text[j]! + text[j + 1]!;
          j += 2;
        } else {
          if (text[j] === "\n") {
            p.error({ file, ...start }, "a quoted string is not closed on its line");
            return undefined;
          }
          raw += text[j];
          j++;
        }
      }
      if (j >= text.length) {
        p.error({ file, ...start }, "a quoted string is not closed");
        return undefined;
      }
      push({ text: unescapeZoneString(raw), quoted: true, ...start });
      col += j + 1 - i;
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !' \t\r\n;()"'.includes(text[j]!)) j++;
    push({ text: text.slice(i, j), quoted: false, line, column: col });
    col += j - i;
    i = j;
  }
  if (depth !== 0) {
    p.error({ file, line, column: col }, "a parenthesis opened and never closed");
    return undefined;
  }
  if (cur) out.push(cur);
  return out.filter((e) => e.tokens.length > 0);
}

/**
 * A name in ACE, label by label (a zone file may spell names in Unicode, and owner names may hold
 * `_` or `*`, which a whole-name IDNA conversion refuses). Keeps a trailing dot.
 */
export function aceName(name: string): string {
  if (/^[\x21-\x7e]*$/.test(name)) return name.toLowerCase();
  return name
    .split(".")
    .map((l) => (/^[\x21-\x7e]*$/.test(l) ? l.toLowerCase() : domainToASCII(l.toLowerCase()) || l.toLowerCase()))
    .join(".");
}

/** The domain a file's name gives (`acme.se.zone`, `acme.se.txt`), when it is a valid domain name. */
export function domainOfFileName(file: string): string | undefined {
  const base = file
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(zone|txt|db)$/i, "");
  if (!base.includes(".")) return undefined;
  const scratch = new Problems();
  return f.domainName(base, { file }, scratch)?.ace;
}

const ZONE_LINE =
  /^(\$(ORIGIN|TTL|INCLUDE)\b|\S*[ \t]+(\d+[smhdw]?[ \t]+)?(IN[ \t]+)?(\d+[ \t]+)?SOA[ \t]|\S*[ \t]+(\d+[smhdw]?[ \t]+)?IN[ \t]+(\d+[ \t]+)?[A-Z][A-Z0-9]*[ \t]+\S)/i;

/**
 * Whether a text is a master file (some DNS hosts download zone exports as .txt): its first
 * statement, past comments and blank lines, is a $ORIGIN/$TTL directive, an SOA or an `IN` record.
 */
export function looksLikeZoneFile(text: string): boolean {
  for (const line of text.replace(/^\uFEFF/, "").split("\n", 50)) {
    const l = line.replace(/\r$/, "");
    if (l.trim() === "" || l.trimStart().startsWith(";")) continue;
    return ZONE_LINE.test(l) && !l.includes(",");
  }
  return false;
}

/**
 * The domain a zone file is for. Its file name decides (`acme.se.zone`); a file named otherwise is
 * for its widest $ORIGIN (an exporter may write a sub-zone's $ORIGIN first), or under `$ORIGIN .`
 * (pdnsutil) its SOA's owner. Every $ORIGIN must then lie inside it; see readZoneManifest.
 */
function zoneOf(text: string, file: string): { name: string; byFileName: boolean } | undefined {
  const named = domainOfFileName(file);
  if (named) return { name: named, byFileName: true };
  const origins = [...text.matchAll(/^\$ORIGIN[ \t]+(\S+)/gim)]
    .map((m) => m[1]!)
    .filter((o) => o.endsWith(".") && o !== ".")
    .map((o) => aceName(o).replace(/\.$/, ""));
  if (origins.length)
    return { name: origins.reduce((a, b) => (b.split(".").length < a.split(".").length ? b : a)), byFileName: false };
  if (/^\$ORIGIN[ \t]+\.[ \t]*(;.*)?$/im.test(text)) {
    const soa = /^([^\s;$]+)[ \t]+(?:[^\n;]*[ \t])?SOA[ \t]/im.exec(text);
    if (soa) return { name: aceName(soa[1]!).replace(/\.$/, ""), byFileName: false };
  }
  return undefined;
}

/** Reads one zone file into a manifest (and its problems into `p`) through that manifest's assembly: for tests and tools. */
export function readZoneManifest(
  text: string,
  file: string,
  p: Problems,
  into: Manifest,
  o: ZoneReadOptions = {},
): void {
  p.add(readZone(text, file, assemblyOf(into), o));
}

/** Reads one zone file, handing its domain's records to the assembler; returns the file's problems. */
export function readZone(text: string, file: string, out: ReadSink, o: ZoneReadOptions = {}): InputProblem[] {
  const p = new Problems();
  readZoneInto(text, file, p, out, o);
  return [...p.errors, ...p.warnings];
}

function readZoneInto(text: string, file: string, p: Problems, out: ReadSink, o: ZoneReadOptions): void {
  const zoneName = zoneOf(text, file);
  const origin0 = zoneName?.name;
  if (!origin0) {
    p.error({ file, line: 1, column: 1 }, "a zone file needs $ORIGIN, or a name like example.se.zone");
    return;
  }
  const ref1: SourceRef = { file, line: 1, column: 1 };
  const id = f.domainName(origin0, ref1, p);
  if (!id) return;
  const list = entries(text.replace(/^\uFEFF/, ""), file, p);
  if (!list) return;
  let origin = `${id.ace}.`;
  let owner: string | undefined;
  let ttlSeen = false;
  let skippedApex = false;
  const raws: { raw: f.RawRecord; refs: Record<keyof f.RawRecord, SourceRef> }[] = [];
  const apex = `${id.ace}.`;
  const absolute = (name: string): string => {
    if (name === "@") return origin;
    if (name.endsWith(".")) return name;
    return origin === "." ? `${name}.` : `${name}.${origin}`;
  };
  for (const e of list) {
    const t = e.tokens;
    const first = t[0]!;
    const at = (tok: Token | undefined): SourceRef => ({
      file,
      line: (tok ?? first).line,
      column: (tok ?? first).column,
    });
    if (!first.quoted && first.text.startsWith("$")) {
      const directive = first.text.toUpperCase();
      if (directive === "$ORIGIN") {
        const o2 = t[1] && aceName(t[1].text);
        if (!o2) p.error(at(first), "$ORIGIN needs a name");
        else {
          const next = o2.endsWith(".") ? o2 : absolute(o2);
          // `$ORIGIN .` (pdnsutil) names nothing by itself: its owners are absolute.
          if (next !== "." && next !== apex && !next.endsWith(`.${apex}`))
            p.error(
              at(first),
              `$ORIGIN ${t[1]!.text} is outside the zone ${id.display}${zoneName.byFileName ? " (named by the file name)" : ""}: a zone file holds one zone; a $ORIGIN inside it only sets relative names`,
            );
          else origin = next;
        }
      } else if (directive === "$TTL") ttlSeen = true;
      else if (directive === "$INCLUDE" || directive === "$GENERATE")
        p.error(at(first), `${directive} is not supported: expand the zone into one file (named-compilezone does)`);
      else p.error(at(first), `unknown directive ${first.text}`);
      continue;
    }
    let k = 0;
    if (!e.blankOwner) {
      owner = absolute(aceName(t[0]!.text));
      k = 1;
    }
    if (owner === undefined) {
      p.error(at(first), "the first record has no owner name");
      continue;
    }
    // TTL and class, in either order.
    for (let n = 0; n < 2 && k < t.length; n++) {
      if (TTL.test(t[k]!.text)) {
        ttlSeen = true;
        k++;
      } else if (CLASSES.has(t[k]!.text.toUpperCase())) {
        if (t[k]!.text.toUpperCase() !== "IN") p.error(at(t[k]), `class ${t[k]!.text} is not IN`);
        k++;
      }
    }
    const typeTok = t[k];
    if (!typeTok) {
      p.error(at(first), "a record needs a type, like A, MX or TXT");
      continue;
    }
    const type = typeTok.text.toUpperCase();
    const data = t.slice(k + 1);
    const zone = apex;
    if (owner !== zone && !owner.endsWith(`.${zone}`)) {
      p.error(at(first), `${owner} is outside the zone ${zone}`);
      continue;
    }
    const host = owner === zone ? "@" : owner.slice(0, -(zone.length + 1));
    if (type === "SOA" || (type === "NS" && host === "@")) {
      skippedApex = true;
      continue;
    }
    const target = (tok: Token | undefined) => (tok ? absolute(tok.text).replace(/\.$/, "") : "");
    const refs = {
      host: at(first),
      type: at(typeTok),
      address: at(data[0] ?? typeTok),
      priority: at(data[0] ?? typeTok),
    };
    switch (type) {
      case "A":
      case "AAAA":
      case "URL":
      case "FRAME":
        raws.push({ raw: { host, type, address: data.map((d) => d.text).join(" "), priority: null }, refs });
        break;
      case "CNAME":
        raws.push({ raw: { host, type, address: target(data[0]), priority: null }, refs });
        break;
      case "MX":
      case "MXE":
        raws.push({
          raw: {
            host,
            type,
            address: type === "MX" ? target(data[1]) : (data[1]?.text ?? ""),
            priority: data[0]?.text ?? "",
          },
          refs: { ...refs, address: at(data[1] ?? typeTok) },
        });
        break;
      case "TXT":
      case "SPF":
        if (type === "SPF") {
          unsupported(type, host, at(typeTok));
          break;
        }
        // Several strings are one TXT: joined, as resolvers join them. Unquoted, they were most
        // likely meant as one text with spaces (`v=spf1 -all`), which the zone file does not say.
        if (data.length > 1 && data.some((d) => !d.quoted))
          p.warn(
            at(data[0]),
            `TXT of ${data.length} ${data.every((d) => !d.quoted) ? "unquoted strings" : "strings, some unquoted,"} is joined without spaces as "${data.map((d) => d.text).join("")}"; quote the text ("${data.map((d) => d.text).join(" ")}") if it has spaces`,
          );
        raws.push({ raw: { host, type, address: data.map((d) => d.text).join(""), priority: null }, refs });
        break;
      default:
        // A word that is no DNS type at all goes to the dns validator, which says so as it does
        // for every format; a real type the registrar does not offer is this reader's to refuse.
        if (isRegisteredRrType(type)) unsupported(type, host, at(typeTok));
        else raws.push({ raw: { host, type, address: data.map((d) => d.text).join(" "), priority: null }, refs });
    }
  }
  function unsupported(type: string, host: string, ref: SourceRef): void {
    const what = type === "NS" ? "NS below the apex (a delegation)" : type;
    if (o.skipUnsupported) p.warn(ref, `skipped ${what} record at "${host}": the registrar does not offer it`);
    else
      p.error(
        ref,
        `${what} records are not offered by the registrar (A, AAAA, CNAME, MX, TXT and its URL, FRAME, MXE are); remove the record, or pass --skip-unsupported to skip such records`,
      );
  }
  const notes: string[] = [];
  if (skippedApex)
    notes.push("SOA and apex NS records skipped (the registrar runs the zone; nameservers are their own section)");
  if (ttlSeen) notes.push("TTLs dropped (the API has no TTL)");
  if (notes.length) p.warn(ref1, notes.join("; "));

  const checked = validateDns(
    raws.map(({ raw, refs }) => ({ fields: raw, at: (k?: keyof f.RawRecord) => refs[k ?? "host"] })),
    { name: id.ace, display: id.display },
  );
  p.add(checked.problems);
  const dns = checked.value ?? [];
  const refused = out.domain({ name: id.ace, display: id.display, source: ref1, dns }, ref1);
  if (refused.length) p.add(refused);
}
