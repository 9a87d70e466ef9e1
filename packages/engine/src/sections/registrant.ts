import { type ContactSet, type Registrant, registrantOf } from "@regdom/core";
import { normalizeRegistrant } from "@regdom/manifest";
import * as v from "valibot";
import { exportableRegistrant } from "../export/liveShape.js";
import { diffRegistrant } from "../plan/diffSections.js";
import type { SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    registrant: {
      /** Only the fields that differ, before and after. */
      before: Registrant;
      after: Registrant;
      /** The whole contact set as read (empty for a new domain): sent back with `after` laid over it. */
      contacts: ContactSet;
    };
  }
  interface LiveBySection {
    registrant: Registrant;
    /** Every contact type as read, so saving the registrant sends the others back unchanged. */
    contacts: ContactSet;
  }
}

/** Registrant (or any contact type's) fields by name. */
const contactFields = v.record(v.string(), v.string());
/** Every contact type of a domain, as GetContacts reads them. */
export const contactSet = v.record(v.string(), contactFields);
/** A whole contact set as read before the run, or (a registrant's `after`, a journal of an older version) its fields. */
const journaled = v.union([contactSet, contactFields]);
type Journaled = ContactSet | Registrant;

const isContactSet = (x: Journaled): x is ContactSet => Object.values(x).every((f) => !!f && typeof f === "object");

/** Whether the live registrant holds every field of `fields` (a registrant, or a whole contact set). */
function registrantMatches(live: ContactSet, fields: Journaled): boolean {
  const want = normalizeRegistrant(isContactSet(fields) ? registrantOf(fields) : fields);
  const have = normalizeRegistrant(registrantOf(live));
  return Object.entries(want).every(([k, x]) => (have[k as keyof Registrant] ?? "") === x);
}

export const registrant: SectionModule<"registrant", Journaled> = {
  name: "registrant",
  action: "SaveContactDetails",
  money: false,
  destructive: false,
  writeOnly: false,
  change: { before: contactFields, after: contactFields, contacts: contactSet },
  manifest: { place: 5, fields: { registrant: v.optional(contactFields) } },
  live: {
    managed: (d) => d.registrant !== undefined,
    async read(client, domain, into) {
      into.contacts = await client.getContacts(domain);
      into.registrant = registrantOf(into.contacts);
    },
    fingerprint: (live) => (live.registrant ? normalizeRegistrant(live.registrant) : undefined),
  },
  plan: {
    diff({ phase, desired: d, live }) {
      if (!d.registrant || phase === "delete") return undefined;
      if (phase === "create") return { section: "registrant", before: {}, after: d.registrant, contacts: {} };
      return live.registrant ? diffRegistrant(live.registrant, d.registrant, live.contacts) : undefined;
    },
    waiting: (d) => (d.registrant ? "registrant" : undefined),
  },
  // One line per field that changes.
  show: (c, paint) =>
    Object.keys(c.after).map((k) => {
      const key = k as keyof typeof c.after;
      return paint.yellow(
        `~ registrant ${k}: ${JSON.stringify(c.before[key] ?? "")} -> ${JSON.stringify(c.after[key])}`,
      );
    }),
  write: (client, d, c) => client.saveContactDetails(d.name, c.after, c.contacts),
  // The whole set as read (every contact type), so a rollback puts back exactly that.
  journalBefore: (c) => (Object.keys(c.contacts).length ? c.contacts : null),
  journalAfter: (c) => c.after,
  rollback: {
    value: journaled,
    read: (client, domain) => client.getContacts(domain),
    classify(live, intents) {
      const set = live as ContactSet;
      const first = intents[0]?.before;
      if (first !== undefined) {
        if (isContactSet(first) ? JSON.stringify(first) === JSON.stringify(set) : registrantMatches(set, first))
          return "before";
      }
      return intents.some((i) => i.after !== undefined && registrantMatches(set, i.after)) ? "written" : "other";
    },
    // A journal of an older version holds only the registrant.
    restore: (client, domain, before) =>
      isContactSet(before) ? client.saveContacts(domain, before) : client.saveContactDetails(domain, before),
  },
  export: {
    place: 5,
    toManifest(live, d, warnings) {
      if (!live.contacts) return;
      d.registrant = exportableRegistrant(registrantOf(live.contacts), d.display, warnings);
      // The other contact types are read-only information: bulk manages the registrant.
      const others = Object.fromEntries(
        Object.entries(live.contacts).filter(([type]) => type.toLowerCase() !== "registrant"),
      );
      if (Object.keys(others).length) d.info = { ...d.info, contacts: others };
    },
  },
};
