import type { Forwarding } from "@regdom/core";
import { compareForwardings, fields as f, normalizeForwarding } from "@regdom/manifest";
import * as v from "valibot";
import { sayLiveShape } from "../export/liveShape.js";
import { diffForwarding } from "../plan/diffSections.js";
import { classifyBy, type SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    forwarding: { before: Forwarding[]; after: Forwarding[]; add: Forwarding[]; remove: Forwarding[] };
  }
  interface LiveBySection {
    forwarding: Forwarding[];
  }
}

const fwd = (f: Forwarding) => `${f.prefix} -> ${f.to}`;

/** One forwarding as the API reads and writes it. */
const forwardingValue = v.strictObject({ prefix: v.string(), to: v.string() });

export const forwarding: SectionModule<"forwarding", { prefix: string; to: string }[]> = {
  name: "forwarding",
  action: "SaveEmailForwarding",
  money: false,
  destructive: false,
  writeOnly: false,
  change: {
    before: v.array(forwardingValue),
    after: v.array(forwardingValue),
    add: v.array(forwardingValue),
    remove: v.array(forwardingValue),
  },
  manifest: { place: 7, fields: { forwarding: v.optional(v.array(forwardingValue)) } },
  live: {
    managed: (d) => d.forwarding !== undefined,
    async read(client, domain, into) {
      into.forwarding = await client.getEmailForwarding(domain);
    },
    fingerprint: (live) => live.forwarding?.map(normalizeForwarding).sort(compareForwardings),
  },
  plan: {
    diff({ phase, desired: d, live }) {
      if (!d.forwarding || phase === "delete") return undefined;
      if (phase === "create") return diffForwarding([], d.forwarding);
      return live.forwarding ? diffForwarding(live.forwarding, d.forwarding) : undefined;
    },
    waiting: (d) => (d.forwarding ? "forwarding" : undefined),
  },
  show: (c, paint) => [
    ...c.remove.map((f) => paint.red(`- forwarding ${fwd(f)}`)),
    ...c.add.map((f) => paint.green(`+ forwarding ${fwd(f)}`)),
  ],
  share: (c) => ({ what: "forwarding list", existing: c.before.length, lost: c.remove.length, updated: 0 }),
  write: (client, d, c) => client.saveEmailForwarding(d.name, c.after),
  journalBefore: (c) => c.before,
  journalAfter: (c) => c.after,
  rollback: {
    value: v.array(forwardingValue),
    read: (client, domain) => client.getEmailForwarding(domain),
    classify: classifyBy((list) => JSON.stringify(list.map(normalizeForwarding).sort(compareForwardings))),
    restore: (client, domain, list) => client.saveEmailForwarding(domain, list),
  },
  export: {
    place: 4,
    toManifest(live, d, warnings) {
      if (!live.forwarding) return;
      const list = live.forwarding.map(normalizeForwarding).sort(compareForwardings);
      d.forwarding = list;
      sayLiveShape(
        d,
        (ref, p) => {
          for (const fw of list) f.forwardingPrefix(fw.prefix, ref, p);
        },
        warnings,
      );
    },
  },
};
