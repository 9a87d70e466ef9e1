/**
 * The sections a manifest gives for a domain, in one list. Readers turn what they read into a
 * section's located raw shape (a scalar, a list, a mapping of fields, or rows of fields) and hand
 * it to `readSection`; the section's own module validates and normalises it. Adding a section is
 * one module (its validator and where its value goes) plus an entry here and in SECTION_FIELDS.
 */
import { type InputProblem, REGISTRANT_FIELDS } from "@regdom/core/data";
import type { DesiredDomain, SECTION_FIELDS } from "../model.js";
import { assignDns, RECORD_KEYS, validateDns } from "./dns.js";
import { assignIgnoreRules, IGNORE_KEYS, validateIgnoreRules } from "./dnsIgnore.js";
import { assignExpiresNotBefore, validateExpiresNotBefore } from "./expiresNotBefore.js";
import { assignFlag, FLAGS, validateFlag } from "./flags.js";
import { assignForwarding, FORWARD_KEYS, validateForwarding } from "./forwarding.js";
import { assignGlue, GLUE_KEYS, validateGlue } from "./glue.js";
import type { Checked, DomainName, Located, LocatedFields, LocatedList } from "./located.js";
import { assignNameservers, validateNameservers } from "./nameservers.js";
import { assignPurchase, PURCHASE_KEYS, validatePurchase } from "./purchase.js";
import { assignRegistrant, validateRegistrant } from "./registrant.js";
import { assignState, validateState } from "./state.js";

/** The raw shape each kind of section is read into, whatever the file. */
export interface RawOf {
  scalar: Located;
  list: LocatedList;
  fields: LocatedFields;
  rows: LocatedFields[];
}
export type Shape = keyof RawOf;

/** A section's name for "each section of a domain once" (several files may describe one domain). */
export type SectionName = (typeof SECTION_FIELDS)[number][0];

export interface DomainSection<S extends Shape = Shape> {
  /** Its key in a YAML (or JSON) domain. */
  readonly key: string;
  readonly section: SectionName;
  readonly shape: S;
  /** The keys a mapping (or each row) may have. */
  readonly keys?: readonly string[];
  /** What one row is called, in a reader's messages ("a DNS record"). */
  readonly item?: string;
  /** A rows section read from a table of its own: its columns beside `domain` (all present tell the table). */
  readonly table?: { readonly columns: readonly string[] };
  /**
   * A rows section a YAML domain gives as a mapping, `{KEY: VALUE}` or `{KEY: [VALUE, …]}`: each
   * value is a row of `keys[0]: KEY, keys[1]: VALUE` (glue: `{ns1.acme.se: [192.0.2.53]}` is the
   * rows a `nameserver,address` table gives).
   */
  readonly keyed?: boolean;
  /** Validates and normalises a raw value: the value (undefined when refused) and the problems found. */
  check(raw: RawOf[S], domain: DomainName): Checked<unknown>;
  /** Sets a value `check` returned on a domain (the assembler's, or a YAML reader's own). */
  assign(d: DesiredDomain, value: unknown): void;
  /** `check`, then `assign` when the value holds: the problems found. */
  read(raw: RawOf[S], domain: DomainName, d: DesiredDomain): readonly InputProblem[];
}
export type AnySection = { [S in Shape]: DomainSection<S> }[Shape];

export function define<S extends Shape, T>(spec: {
  key: string;
  section: SectionName;
  shape: S;
  keys?: readonly string[];
  item?: string;
  table?: { columns: readonly string[] };
  keyed?: boolean;
  validate: (raw: RawOf[S], domain: DomainName) => Checked<T>;
  assign: (d: DesiredDomain, value: T) => void;
}): DomainSection<S> {
  const { validate, assign, ...rest } = spec;
  return {
    ...rest,
    check: validate,
    assign: assign as (d: DesiredDomain, value: unknown) => void,
    read(raw, domain, d) {
      const { value, problems } = validate(raw, domain);
      if (value !== undefined) assign(d, value);
      return problems;
    },
  };
}

export const NAMESERVERS = define({
  key: "nameservers",
  section: "nameservers",
  shape: "list",
  validate: validateNameservers,
  assign: assignNameservers,
});
export const FLAG_SECTIONS = FLAGS.map((key) =>
  define({ key, section: key, shape: "scalar", validate: (raw) => validateFlag(key, raw), assign: assignFlag(key) }),
);
export const REGISTRANT = define({
  key: "registrant",
  section: "registrant",
  shape: "fields",
  keys: REGISTRANT_FIELDS,
  validate: validateRegistrant,
  assign: assignRegistrant,
});
export const DNS = define({
  key: "dns",
  section: "dns",
  shape: "rows",
  keys: RECORD_KEYS,
  item: "a DNS record",
  validate: validateDns,
  assign: assignDns,
});
export const FORWARDING = define({
  key: "forwarding",
  section: "forwarding",
  shape: "rows",
  keys: FORWARD_KEYS,
  item: "a forwarding",
  table: { columns: FORWARD_KEYS },
  validate: validateForwarding,
  assign: assignForwarding,
});
export const GLUE = define({
  key: "glue",
  section: "glue",
  shape: "rows",
  keys: GLUE_KEYS,
  item: "a glue address",
  keyed: true,
  table: { columns: GLUE_KEYS },
  validate: validateGlue,
  assign: assignGlue,
});
export const EXPIRES_NOT_BEFORE = define({
  key: "expires_not_before",
  section: "expires_not_before",
  shape: "scalar",
  validate: validateExpiresNotBefore,
  assign: assignExpiresNotBefore,
});
export const STATE = define({
  key: "state",
  section: "state",
  shape: "scalar",
  validate: validateState,
  assign: assignState,
});
export const REGISTER = define({
  key: "register",
  section: "lifecycle",
  shape: "fields",
  keys: PURCHASE_KEYS,
  validate: (raw) => validatePurchase("register", raw),
  assign: assignPurchase,
});
export const TRANSFER = define({
  key: "transfer",
  section: "lifecycle",
  shape: "fields",
  keys: PURCHASE_KEYS,
  validate: (raw) => validatePurchase("transfer", raw),
  assign: assignPurchase,
});
export const DNS_IGNORE = define({
  key: "dns_ignore",
  section: "dns_ignore",
  shape: "rows",
  keys: IGNORE_KEYS,
  item: "a dns_ignore rule",
  validate: validateIgnoreRules,
  assign: assignIgnoreRules,
});

/** Every section, in the order a YAML domain's keys are read. */
export const DOMAIN_SECTIONS: readonly AnySection[] = [
  NAMESERVERS,
  ...FLAG_SECTIONS,
  REGISTRANT,
  DNS,
  FORWARDING,
  GLUE,
  EXPIRES_NOT_BEFORE,
  REGISTER,
  TRANSFER,
  STATE,
  DNS_IGNORE,
];

export const SECTION_BY_KEY: ReadonlyMap<string, AnySection> = new Map(DOMAIN_SECTIONS.map((s) => [s.key, s]));
