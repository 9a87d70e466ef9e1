/** What a purchase (register, transfer) sends beside its years and owner, and how its plan line says so. */
import type { Owner, RegisterOptions } from "@regdom/core";
import {
  type DesiredDomain,
  normalizeHostname,
  type Purchase,
  type PurchaseExtras,
  underDomain,
} from "@regdom/manifest";
import * as v from "valibot";
import type { DomainPlan } from "../plan/model.js";
import type { ChangeOf } from "./section.js";

/** What a purchase sends beside the owner: the owner profile's extras with the domain's laid over them. */
export interface PurchaseSent {
  admin?: string;
  adminProfile?: Owner;
  domainfields?: Record<string, string>;
  idprotection?: boolean;
  dnsmanagement?: boolean;
  emailforwarding?: boolean;
}

const str = v.string();
const fields = v.record(str, str);
/** A purchase's extras as a saved plan holds them: an owner profile's, or a domain's own. */
export const extrasSchema = {
  admin: v.optional(str),
  domainfields: v.optional(fields),
  idprotection: v.optional(v.boolean()),
  dnsmanagement: v.optional(v.boolean()),
  emailforwarding: v.optional(v.boolean()),
};
/** A manifest's register or transfer, as a saved plan's desired holds it. */
export const purchaseSchema = {
  years: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)),
  owner: str,
  ...extrasSchema,
};
/** An owner profile as a purchase's change sends it. */
export const profileSchema = fields;
/** What a purchase's change sends beside the owner (PurchaseSent), as a saved plan holds it. */
export const sentSchema = {
  admin: v.optional(str),
  adminProfile: v.optional(fields),
  domainfields: v.optional(fields),
  idprotection: v.optional(v.boolean()),
  dnsmanagement: v.optional(v.boolean()),
  emailforwarding: v.optional(v.boolean()),
};

/** Everything a purchase sends: years, owner, admin, nameservers, domainfields and the flags. */
export function purchaseOptions(d: DomainPlan, c: ChangeOf<"register" | "transfer">): RegisterOptions {
  return {
    years: c.years,
    owner: c.profile,
    ...(c.adminProfile ? { admin: c.adminProfile } : {}),
    ...(d.desired.nameservers && carriesNameservers(d.desired) ? { nameservers: d.desired.nameservers } : {}),
    ...(c.domainfields ? { domainfields: c.domainfields } : {}),
    ...(c.idprotection !== undefined ? { idprotection: c.idprotection } : {}),
    ...(c.dnsmanagement !== undefined ? { dnsmanagement: c.dnsmanagement } : {}),
    ...(c.emailforwarding !== undefined ? { emailforwarding: c.emailforwarding } : {}),
  };
}

/**
 * Whether the purchase carries the domain's nameservers. A registration whose nameservers include
 * hosts under the domain does not (RegisterDomain's nameserver1..5 are optional: the registrar's
 * defaults serve it first): their glue can only be registered once the domain exists, so the order
 * is RegisterDomain, RegisterNameserver, SaveNameservers, as the plan shows. A transfer always
 * does (the domain brings its glue along).
 */
export function carriesNameservers(d: DesiredDomain): boolean {
  return !(d.register && d.nameservers?.some((h) => underDomain(normalizeHostname(h), d.name)));
}

/** The extras a purchase sends: the owner profile's, with the domain's own laid over them key by key. */
export function purchaseSent(
  p: Purchase,
  owners: Record<string, Owner>,
  extras: Record<string, PurchaseExtras>,
): PurchaseSent {
  const base = extras[p.owner] ?? {};
  const out: PurchaseSent = {};
  const admin = p.admin ?? base.admin;
  if (admin) {
    out.admin = admin;
    out.adminProfile = owners[admin] ?? {};
  }
  const df = { ...(base.domainfields ?? {}), ...(p.domainfields ?? {}) };
  if (Object.keys(df).length) out.domainfields = df;
  for (const k of ["idprotection", "dnsmanagement", "emailforwarding"] as const) {
    const v = p[k] ?? base[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** What a purchase sends beside the owner, for its plan line (never the values of domainfields). */
export function extrasText(c: PurchaseSent): string {
  const parts: string[] = [];
  if (c.admin) parts.push(`admin ${c.admin}`);
  if (c.domainfields) parts.push(`domainfields ${Object.keys(c.domainfields).join(", ")}`);
  for (const k of ["idprotection", "dnsmanagement", "emailforwarding"] as const)
    if (c[k] !== undefined) parts.push(`${k} ${c[k] ? "on" : "off"}`);
  return parts.length ? `, ${parts.join(", ")}` : "";
}
