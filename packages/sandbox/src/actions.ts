/**
 * Every action of the reference, answering with the shapes its examples show. A handler gets the
 * parsed POST and the state, returns the answer object and whether it changed the books.
 */
import { isIPv4, isIPv6 } from "node:net";
import { unserialize } from "php-serialize";
import { type Account, formatCents, type PricedOperation } from "./money.js";
import type { PostArray, PostValue } from "./phpForm.js";
import { isAceDomain, PANEL_TYPES, RECORD_TYPES, recordProblem } from "./rules.js";
import type { SandboxDomain, SandboxState } from "./state.js";

export class ActionError extends Error {}

/**
 * How the server speaks: `reference` as the one-page reference shows; `modules` as the public
 * client modules of the same product speak it (lock read from `lockenabled` only, `Unknown` for a
 * TLD without registrar lock, `result: "empty"` when a lock change changes nothing, the release
 * tag read from `transfertag`).
 */
export type Dialect = "reference" | "modules";

/** TLDs the modules dialect offers no registrar lock for (DomainGetLockingStatus answers Unknown). */
export const NO_LOCK_TLDS: readonly string[] = ["eu"];

/** Actions beyond the reference that only the modules dialect offers. */
export const MODULES_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  "creditamount",
  "getpricing",
  "getdomainfields",
  "idprotecttoggle",
]);

export interface ActionContext {
  dialect: Dialect;
  account: Account;
  state: SandboxState;
  now: () => number;
  /** How long a transfer stays pending, ms; "manual": until the sandbox's settleTransfers. */
  transferDelayMs: number | "manual";
  newEppCode: () => string;
}

interface ActionResult {
  answer: Record<string, unknown>;
  changed: boolean;
}

type Handler = (p: PostArray, ctx: ActionContext) => ActionResult;

const ok = (extra: Record<string, unknown> = {}, changed = false): ActionResult => ({
  answer: { result: "success", ...extra },
  changed,
});

function param(p: PostArray, name: string, required = true): string {
  const v = p[name];
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "object") throw new ActionError(`Parameter ${name} must be a string`);
  if (required) throw new ActionError(`Missing parameter: ${name}`);
  return "";
}

/** The domain named by sld + tld; must be ACE. */
export function domainName(p: PostArray): string {
  const sld = param(p, "sld");
  const tld = param(p, "tld");
  const name = `${sld}.${tld}`.toLowerCase();
  if (!isAceDomain(name)) throw new ActionError(`Domain name must be 7bit ACE encoded and valid: ${name}`);
  return name;
}

function existing(p: PostArray, ctx: ActionContext): SandboxDomain {
  const name = domainName(p);
  const d = ctx.state.get(name);
  if (!d) throw new ActionError(`Domain not found: ${name}`);
  return d;
}

/** base64 PHP serialize, refusing objects (no class scope is ever given). */
function decodeSerialized(value: PostValue | undefined, name: string): unknown {
  if (typeof value !== "string" || value === "") throw new ActionError(`Missing parameter: ${name}`);
  if (!/^[A-Za-z0-9+/\s]*={0,2}$/.test(value)) throw new ActionError(`Parameter ${name} is not valid base64`);
  try {
    return unserialize(Buffer.from(value, "base64").toString("utf8"), {}, { strict: true });
  } catch (e) {
    throw new ActionError(
      `Parameter ${name} is not a serialized array: ${e instanceof Error ? e.message.slice(0, 80) : ""}`,
    );
  }
}

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === "object") return Object.values(v);
  if (v === "") return [];
  throw new ActionError("Expected a serialized array");
}

/** The `nameserver` parameter: a host under the domain (lower-case, no trailing dot). */
function childHost(p: PostArray, d: SandboxDomain): string {
  const ns = param(p, "nameserver").toLowerCase().replace(/\.$/, "");
  if (!ns.endsWith(`.${d.name}`) || !isAceDomain(ns))
    throw new ActionError(`Nameserver ${ns} is not a host under ${d.name}`);
  return ns;
}

/** An IP address parameter in canonical text (IPv6 lower-case, zeros compressed). */
function ipAddress(p: PostArray, name: string): string {
  const v = param(p, name).trim();
  if (isIPv4(v)) return v;
  if (isIPv6(v)) return new URL(`http://[${v}]`).hostname.slice(1, -1);
  throw new ActionError(`Parameter ${name} must be an IP address: ${v}`);
}

function nameservers(p: PostArray): string[] {
  const out: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const v = p[`nameserver${i}`] ?? p[`ns${i}`];
    if (typeof v === "string" && v.trim()) out.push(v.trim().toLowerCase());
  }
  return out;
}

/**
 * `date` (YYYY-MM-DD) moved on by whole years as registries count them (29 February + 1 year is
 * 28 February). The same rule as core's addYears, kept here because core's tests run this sandbox and
 * a package cannot depend on its own dependant.
 */
function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const month = d.getUTCMonth();
  d.setUTCDate(1);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), month + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(Number(date.slice(8, 10)), lastDay));
  return d.toISOString().slice(0, 10);
}

function years(p: PostArray): number {
  const y = Number(param(p, "regperiod"));
  if (!Number.isInteger(y) || y < 1 || y > 10) throw new ActionError("Invalid registration period");
  return y;
}

function ownerRegistrant(p: PostArray): Record<string, string> {
  for (const f of ["firstname", "lastname", "address1", "city", "country", "email"]) param(p, f);
  const s = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : "");
  return {
    Name: `${s("firstname")} ${s("lastname")}`.trim(),
    Company: s("companyname"),
    Address: s("address1"),
    City: s("city"),
    Country: s("country"),
    Zip_Code: s("postcode"),
    Email: s("email"),
    Telephone: s("phonenumber"),
  };
}

function create(p: PostArray, ctx: ActionContext, status: SandboxDomain["status"]): SandboxDomain {
  const name = domainName(p);
  if (ctx.state.get(name)) throw new ActionError(`Domain already exists in the account: ${name}`);
  const y = years(p);
  const today = new Date(ctx.now()).toISOString().slice(0, 10);
  // domainfields: a base64 PHP-serialized array, read with the sandbox's own PHP-compatible reader.
  const domainfields =
    p.domainfields !== undefined && p.domainfields !== ""
      ? decodeSerialized(p.domainfields, "domainfields")
      : undefined;
  if (domainfields !== undefined && (domainfields === null || typeof domainfields !== "object"))
    throw new ActionError("domainfields must be a serialized array");
  if (ctx.dialect === "modules") checkDomainFields(name, (domainfields ?? {}) as Record<string, unknown>);
  const str = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : undefined);
  for (const k of ["idprotection", "dnsmanagement", "emailforwarding"]) {
    const v = str(k);
    if (v !== undefined && v !== "0" && v !== "1") throw new ActionError(`${k} must be 0 or 1`);
  }
  const admin = Object.fromEntries(
    Object.keys(p)
      .filter((k) => k.startsWith("admin") && typeof p[k] === "string")
      .map((k) => [k, p[k] as string]),
  );
  const d: SandboxDomain = {
    name,
    status,
    expiryDate: addYears(today, y),
    nameservers: nameservers(p),
    locked: false,
    autorenew: false,
    registrant: ownerRegistrant(p),
    dns: [],
    forwarding: [],
    eppcode: ctx.newEppCode(),
    childNameservers: {},
    purchase: {
      ...(domainfields !== undefined ? { domainfields } : {}),
      ...Object.fromEntries(
        ["idprotection", "dnsmanagement", "emailforwarding"].flatMap((k) =>
          str(k) !== undefined ? [[k, str(k)]] : [],
        ),
      ),
      ...(Object.keys(admin).length ? { admin } : {}),
    },
  };
  if (d.nameservers.length === 0) d.nameservers = ["ns1.registrera-doman.se", "ns2.registrera-doman.se"];
  ctx.state.domains.set(name, d);
  return d;
}

/** A pending transfer completes once its time has come. */
function settle(d: SandboxDomain, ctx: ActionContext): void {
  if (d.status === "Pending Transfer" && d.transferCompletesAt !== undefined && ctx.now() >= d.transferCompletesAt) {
    d.status = d.transferFailReason ? "Transfer Failed" : "Active";
    delete d.transferCompletesAt;
  }
}

const REGISTRANT_KEYS = ["Name", "Company", "Address", "City", "Country", "Zip_Code", "Email", "Telephone"];

export const HANDLERS: Record<string, Handler> = {
  registerdomain: (p, ctx) => {
    const pay = charge(p, ctx, "register");
    create(p, ctx, "Active");
    pay();
    return ok({ msg: "Domain has been registered" }, true);
  },
  transferdomain: (p, ctx) => {
    if (p.transfersecret === "invalid") throw new ActionError("Invalid authorization code");
    const pay = charge(p, ctx, "transfer");
    const d = create(p, ctx, "Pending Transfer");
    pay();
    if (ctx.transferDelayMs !== "manual") d.transferCompletesAt = ctx.now() + ctx.transferDelayMs;
    // An auth code the losing registrar will turn down: the transfer fails once its time comes.
    if (typeof p.transfersecret === "string" && p.transfersecret.startsWith("reject"))
      d.transferFailReason = "The losing registrar rejected the transfer: the auth code does not match";
    settle(d, ctx);
    return ok({ msg: "Domain transfer initiated successfully." }, true);
  },
  renewdomain: (p, ctx) => {
    const d = existing(p, ctx);
    charge(p, ctx, "renew")();
    d.expiryDate = addYears(d.expiryDate, years(p));
    return ok({ msg: "The domain has been successfully." }, true);
  },
  getnameservers: (p, ctx) => {
    const d = existing(p, ctx);
    return ok(Object.fromEntries(d.nameservers.map((n, i) => [`ns${i + 1}`, n])));
  },
  savenameservers: (p, ctx) => {
    const d = existing(p, ctx);
    const ns = nameservers(p);
    if (ns.length === 0) throw new ActionError("At least one nameserver is required");
    d.nameservers = ns;
    return ok({}, true);
  },
  releasedomain: (p, ctx) => {
    const d = existing(p, ctx);
    param(p, ctx.dialect === "modules" ? "transfertag" : "newtag");
    ctx.state.domains.delete(d.name);
    return ok({}, true);
  },
  requestdelete: (p, ctx) => {
    const d = existing(p, ctx);
    ctx.state.domains.delete(d.name);
    return ok({}, true);
  },
  geteppcode: (p, ctx) => ok({ eppcode: existing(p, ctx).eppcode }),
  getcontactdetails: (p, ctx) => {
    const d = existing(p, ctx);
    return ok({ Registrant: { ...d.registrant }, ...structuredClone(d.otherContacts ?? {}) });
  },
  savecontactdetails: (p, ctx) => {
    const d = existing(p, ctx);
    const cd = p.contactdetails;
    const reg = typeof cd === "object" ? cd.Registrant : undefined;
    if (typeof reg !== "object") throw new ActionError("Missing parameter: contactdetails[Registrant]");
    for (const [k, v] of Object.entries(reg)) {
      const key = k.replace(/ /g, "_");
      if (!REGISTRANT_KEYS.includes(key)) throw new ActionError(`Unknown contact field ${k}`);
      if (typeof v !== "string") throw new ActionError(`Contact field ${k} must be a string`);
      d.registrant[key] = v;
    }
    const others: Record<string, Record<string, string>> = {};
    for (const [type, fields] of Object.entries(cd as Record<string, unknown>)) {
      if (type === "Registrant") continue;
      if (!fields || typeof fields !== "object") throw new ActionError(`Contact ${type} must be an array`);
      others[type] = Object.fromEntries(
        Object.entries(fields as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
      );
    }
    if (Object.keys(others).length || d.otherContacts) d.otherContacts = others;
    return { answer: { result: "success", Registrant: { ...d.registrant } }, changed: true };
  },
  domaingetlockingstatus: (p, ctx) => {
    const d = existing(p, ctx);
    if (!lockOffered(d, ctx)) return ok({ lockstatus: "Unknown" });
    return ok({ lockstatus: d.locked ? "locked" : "unlocked" });
  },
  domainupdatelockingstatus: (p, ctx) => {
    const d = existing(p, ctx);
    if (ctx.dialect === "reference") {
      d.locked = p.lockstatus === "1";
      return ok({}, true);
    }
    if (!lockOffered(d, ctx)) throw new ActionError("Registrar lock is not supported for this TLD");
    const v = param(p, "lockenabled", false);
    // WHMCS's values; what the modules server does not read (lockstatus) changes nothing.
    if (v !== "locked" && v !== "unlocked") return { answer: { result: "empty" }, changed: false };
    if (d.locked === (v === "locked")) return { answer: { result: "empty" }, changed: false };
    d.locked = v === "locked";
    return ok({}, true);
  },
  getdns: (p, ctx) => {
    const d = existing(p, ctx);
    return ok(Object.fromEntries(d.dns.map((r, i) => [String(i), { ...r }])));
  },
  savedns: (p, ctx) => {
    const d = existing(p, ctx);
    const list = listOf(decodeSerialized(p.dnsrecords, "dnsrecords"));
    const records = list.map((raw, i) => {
      if (!raw || typeof raw !== "object") throw new ActionError(`Record ${i} is not an array`);
      const r = raw as Record<string, unknown>;
      const problem = recordProblem(r);
      if (problem) throw new ActionError(`Record ${i}: ${problem}`);
      const upper = String(r.type).toUpperCase();
      const known = RECORD_TYPES.includes(upper) && !PANEL_TYPES.includes(String(r.type));
      // Types the panel offers beyond the API's eight are kept as sent, priority included.
      const type = known ? upper : String(r.type);
      const mx = type === "MX" || type === "MXE";
      const pr = r.priority === undefined || r.priority === null ? "" : String(r.priority);
      return {
        hostname: String(r.hostname ?? "") || "@",
        type,
        address: String(r.address),
        priority: mx ? pr : known || pr === "" || pr.toUpperCase() === "N/A" ? null : pr,
      };
    });
    d.dns = records;
    return ok({}, true);
  },
  /*
   * Child nameservers (glue), as a registry keeps host objects: a host under the domain holding a set
   * of addresses (IPv4 and IPv6, kept in canonical text). The API sends one address per call:
   * - RegisterNameserver adds `ipaddress` to the host, creating it if new; an address the host holds
   *   already is an error.
   * - ModifyNameserver replaces `currentipaddress` with `newipaddress`; an error when the host does
   *   not exist or does not hold `currentipaddress`.
   * - DeleteNameserver removes the host with every address; an error when it does not exist, or
   *   while the domain's nameservers still name it (a registry refuses deleting a host in use).
   * All three need the domain to exist and the host to be under it (ns1.acme.se for acme.se), and
   * answer an error otherwise. Addresses must be IPv4 or IPv6 addresses.
   */
  registernameserver: (p, ctx) => {
    const d = existing(p, ctx);
    const ns = childHost(p, d);
    const address = ipAddress(p, "ipaddress");
    const held = d.childNameservers[ns] ?? [];
    if (held.includes(address)) throw new ActionError(`Nameserver ${ns} already has the IP address ${address}`);
    d.childNameservers[ns] = [...held, address];
    return ok({}, true);
  },
  modifynameserver: (p, ctx) => {
    const d = existing(p, ctx);
    const ns = childHost(p, d);
    const held = d.childNameservers[ns];
    if (!held) throw new ActionError(`Nameserver not found: ${ns}`);
    const current = ipAddress(p, "currentipaddress");
    const next = ipAddress(p, "newipaddress");
    if (!held.includes(current)) throw new ActionError("Current IP address does not match");
    d.childNameservers[ns] = [...new Set(held.map((a) => (a === current ? next : a)))];
    return ok({}, true);
  },
  deletenameserver: (p, ctx) => {
    const d = existing(p, ctx);
    const ns = childHost(p, d);
    if (!(ns in d.childNameservers)) throw new ActionError(`Nameserver not found: ${ns}`);
    if (d.nameservers.includes(ns)) throw new ActionError(`Nameserver ${ns} is in use by ${d.name}`);
    delete d.childNameservers[ns];
    return ok({}, true);
  },
  getemailforwarding: (p, ctx) => {
    const d = existing(p, ctx);
    return ok(Object.fromEntries(d.forwarding.map((f, i) => [String(i + 1), { ...f }])));
  },
  saveemailforwarding: (p, ctx) => {
    const d = existing(p, ctx);
    const prefixes = listOf(decodeSerialized(p.prefix, "prefix")).map(String);
    const targets = listOf(decodeSerialized(p.forwardto, "forwardto")).map(String);
    if (prefixes.length !== targets.length) throw new ActionError("prefix and forwardto differ in length");
    d.forwarding = prefixes.map((prefix, i) => ({ prefix, forwardto: targets[i]! }));
    return ok({}, true);
  },
  sync: (p, ctx) => {
    const d = existing(p, ctx);
    settle(d, ctx);
    const expired = d.expiryDate < new Date(ctx.now()).toISOString().slice(0, 10);
    return ok({ status: d.status, expirydate: d.expiryDate, active: d.status === "Active" && !expired, expired });
  },
  transfersync: (p, ctx) => {
    const d = existing(p, ctx);
    settle(d, ctx);
    if (d.status === "Transfer Failed") return ok({ failed: true, reason: d.transferFailReason ?? "transfer failed" });
    return d.status === "Active" ? ok({ completed: true, expirydate: d.expiryDate }) : ok();
  },
  dasse: (p, ctx) => das(p, ctx, "se"),
  dasnu: (p, ctx) => das(p, ctx, "nu"),
  das: (p, ctx) => das(p, ctx),
  creditamount: (_p, ctx) => ({
    // As the public client modules read it: the value alone, no result.
    answer: { value: formatCents(ctx.account.balance ?? 0) },
    changed: false,
  }),
  getpricing: (_p, ctx) => ok({ pricing: structuredClone(ctx.account.prices) }),
  getdomainfields: (p) => {
    const tld = param(p, "tld").toLowerCase();
    return ok({ fields: structuredClone(DOMAIN_FIELDS[tld] ?? []) });
  },
  idprotecttoggle: (p, ctx) => {
    const d = existing(p, ctx);
    const v = param(p, "protectenable");
    if (v !== "1" && v !== "0") throw new ActionError("protectenable must be 1 or 0");
    d.idprotection = v === "1";
    return ok({}, true);
  },
  setautorenew: (p, ctx) => {
    const d = existing(p, ctx);
    const v = param(p, "autorenew");
    if (v !== "1" && v !== "0") throw new ActionError("autorenew must be 1 or 0");
    d.autorenew = v === "1";
    return ok({}, true);
  },
};

/** GetDomainFields: the fields a TLD's registry asks for at register and transfer. */
const DOMAIN_FIELDS: Record<string, { name: string; type: string; options: string; required: boolean }[]> = {
  se: [{ name: "orgno", type: "text", options: "", required: false }],
  eu: [{ name: "citizenship", type: "dropdown", options: "SE,FI,DK,NO", required: true }],
};

/** The modules dialect refuses a purchase its TLD's GetDomainFields would: a required field missing, a value outside the options. */
function checkDomainFields(name: string, values: Record<string, unknown>): void {
  for (const f of DOMAIN_FIELDS[name.slice(name.lastIndexOf(".") + 1)] ?? []) {
    const v = values[f.name];
    if (v === undefined || v === "") {
      if (f.required) throw new ActionError(`Missing required domain field: ${f.name}`);
    } else if (f.options && !f.options.split(",").includes(String(v)))
      throw new ActionError(`Invalid value for domain field ${f.name}: ${String(v)}`);
  }
}

/** Checks the account can pay for a purchase before it is made; the returned function pays. */
function charge(p: PostArray, ctx: ActionContext, op: PricedOperation): () => void {
  const tld = param(p, "tld").toLowerCase();
  try {
    return ctx.account.charge(tld, op, years(p));
  } catch (e) {
    if (e instanceof ActionError) throw e;
    throw new ActionError(e instanceof Error ? e.message : String(e));
  }
}

function lockOffered(d: SandboxDomain, ctx: ActionContext): boolean {
  return ctx.dialect === "reference" || !NO_LOCK_TLDS.includes(d.name.slice(d.name.lastIndexOf(".") + 1));
}

function das(p: PostArray, ctx: ActionContext, onlyTld?: string): ActionResult {
  const sld = param(p, "sld").toLowerCase();
  const tld = param(p, "tld").toLowerCase();
  const name = `${sld}.${tld}`;
  if ((onlyTld && tld !== onlyTld) || !isAceDomain(name)) return ok({ das: `not_valid ${name}` });
  // Names starting with "taken" stand for domains held at other registrars.
  const occupied = ctx.state.get(name) !== undefined || sld.startsWith("taken");
  return ok({ das: `${occupied ? "occupied" : "free"} ${name}` });
}
