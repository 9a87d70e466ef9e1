/**
 * The operations file of `regdom-bulk run`: one API action per row (column `action`), the other
 * columns its parameters. Every row is checked before anything is sent: a known action, a valid
 * domain, the parameters the reference marks required, and no column that would replace what
 * the client sets itself (the action, the credentials, sld/tld). Each problem names `file:line`.
 */

import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { ACTIONS, type ActionKind, CLIENT_FIELDS, canonicalAction } from "@regdom/core";
import {
  decodeSpreadsheetBytes,
  fields,
  Problems,
  type SourceRef,
  sniffDelimiter,
  unneutralize,
} from "@regdom/manifest";
import { parse } from "csv-parse/sync";

/** What a row costs or risks, for the guards: money, a deletion, another write, or a read. */
export type OperationKind = "money" | "delete" | "write" | "read";

export interface Operation {
  id: string;
  line: number;
  action: string;
  kind: OperationKind;
  /** ACE */
  domain: string;
  params: Record<string, string>;
}

/** Actions that take a domain, a name or a nameserver away: only with --allow-delete. */
export const DESTRUCTIVE_ACTIONS: ReadonlySet<string> = new Set(["RequestDelete", "ReleaseDomain", "DeleteNameserver"]);

const PURCHASE = [
  "regperiod",
  "firstname",
  "lastname",
  "address1",
  "city",
  "state",
  "postcode",
  "country",
  "phonenumber",
  "email",
];

/** Parameters the API reference marks required, beside sld and tld (the `domain` column). */
export const REQUIRED_PARAMS: Readonly<Record<string, readonly string[]>> = {
  RegisterDomain: PURCHASE,
  TransferDomain: PURCHASE,
  RenewDomain: ["regperiod"],
  ReleaseDomain: ["newtag"],
  SaveContactDetails: ["contactdetails"],
  SaveDNS: ["dnsrecords"],
  RegisterNameserver: ["nameserver", "ipaddress"],
  ModifyNameserver: ["nameserver", "currentipaddress", "newipaddress"],
  DeleteNameserver: ["nameserver"],
  SaveEmailForwarding: ["prefix", "forwardto"],
  TransferSync: ["regperiod"],
  SetAutoRenew: ["autorenew"],
  IDProtectToggle: ["protectenable"],
};

/** Parameters whose values are secrets: never shown in a preview nor written to the journal. */
const SECRET_PARAM = /secret|eppcode|authcode|password/i;

export function kindOf(action: string): OperationKind {
  const kind: ActionKind = ACTIONS[action] ?? "once";
  if (kind === "money") return "money";
  if (DESTRUCTIVE_ACTIONS.has(action)) return "delete";
  return kind === "read" ? "read" : "write";
}

export interface ReadOperationsOptions {
  /** The form field that carries the auth e-mail (`email` on some deployments): reserved too. */
  authField?: "authemail" | "email";
}

/** Does a row give the parameter (a bracketed `contactdetails[Registrant][Name]` counts for `contactdetails`)? */
function gives(params: Record<string, string>, name: string): boolean {
  return Object.keys(params).some((k) => k === name || k.startsWith(`${name}[`));
}

function checkValues(o: { action: string; params: Record<string, string> }, ref: SourceRef, p: Problems): void {
  const v = o.params;
  if (v.regperiod !== undefined && !/^(10|[1-9])$/.test(v.regperiod))
    p.error(ref, `regperiod "${v.regperiod}" must be a whole number of years from 1 to 10`);
  if (v.autorenew !== undefined && !/^[01]$/.test(v.autorenew))
    p.error(ref, `autorenew "${v.autorenew}" must be 1 or 0`);
  if (v.protectenable !== undefined && !/^[01]$/.test(v.protectenable))
    p.error(ref, `protectenable "${v.protectenable}" must be 1 or 0`);
  for (const k of ["ipaddress", "currentipaddress", "newipaddress"])
    if (v[k] !== undefined && !isIP(v[k]!)) p.error(ref, `${k} "${v[k]}" is not an IPv4 or IPv6 address`);
  if (v.nameserver !== undefined) fields.hostname(v.nameserver, ref, p, "nameserver");
}

export function readOperations(bytes: Uint8Array, file: string, opts: ReadOperationsOptions = {}): Operation[] {
  const p = new Problems();
  const text = decodeSpreadsheetBytes(bytes, file, p);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as string[][];
  } catch (e) {
    p.error({ file }, `not valid CSV: ${e instanceof Error ? e.message : String(e)}`);
    p.throwIfAny();
    return [];
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const reserved = new Set<string>([...CLIENT_FIELDS, "sld", "tld", opts.authField ?? "authemail"]);
  const seen = new Map<string, number>();
  lower.forEach((h, c) => {
    const ref = { file, line: 1, column: c + 1 };
    if (h === "" || h.startsWith("#")) return;
    const first = seen.get(h);
    if (first !== undefined) {
      p.error(ref, `the column "${header[c]}" is given twice (columns ${first + 1} and ${c + 1}); each parameter once`);
      return;
    }
    seen.set(h, c);
    if (h === "action") return;
    if (h === "sld" || h === "tld")
      p.error(ref, `the column "${header[c]}" is not a parameter: give the whole name in the "domain" column`);
    else if (reserved.has(h))
      p.error(
        ref,
        `the column "${header[c]}" names a field regdom sets itself (${[...reserved].join(", ")}): remove it`,
      );
  });
  const actionCol = lower.indexOf("action");
  if (actionCol < 0)
    p.error({ file, line: 1 }, 'the header needs an "action" column; the other columns are the action\'s parameters');
  if (lower.indexOf("domain") < 0)
    p.error({ file, line: 1 }, 'the header needs a "domain" column: every action is for one domain');
  p.throwIfAny();

  const ops: Operation[] = [];
  records.slice(1).forEach((row, i) => {
    const line = i + 2;
    const ref = { file, line };
    const params: Record<string, string> = {};
    let id = "";
    let domain = "";
    lower.forEach((h, c) => {
      const v = unneutralize((row[c] ?? "").trim());
      if (c === actionCol || h.startsWith("#") || v === "") return;
      if (h === "") p.error({ file, line, column: c + 1 }, `a value in a column without a header: "${v}"`);
      else if (h === "id") id = v;
      else if (h === "domain") domain = v;
      else params[header[c]!] = v;
    });
    const raw = (row[actionCol] ?? "").trim();
    const action = canonicalAction(raw);
    if (!action) {
      p.error(
        { file, line, column: actionCol + 1 },
        raw ? `unknown action "${raw}"; valid: ${Object.keys(ACTIONS).join(", ")}` : "no action",
      );
      return;
    }
    const name = domain ? fields.domainName(domain, ref, p) : undefined;
    if (!domain) p.error(ref, `${action} needs a domain`);
    const missing = (REQUIRED_PARAMS[action] ?? []).filter((k) => !gives(params, k));
    if (missing.length) p.error(ref, `${action} needs ${missing.join(", ")}`);
    checkValues({ action, params }, ref, p);
    if (!name) return;
    if (!id)
      id = `line${line}-${createHash("sha256")
        .update(JSON.stringify([action, name.ace, params]))
        .digest("hex")
        .slice(0, 10)}`;
    ops.push({ id, line, action, kind: kindOf(action), domain: name.ace, params });
  });
  const ids = new Map<string, number>();
  for (const o of ops) {
    const first = ids.get(o.id);
    if (first !== undefined) p.error({ file, line: o.line }, `id "${o.id}" is used twice (first on line ${first})`);
    ids.set(o.id, o.line);
  }
  p.throwIfAny();
  return ops;
}

/** The parameters as they may be shown or journaled: secrets (auth codes) replaced. */
export function shownParams(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, SECRET_PARAM.test(k) ? "(hidden)" : v]));
}

/** One line per row of what `run` would send (to stderr before it asks), secrets hidden. */
export function renderOperation(o: Operation): string {
  const params = Object.entries(shownParams(o.params))
    .map(([k, v]) => ` ${k}=${JSON.stringify(v).slice(1, -1)}`)
    .join("");
  const mark = o.kind === "money" ? " [money]" : o.kind === "delete" ? " [delete]" : o.kind === "read" ? " (read)" : "";
  return `line ${o.line}: ${o.action} ${o.domain}${params}${mark}`;
}
