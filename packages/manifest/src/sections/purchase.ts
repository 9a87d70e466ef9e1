/**
 * The lifecycle section: `register` or `transfer` (money), with years, the owner profile and the
 * purchase's extras. Where the owner was named is kept beside the purchase (purchaseSources), so
 * a check across files names it.
 */
import * as f from "../fields.js";
import { type DesiredDomain, PURCHASE_EXTRAS, type Purchase, purchaseSources, type SourceRef } from "../model.js";
import { type Checked, checked, given, type LocatedFields } from "./located.js";

export const PURCHASE_KEYS = ["years", "owner", "authcode", ...PURCHASE_EXTRAS] as const;
export type PurchaseField = (typeof PURCHASE_KEYS)[number];
export type Operation = "register" | "transfer";

/** A purchase, and where its owner was named (or the purchase, when it names none). */
export interface Bought {
  op: Operation;
  purchase: Purchase & { authcode?: string };
  ownerAt: SourceRef;
}

export function validatePurchase(op: Operation, raw: LocatedFields<PurchaseField>): Checked<Bought> {
  return checked((p) => {
    const { fields } = raw;
    const extras = f.purchaseExtras(
      (k) => fields[k as PurchaseField],
      (k) => raw.at(k as PurchaseField),
      p,
    );
    const years = f.years(fields.years, raw.at("years"), p);
    const owner = given(fields.owner) ? String(fields.owner) : undefined;
    if (owner === undefined) p.error(raw.at("owner"), `${op} needs owner: the name of an owner profile`);
    if (op === "register" && given(fields.authcode)) p.error(raw.at("authcode"), "an authcode is only for transfer");
    if (years === undefined || owner === undefined) return undefined;
    const purchase: Purchase & { authcode?: string } = { years, owner, ...extras };
    if (op === "transfer" && given(fields.authcode)) purchase.authcode = String(fields.authcode);
    return { op, purchase, ownerAt: raw.at("owner") };
  });
}

export const assignPurchase = (d: DesiredDomain, v: Bought): void => {
  if (v.op === "register") d.register = v.purchase;
  else d.transfer = v.purchase;
  purchaseSources.set(v.purchase, v.ownerAt);
};
