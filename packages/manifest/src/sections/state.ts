/** `state: deleted`: the domain is to be deleted (and manages nothing else). */
import type { DesiredDomain } from "../model.js";
import { type Checked, checked, type Located } from "./located.js";

export function validateState(raw: Located): Checked<"deleted"> {
  return checked((p) => {
    if (typeof raw.value === "string" && raw.value.trim().toLowerCase() === "deleted") return "deleted";
    p.error(raw.at, `state "${String(raw.value)}" is not known; valid: deleted`);
    return undefined;
  });
}

export const assignState = (d: DesiredDomain, v: "deleted"): void => {
  d.state = v;
};
