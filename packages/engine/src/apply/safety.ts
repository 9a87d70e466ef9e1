/** The contract's safety rules, checked on the whole plan before anything is sent. */
import { SafetyError } from "@regdom/core";
import { dnssecLine, isDnssecRisk } from "../dnssec/guard.js";
import { isMoney, type Plan } from "../plan/model.js";
import { guardedChange, moduleOf } from "../sections/index.js";

export interface SafetyOptions {
  allowPurchases?: boolean;
  allowDelete?: boolean;
  /** Refuse a zone or forwarding list losing more than this share of its entries (when it has 10+). */
  maxDeletePct?: number;
  /** Refuse a zone or forwarding list in which more than this share of its entries would change (10+). */
  maxUpdatePct?: number;
  force?: boolean;
  /** Send a nameserver change whose DNSSEC verdict is `would break` or unknown. */
  allowDnssecBreak?: boolean;
}

export const THRESHOLD_MIN_ENTRIES = 10;
export const DEFAULT_MAX_DELETE_PCT = 30;
export const DEFAULT_MAX_UPDATE_PCT = 30;

function sample(list: string[]): string {
  return `${list.slice(0, 5).join(", ")}${list.length > 5 ? ", …" : ""}`;
}

export function checkSafety(plan: Plan, o: SafetyOptions): void {
  const refusals: string[] = [];
  const money = plan.domains.flatMap((d) => d.changes.filter(isMoney).map((c) => `${c.section} ${d.display}`));
  if (money.length && !o.allowPurchases)
    refusals.push(`${money.length} money operation(s) (${sample(money)}) need --allow-purchases`);
  const deletes = plan.domains.filter((d) => d.changes.some((c) => moduleOf(c).destructive)).map((d) => d.display);
  if (deletes.length && !o.allowDelete)
    refusals.push(`${deletes.length} deletion(s) (${sample(deletes)}) need --allow-delete`);
  // What other sections delete (child nameservers), named with their domain.
  const removals = plan.domains.flatMap((d) =>
    d.action === "error"
      ? []
      : d.changes.flatMap((c) => (moduleOf(c).deleted?.(c) ?? []).map((x) => `${d.display} ${x}`)),
  );
  if (removals.length && !o.allowDelete)
    refusals.push(`${removals.length} removal(s) (${sample(removals)}) need --allow-delete`);
  const deletePct = o.maxDeletePct ?? DEFAULT_MAX_DELETE_PCT;
  const updatePct = o.maxUpdatePct ?? DEFAULT_MAX_UPDATE_PCT;
  if (!o.force) {
    for (const d of plan.domains) {
      for (const c of d.changes) {
        // As octoDNS counts: the entries of a list that exist now, and how many of them would go or change.
        const share = moduleOf(c).share?.(c);
        if (!share) continue;
        const { what, existing, lost, updated } = share;
        if (existing < THRESHOLD_MIN_ENTRIES) continue;
        if ((lost / existing) * 100 > deletePct)
          refusals.push(
            `${d.display}: the ${what} would lose ${lost} of ${existing} entries (over ${deletePct}%); use --force or raise --max-delete-pct`,
          );
        if ((updated / existing) * 100 > updatePct)
          refusals.push(
            `${d.display}: ${updated} of the ${existing} entries of the ${what} would change (over ${updatePct}%); use --force or raise --max-update-pct`,
          );
      }
    }
  }
  if (!o.allowDnssecBreak)
    for (const d of plan.domains)
      if (d.action !== "error" && isDnssecRisk(d.dnssec)) {
        const guarded = guardedChange(d);
        if (guarded)
          refusals.push(
            `${d.display}: the ${moduleOf(guarded.change).delegates ? "nameserver" : "glue"} change ${dnssecLine(d.dnssec!)}; use --allow-dnssec-break`,
          );
      }
  if (refusals.length) throw new SafetyError(`refused, nothing was sent:\n  ${refusals.join("\n  ")}`);
}
