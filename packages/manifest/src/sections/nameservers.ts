/** The nameservers section: 1 to 5 hostnames, each once. */

import * as f from "../fields.js";
import type { DesiredDomain } from "../model.js";
import { type Checked, checked, type LocatedList } from "./located.js";

export function validateNameservers(raw: LocatedList): Checked<string[]> {
  return checked((p) => {
    const out: string[] = [];
    for (const { value, at } of raw.items) {
      if (value === null || value === undefined || typeof value === "object") {
        p.error(at, "a nameserver must be a text value");
        continue;
      }
      const h = f.hostname(String(value), at, p, "nameserver");
      if (h) out.push(h);
    }
    const n = raw.items.length;
    if (n < 1 || n > 5) p.error(raw.at, `nameservers: give 1 to 5, got ${n}`);
    else if (n < 2) p.warn(raw.at, "only one nameserver: most registries want at least two");
    if (new Set(out).size !== out.length) p.error(raw.at, "nameservers: the same nameserver is listed twice");
    // Copied out exact-size: an array grown by push keeps room for 17, and 100k domains each hold one.
    return out.slice();
  });
}

export const assignNameservers = (d: DesiredDomain, v: string[]): void => {
  d.nameservers = v;
};
