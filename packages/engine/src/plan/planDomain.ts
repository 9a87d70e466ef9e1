/** Decides what apply must do for one domain: each section module's diff of its desired and live state. */
import { createHash } from "node:crypto";
import type { Owner } from "@regdom/core";
import type { DesiredDomain, IgnoreRule, PurchaseExtras } from "@regdom/manifest";
import { LIVE_SECTIONS, moduleOf, type PlanContext, PlanRefusal, sectionModules } from "../sections/index.js";
import { type Change, type DomainPlan, isDrift, type LiveState } from "./model.js";

/** A stable digest of what was read, normalized so that noise does not make a plan stale. */
export function fingerprint(live: LiveState, domainAce: string, ignore?: readonly IgnoreRule[]): string {
  const canonical = {
    exists: live.exists,
    ...Object.fromEntries(LIVE_SECTIONS.map((m) => [m.name, m.live!.fingerprint(live, domainAce, ignore)])),
    expiry: live.sync?.expiryDate,
    status: live.sync?.status,
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex").slice(0, 32);
}

export function planDomain(
  d: DesiredDomain,
  live: LiveState,
  owners: Record<string, Owner>,
  today: string = new Date().toISOString().slice(0, 10),
  ownerExtras: Record<string, PurchaseExtras> = {},
): DomainPlan {
  const changes: Change[] = [];
  const notes: string[] = [];
  const base = {
    name: d.name,
    display: d.display,
    desired: d,
    fingerprint: fingerprint(live, d.name, d.dns ? d.dnsIgnore : undefined),
    notes,
  };
  const phase = d.state === "deleted" ? "delete" : live.exists ? "update" : "create";
  if (phase === "update" && live.sync?.status && /pending/i.test(live.sync.status)) {
    notes.push(`status is "${live.sync.status}": other sections wait until the transfer completes`);
    return { ...base, action: "none", changes, waitingForTransfer: true };
  }

  // Each section in registry order: a purchase first, so the rest is written onto a domain that exists.
  const ctx: PlanContext = { phase, desired: d, live, owners, ownerExtras, today, notes };
  try {
    for (const m of sectionModules()) {
      const c = m.plan.diff(ctx);
      if (c) changes.push(c);
    }
  } catch (e) {
    if (!(e instanceof PlanRefusal)) throw e;
    return e.inputError
      ? { ...base, action: "error", changes, inputError: true, error: e.message }
      : { ...base, action: "error", changes, error: e.message };
  }
  if (phase === "delete") return { ...base, action: live.exists ? "delete" : "none", changes };
  if (phase === "create") {
    if (changes.some((c) => moduleOf(c).purchase)) return { ...base, action: "create", changes };
    // Nothing can be written to a domain that is not there: its sections' notes go with their changes.
    notes.length = 0;
    return {
      ...base,
      action: "error",
      changes: [],
      error: "not in the account (give register or transfer to create it)",
    };
  }
  return { ...base, action: changes.some(isDrift) ? "update" : "none", changes };
}
