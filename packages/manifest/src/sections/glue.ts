/** Child nameservers (glue): rows `nameserver, address`, gathered by host and checked by `glueOf`. */
import { type Glue, glueOf, type RawGlueHost } from "../glue.js";
import type { DesiredDomain } from "../model.js";
import { type Checked, checked, type DomainName, given, type LocatedFields } from "./located.js";

export const GLUE_KEYS = ["nameserver", "address"] as const;
export type GlueField = (typeof GLUE_KEYS)[number];

/**
 * A domain's glue from its rows (a YAML `{host: [address, …]}` gives one row per address, a host
 * with none a row without one; a table one row per address): the rows of one host as written are
 * one host, checked by the one glue validator.
 */
export function validateGlue(rows: readonly LocatedFields<GlueField>[], domain: DomainName): Checked<Glue> {
  return checked((p) => {
    const hosts = new Map<string, RawGlueHost>();
    for (const row of rows) {
      const { nameserver, address } = row.fields;
      if (!given(nameserver)) {
        p.error(row.at("nameserver"), "a glue row needs nameserver: the host its address is for");
        continue;
      }
      const host = String(nameserver).trim();
      let h = hosts.get(host);
      if (!h) hosts.set(host, (h = { host, ref: row.at("nameserver"), addresses: [] }));
      if (given(address)) h.addresses.push({ value: String(address), ref: row.at("address") });
    }
    return glueOf(domain, [...hosts.values()], p);
  });
}

export const assignGlue = (d: DesiredDomain, v: Glue): void => {
  d.glue = v;
};
