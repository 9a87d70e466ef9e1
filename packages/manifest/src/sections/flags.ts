/** The write-only and read-write switches of a domain: lock, autorenew, idprotection. */
import * as f from "../fields.js";
import type { DesiredDomain } from "../model.js";
import { type Checked, checked, given, type Located } from "./located.js";

export const FLAGS = ["lock", "autorenew", "idprotection"] as const;
export type Flag = (typeof FLAGS)[number];

/** true/false (yes/no, ja/nej, 1/0, x); a flag given empty is refused, since empty would manage nothing. */
export function validateFlag(key: Flag, raw: Located): Checked<boolean> {
  return checked((p) => {
    if (!given(raw.value)) {
      p.error(raw.at, `${key} must be true or false`);
      return undefined;
    }
    return f.bool(raw.value, raw.at, p, key);
  });
}

export const assignFlag =
  (key: Flag) =>
  (d: DesiredDomain, v: boolean): void => {
    d[key] = v;
  };
