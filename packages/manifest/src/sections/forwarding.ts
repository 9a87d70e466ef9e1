/** E-mail forwarding: `prefix@domain` to an address, each prefix once. */
import type { Forwarding } from "@regdom/core/data";
import * as f from "../fields.js";
import type { DesiredDomain } from "../model.js";
import { normalizeForwarding } from "../normalize.js";
import { type Checked, checked, type DomainName, type LocatedFields } from "./located.js";

export const FORWARD_KEYS = ["prefix", "to"] as const;
export type ForwardField = (typeof FORWARD_KEYS)[number];

export function validateForwarding(
  rows: readonly LocatedFields<ForwardField>[],
  domain: DomainName,
): Checked<Forwarding[]> {
  return checked((p) => {
    const list: Forwarding[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const prefix =
        row.fields.prefix === undefined || row.fields.prefix === null ? "" : String(row.fields.prefix).trim();
      const prefixOk = f.forwardingPrefix(prefix, row.at("prefix"), p);
      const toRaw = row.fields.to;
      let to: string | undefined;
      if (toRaw === undefined || toRaw === null || toRaw === "")
        p.error(row.at("to"), "a forwarding needs to: an e-mail address");
      else to = f.email(String(toRaw), row.at("to"), p, "forwarding to");
      if (!prefixOk || !to) continue;
      const fw = normalizeForwarding({ prefix, to });
      if (seen.has(fw.prefix))
        p.error(row.at("prefix"), `forwarding prefix "${prefix}" is given twice for ${domain.display}`);
      seen.add(fw.prefix);
      list.push(fw);
    }
    return list;
  });
}

export const assignForwarding = (d: DesiredDomain, v: Forwarding[]): void => {
  d.forwarding = v;
};
