import * as v from "valibot";
import { setLockChecked } from "../apply/setLockChecked.js";
import { classifyBy, type SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    lock: { before: boolean | null; after: boolean };
  }
  interface LiveBySection {
    /** `null`: the registrar offers no lock for this domain (it answers "Unknown"). */
    lock: boolean | null;
  }
}

export const lock: SectionModule<"lock", boolean | null> = {
  name: "lock",
  action: "DomainUpdateLockingStatus",
  money: false,
  destructive: false,
  writeOnly: false,
  change: { before: v.nullable(v.boolean()), after: v.boolean() },
  manifest: { place: 2, fields: { lock: v.optional(v.boolean()) } },
  live: {
    managed: (d) => d.lock !== undefined,
    async read(client, domain, into) {
      into.lock = await client.getLock(domain);
    },
    fingerprint: (live) => live.lock,
  },
  plan: {
    diff({ phase, desired: d, live, notes }) {
      if (d.lock === undefined || phase === "delete") return undefined;
      if (phase === "create") return { section: "lock", before: null, after: d.lock };
      if (live.lock === null)
        notes.push(
          `warning: the registrar offers no lock for this domain (DomainGetLockingStatus answers "Unknown"): lock: ${d.lock} is not sent`,
        );
      else if (live.lock !== undefined && d.lock !== live.lock)
        return { section: "lock", before: live.lock, after: d.lock };
      return undefined;
    },
    waiting: (d) => (d.lock !== undefined ? "lock" : undefined),
  },
  show: (c, paint) => [paint.yellow(`~ lock: ${c.before === null ? "(new)" : c.before} -> ${c.after}`)],
  // Read back once: a success that changed nothing fails the domain.
  write: (client, d, c) => setLockChecked(client, d.name, c.after),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: {
    value: v.nullable(v.boolean()),
    read: (client, domain) => client.getLock(domain),
    classify: classifyBy((locked) => JSON.stringify(locked)),
    // Read back once, as apply does: a success that changed nothing fails the domain's rollback.
    restore: (client, domain, locked) => setLockChecked(client, domain, locked === true),
  },
  export: {
    place: 2,
    toManifest(live, d) {
      // null: the registrar offers no lock for this domain, so the export leaves lock out.
      if (live.lock !== undefined && live.lock !== null) d.lock = live.lock;
    },
  },
};
