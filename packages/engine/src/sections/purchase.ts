/** What a purchase (register, transfer) sends beside its years and owner. */
import type { RegisterOptions } from "@regdom/core";
import type { DomainPlan } from "../plan/model.js";
import type { ChangeOf } from "./section.js";

/** Everything a purchase sends: years, owner, admin, nameservers, domainfields and the flags. */
export function purchaseOptions(d: DomainPlan, c: ChangeOf<"register" | "transfer">): RegisterOptions {
  return {
    years: c.years,
    owner: c.profile,
    ...(c.adminProfile ? { admin: c.adminProfile } : {}),
    ...(d.desired.nameservers ? { nameservers: d.desired.nameservers } : {}),
    ...(c.domainfields ? { domainfields: c.domainfields } : {}),
    ...(c.idprotection !== undefined ? { idprotection: c.idprotection } : {}),
    ...(c.dnsmanagement !== undefined ? { dnsmanagement: c.dnsmanagement } : {}),
    ...(c.emailforwarding !== undefined ? { emailforwarding: c.emailforwarding } : {}),
  };
}
