/**
 * The dns section: each record checked per its type and normalised (fields.dnsRecord), then the
 * zone as a whole (a CNAME alone at its host, no duplicates).
 */
import { DNS_TYPES, type DnsRecord, type InputProblem } from "@regdom/core/data";
import * as f from "../fields.js";
import type { DesiredDomain, SourceRef } from "../model.js";
import type { Problems } from "../problems.js";
import { type Checked, checked, checkedWith, type DomainName, given, type LocatedFields } from "./located.js";

export const RECORD_KEYS = ["host", "type", "address", "priority"] as const;
export type RecordField = (typeof RECORD_KEYS)[number];

/** One record; `raw.at()` (no field) is where the record stands. */
export function validateRecord(raw: LocatedFields<RecordField>, domain: DomainName): Checked<DnsRecord> {
  return checkedWith(checkRecord, raw, domain);
}

function checkRecord(p: Problems, raw: LocatedFields<RecordField>, domain: DomainName): DnsRecord | undefined {
  const { host, type, address, priority } = raw.fields;
  if (!given(type)) {
    p.error(raw.at(), `a DNS record needs a type; valid: ${DNS_TYPES.join(", ")}`);
    return undefined;
  }
  if (address === undefined || address === null) {
    p.error(raw.at(), "a DNS record needs an address");
    return undefined;
  }
  return f.dnsRecord({ host: given(host) ? host : "@", type, address, priority }, domain.name, raw.at, p);
}

/** The zone-wide checks over a domain's records; `at(i)` is where record i stands. */
export function validateZone(records: DnsRecord[], at: (index: number) => SourceRef): Checked<DnsRecord[]> {
  return checked((p) => {
    f.checkZone(records, at, p);
    return records;
  });
}

/** A whole dns section: every record, then the zone. */
export function validateDns(rows: readonly LocatedFields<RecordField>[], domain: DomainName): Checked<DnsRecord[]> {
  const problems: InputProblem[] = [];
  const records: DnsRecord[] = [];
  const from: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = validateRecord(rows[i]!, domain);
    if (r.problems.length) problems.push(...r.problems);
    if (r.value) {
      records.push(r.value);
      from.push(i);
    }
  }
  const zone = validateZone(records, (i) => rows[from[i]!]!.at());
  if (zone.problems.length) problems.push(...zone.problems);
  return { value: records, problems };
}

export const assignDns = (d: DesiredDomain, v: DnsRecord[]): void => {
  d.dns = v;
};
