/**
 * The fields a TLD's registry asks for at register and transfer (GetDomainFields, beyond the
 * reference). Provisional shape, as the sandbox's modules dialect answers it and as WHMCS defines
 * additional domain fields: `{"fields": [{"name": "citizenship", "type": "dropdown", "options":
 * "SE,FI,DK,NO", "required": true}]}`. Read strictly: what cannot be read is an error, never a default;
 * `doctor` confirms the shape against the live registrar.
 */
import { ApiError } from "../errors.js";
import { type Answer, excerptOf } from "../wire/answer.js";

export interface DomainField {
  name: string;
  /** As the registrar names it: text, dropdown, tickbox, radio, … (not interpreted). */
  type: string;
  /** The values allowed; empty: any value. A WHMCS option `value|Label` allows `value`. */
  options: string[];
  required: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `required`: a boolean, 1/0, "1"/"0", "true"/"false", "on"/"" (how PHP forms write a tickbox). */
function flagOf(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === "1" || v === "true" || v === "on") return true;
  if (v === 0 || v === "0" || v === "false" || v === "") return false;
  return undefined;
}

/** `options`: absent or "" (any value), "A,B,C" (WHMCS's list) or a list of strings. */
function optionsOf(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === "") return [];
  const list: unknown[] | undefined = typeof v === "string" ? v.split(",") : Array.isArray(v) ? v : undefined;
  const strings = list?.every((o): o is string => typeof o === "string") ? (list as string[]) : undefined;
  return strings?.map((o) => o.split("|")[0]!.trim()).filter((o) => o !== "");
}

/**
 * A GetDomainFields answer for `tld` as field definitions.
 * @throws ApiError when the answer has no `fields` list, or a field without a name, type or required
 */
export function readDomainFields(a: Answer, tld: string): DomainField[] {
  const bad = (what: string, v: unknown): never => {
    const excerpt = excerptOf(JSON.stringify(v) ?? String(v));
    throw new ApiError(`the domain fields of .${tld} cannot be read (${what}): ${excerpt}`, {
      action: "GetDomainFields",
      excerpt,
    });
  };
  if (!Array.isArray(a.fields)) return bad("no fields list", a);
  return a.fields.map((f: unknown, i: number): DomainField => {
    if (!isObject(f)) return bad(`field ${i + 1} is not an object`, f);
    if (typeof f.name !== "string" || f.name.trim() === "") return bad(`field ${i + 1} has no name`, f);
    if (typeof f.type !== "string") return bad(`${f.name}: no type`, f);
    const required = flagOf(f.required);
    if (required === undefined) return bad(`${f.name}: "required" is not a yes or no`, f);
    const options = optionsOf(f.options);
    if (options === undefined) return bad(`${f.name}: "options" is not a list`, f);
    return { name: f.name.trim(), type: f.type, options, required };
  });
}

/**
 * What is wrong with a purchase's domainfields against the TLD's definitions: a required field
 * missing or empty, a value outside its options. Fields the registrar does not define are left alone.
 */
export function domainFieldProblems(defs: readonly DomainField[], values: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const f of defs) {
    const v = values[f.name];
    if (v === undefined || v.trim() === "") {
      if (f.required) out.push(`domainfields ${f.name} is required by the registrar and missing`);
    } else if (f.options.length && !f.options.includes(v))
      out.push(`domainfields ${f.name} "${v}" is not one of ${f.options.join(", ")}`);
  }
  return out;
}
