import type { Owner } from "@regdom/core";
import { addYears } from "@regdom/core";
import * as v from "valibot";
import { yrs } from "../plan/paint.js";
import {
  extrasText,
  type PurchaseSent,
  profileSchema,
  purchaseOptions,
  purchaseSchema,
  purchaseSent,
  sentSchema,
} from "./purchase.js";
import type { SectionModule } from "./section.js";

declare module "../plan/model.js" {
  interface ChangeBySection {
    register: { years: number; owner: string; profile: Owner; expiryAfter: string } & PurchaseSent;
  }
}

export const register: SectionModule<"register"> = {
  name: "register",
  action: "RegisterDomain",
  money: true,
  destructive: false,
  writeOnly: false,
  change: { years: v.number(), owner: v.string(), profile: profileSchema, expiryAfter: v.string(), ...sentSchema },
  manifest: { place: 10, fields: { register: v.optional(v.strictObject(purchaseSchema)) } },
  plan: {
    diff: ({ phase, desired: d, owners, ownerExtras, today }) =>
      phase === "create" && d.register
        ? {
            section: "register",
            years: d.register.years,
            owner: d.register.owner,
            profile: owners[d.register.owner] ?? {},
            expiryAfter: addYears(today, d.register.years),
            ...purchaseSent(d.register, owners, ownerExtras),
          }
        : undefined,
  },
  show: (c, paint, money) => [
    paint.green(
      `+ register ${yrs(c.years)} (owner ${c.owner}${extrasText(c)}): expiry (none) -> ${c.expiryAfter}  ${money}`,
    ),
  ],
  expiry: (c) => ({ before: "(none)", after: c.expiryAfter }),
  purchase: (c) => c,
  write: (client, d, c) => client.registerDomain(d.name, purchaseOptions(d, c)),
  happened: (_c, sync) => sync !== undefined,
  journalBefore: () => undefined,
  journalAfter: (c) => ({ years: c.years, owner: c.owner }),
  rollback: { irreversible: "a registration is a purchase; delete the domain by hand if you must" },
  export: { notExported: "a purchase, not a state: a manifest asks for it" },
};
