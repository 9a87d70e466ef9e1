/** The contract's safety rules, checked on the whole plan before anything is sent. */
import { SafetyError } from "../errors.js";
import type { Plan } from "../plan/model.js";

export interface SafetyOptions {
  allowPurchases?: boolean;
  allowDelete?: boolean;
  /** Refuse a zone or forwarding list losing more than this share of its entries (when it has 10+). */
  maxDeletePct?: number;
  force?: boolean;
}

export const THRESHOLD_MIN_ENTRIES = 10;

export function checkSafety(plan: Plan, o: SafetyOptions): void {
  const refusals: string[] = [];
  const money = plan.domains.flatMap((d) =>
    d.changes.filter((c) => c.section === "register" || c.section === "transfer" || c.section === "renew").map((c) => `${c.section} ${d.display}`),
  );
  if (money.length && !o.allowPurchases)
    refusals.push(`${money.length} money operation(s) (${money.slice(0, 5).join(", ")}${money.length > 5 ? ", …" : ""}) need --allow-purchases`);
  const deletes = plan.domains.filter((d) => d.changes.some((c) => c.section === "delete")).map((d) => d.display);
  if (deletes.length && !o.allowDelete)
    refusals.push(`${deletes.length} deletion(s) (${deletes.slice(0, 5).join(", ")}${deletes.length > 5 ? ", …" : ""}) need --allow-delete`);
  const pct = o.maxDeletePct ?? 30;
  if (!o.force) {
    for (const d of plan.domains) {
      for (const c of d.changes) {
        if (c.section !== "dns" && c.section !== "forwarding") continue;
        const existing = c.before.length;
        if (existing < THRESHOLD_MIN_ENTRIES) continue;
        const lost = c.remove.length;
        if ((lost / existing) * 100 > pct)
          refusals.push(`${d.display}: the ${c.section === "dns" ? "zone" : "forwarding list"} would lose ${lost} of ${existing} entries (over ${pct}%); use --force or raise --max-delete-pct`);
      }
    }
  }
  if (refusals.length) throw new SafetyError(`refused, nothing was sent:\n  ${refusals.join("\n  ")}`);
}
