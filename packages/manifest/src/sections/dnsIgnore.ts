/** dns_ignore: live records regdom leaves alone (a host glob, and a type or any). */
import * as f from "../fields.js";
import type { DesiredDomain, IgnoreRule } from "../model.js";
import { type Checked, checked, given, type LocatedFields } from "./located.js";

export const IGNORE_KEYS = ["host", "type"] as const;
export type IgnoreField = (typeof IGNORE_KEYS)[number];

export function validateIgnoreRules(rows: readonly LocatedFields<IgnoreField>[]): Checked<IgnoreRule[]> {
  return checked((p) => {
    const out: IgnoreRule[] = [];
    for (const row of rows) {
      if (!given(row.fields.host)) {
        p.error(row.at("host"), 'a dns_ignore rule needs host: a host or a glob, like "_acme-challenge*"');
        continue;
      }
      const rule = f.ignoreRule(row.fields.host, row.fields.type, row.at(), p);
      if (rule) out.push(rule);
    }
    return out;
  });
}

/** A domain's rules add up (a CSV gives them a row at a time). */
export const assignIgnoreRules = (d: DesiredDomain, v: IgnoreRule[]): void => {
  d.dnsIgnore = d.dnsIgnore ? [...d.dnsIgnore, ...v] : v;
};
