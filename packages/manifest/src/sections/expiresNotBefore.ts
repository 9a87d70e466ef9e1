/** `expires_not_before`: renew (money) only while the expiry is earlier than this date. */
import * as f from "../fields.js";
import type { DesiredDomain } from "../model.js";
import { type Checked, checked, type Located } from "./located.js";

export function validateExpiresNotBefore(raw: Located): Checked<string> {
  return checked((p) => f.expiresNotBefore(raw.value, raw.at, p));
}

export const assignExpiresNotBefore = (d: DesiredDomain, v: string): void => {
  d.expiresNotBefore = v;
};
