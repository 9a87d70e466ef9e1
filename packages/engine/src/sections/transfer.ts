import type { Owner } from "@regdom/core";
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
    transfer: { years: number; owner: string; profile: Owner; authcode?: string } & PurchaseSent;
  }
}

export const transfer: SectionModule<"transfer"> = {
  name: "transfer",
  action: "TransferDomain",
  money: true,
  destructive: false,
  writeOnly: false,
  change: {
    years: v.number(),
    owner: v.string(),
    profile: profileSchema,
    authcode: v.optional(v.string()),
    ...sentSchema,
  },
  manifest: {
    place: 11,
    fields: { transfer: v.optional(v.strictObject({ ...purchaseSchema, authcode: v.optional(v.string()) })) },
  },
  plan: {
    // A manifest gives register or transfer; register wins should a domain give both.
    diff: ({ phase, desired: d, owners, ownerExtras }) =>
      phase === "create" && d.transfer && !d.register
        ? {
            section: "transfer",
            years: d.transfer.years,
            owner: d.transfer.owner,
            profile: owners[d.transfer.owner] ?? {},
            ...purchaseSent(d.transfer, owners, ownerExtras),
            ...(d.transfer.authcode !== undefined ? { authcode: d.transfer.authcode } : {}),
          }
        : undefined,
  },
  show: (c, paint, money) => [
    paint.green(
      `+ transfer ${yrs(c.years)} (owner ${c.owner}${extrasText(c)}${c.authcode ? ", with auth code" : ""}): ` +
        `expiry (at the losing registrar) -> that date + ${yrs(c.years)}  ${money}`,
    ),
  ],
  shown: (c, hidden) => (c.authcode === undefined ? c : { ...c, authcode: hidden }),
  expiry: (c) => ({ before: "at the losing registrar", after: `that date + ${c.years} y` }),
  purchase: (c) => c,
  write: (client, d, c) =>
    client.transferDomain(d.name, {
      ...purchaseOptions(d, c),
      ...(c.authcode !== undefined ? { authcode: c.authcode } : {}),
    }),
  happened: (_c, sync) => sync !== undefined,
  // Until the losing registrar lets go, the domain's other sections cannot be written.
  async settle(client, d, c) {
    const t = await client.transferSync(d.name, c.years).catch(() => undefined);
    return t?.completed
      ? undefined
      : {
          action: "TransferSync",
          waitsFor: "its transfer to complete",
          note: "transfer pending: other sections are applied by a later apply once it completes",
        };
  },
  journalBefore: () => undefined,
  journalAfter: (c) => ({ years: c.years, owner: c.owner }),
  rollback: { irreversible: "a transfer is a purchase" },
  export: { notExported: "a purchase, not a state: a manifest asks for it" },
};
