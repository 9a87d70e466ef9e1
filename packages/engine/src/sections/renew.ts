import { addYears, type SyncInfo } from "@regdom/core";
import * as v from "valibot";
import { MAX_RENEW_YEARS, yearsToReach } from "../plan/diffSections.js";
import { yrs } from "../plan/paint.js";
import { PlanRefusal, type SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    renew: { years: number; expiry: string; target: string; expiryAfter: string };
  }
}

/** The renewal `expires_not_before` asks for on a domain already held (Sync tells the expiry). */
function renewal(sync: SyncInfo | undefined, target: string) {
  const expiry = sync?.expiryDate;
  if (!expiry) throw new PlanRefusal("Sync gave no expiry date, so expires_not_before cannot be checked");
  const years = yearsToReach(expiry, target);
  if (years > MAX_RENEW_YEARS)
    throw new PlanRefusal(
      `expires_not_before ${target} needs more than ${MAX_RENEW_YEARS} years of renewal from the expiry ${expiry}; registries renew at most ${MAX_RENEW_YEARS} years`,
      true,
    );
  return years > 0
    ? { section: "renew" as const, years, expiry, target, expiryAfter: addYears(expiry, years) }
    : undefined;
}

export const renew: SectionModule<"renew"> = {
  name: "renew",
  action: "RenewDomain",
  money: true,
  destructive: false,
  writeOnly: false,
  change: { years: v.number(), expiry: v.string(), target: v.string(), expiryAfter: v.string() },
  manifest: { place: 9, fields: { expiresNotBefore: v.optional(v.string()) } },
  plan: {
    diff({ phase, desired: d, live, notes }) {
      if (!d.expiresNotBefore || phase === "delete") return undefined;
      if (phase === "update") return renewal(live.sync, d.expiresNotBefore);
      notes.push("expires_not_before is checked on the next run, once the new expiry date is known");
      return undefined;
    },
    waiting: (d) => (d.expiresNotBefore ? "expires_not_before" : undefined),
  },
  show: (c, paint, money) => [
    paint.yellow(
      `~ renew ${yrs(c.years)}: expiry ${c.expiry} -> ${c.expiryAfter} (expires_not_before ${c.target})  ${money}`,
    ),
  ],
  expiry: (c) => ({ before: c.expiry, after: c.expiryAfter }),
  write: (client, d, c) => client.renewDomain(d.name, c.years),
  // A Sync without an expiry date says nothing about a renewal: unknown, never "did not happen".
  happened: (c, sync) => (sync?.expiryDate === undefined ? undefined : sync.expiryDate > c.expiry),
  journalBefore: (c) => ({ expiry: c.expiry }),
  journalAfter: (c) => ({ years: c.years, target: c.target }),
  rollback: { irreversible: "a renewal is a purchase" },
  export: { notExported: "a purchase, not a state: a manifest asks for it" },
};
