/** The registrant: the domain holder's contact, each field checked (e-mail, telephone, country). */
import { REGISTRANT_FIELDS, type Registrant } from "@regdom/core/data";
import * as f from "../fields.js";
import type { DesiredDomain } from "../model.js";
import { normalizeRegistrant } from "../normalize.js";
import { type Checked, checked, type DomainName, type LocatedFields } from "./located.js";

export type RegistrantField = (typeof REGISTRANT_FIELDS)[number];

export function validateRegistrant(raw: LocatedFields<RegistrantField>, domain: DomainName): Checked<Registrant> {
  return checked((p) => {
    const r: Registrant = {};
    for (const key of REGISTRANT_FIELDS) {
      const v = raw.fields[key];
      if (v === undefined) continue;
      if (v === null || typeof v === "object") {
        p.error(raw.at(key), `registrant of ${domain.display} ${key} must be a text value`);
        continue;
      }
      r[key] = f.contactField(key, String(v), raw.at(key), p);
    }
    f.checkPostcode(r.zip_code, r.country, raw.at("zip_code"), p);
    return normalizeRegistrant(r);
  });
}

export const assignRegistrant = (d: DesiredDomain, v: Registrant): void => {
  d.registrant = v;
};
