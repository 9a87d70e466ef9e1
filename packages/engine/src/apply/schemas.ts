/**
 * The files regdom writes and later reads back (plan.json, journal lines) are decoded with a schema
 * at the boundary: a file that was edited, truncated or written by something else is refused with
 * its name and the first field that is wrong, never trusted by a cast. (report.json is written for
 * people and tools, and never read back.)
 */

import { UserError } from "@regdom/core";
import * as v from "valibot";
import { sectionModules, sectionNamed } from "../sections/index.js";
import { extrasSchema } from "../sections/purchase.js";
import { contactSet } from "../sections/registrant.js";

const str = v.string();
const optStr = v.optional(str);
const strList = v.array(str);

// A section's values are as its module (sections/) declares them; the rest is plan's own.

/**
 * A saved plan's desired domain: its name and place, each section module's manifest keys in their
 * place (as saved plans have always listed them), and what an export read beside them.
 */
function desiredSchema() {
  const sections = sectionModules()
    .flatMap((m) => (m.manifest ? [m.manifest] : []))
    .sort((a, b) => a.place - b.place)
    .map((m) => m.fields);
  return v.strictObject({
    name: str,
    display: str,
    source: v.strictObject({ file: str, line: v.optional(v.number()), column: v.optional(v.number()) }),
    ...Object.assign({}, ...sections),
    info: v.optional(
      v.strictObject({ status: optStr, expires: optStr, eppcode: optStr, contacts: v.optional(contactSet) }),
    ),
  });
}

/** A saved plan's change: one variant per registered section, its fields as its module declares them. */
function changeSchema() {
  const [first, ...rest] = sectionModules().map((m) =>
    v.strictObject({ section: v.literal(m.name), ...(m.change as v.ObjectEntries) }),
  );
  return v.variant("section", [first!, ...rest]);
}

/** The sections that cost money (register, transfer, renew), as the registry says. */
const MONEY_SECTIONS = sectionModules()
  .filter((m) => m.money)
  .map((m) => m.name);

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * A saved plan (plan.json), built from the registry when a plan is read, so a section registered
 * since (a test's) is decoded as its module says.
 */
export const planSchema = () =>
  v.strictObject({
    version: v.literal(1),
    createdAt: str,
    endpoint: str,
    manifestDigest: str,
    ownerExtras: v.optional(v.record(str, v.strictObject(extrasSchema))),
    checksum: optStr,
    domains: v.array(
      v.strictObject({
        name: str,
        display: str,
        action: v.picklist(["create", "update", "delete", "none", "error"]),
        changes: v.array(changeSchema()),
        fingerprint: str,
        desired: desiredSchema(),
        notes: strList,
        error: optStr,
        inputError: v.optional(v.boolean()),
        waitingForTransfer: v.optional(v.boolean()),
        dnssec: v.optional(
          v.strictObject({
            verdict: v.picklist(["unsigned", "safe", "would break", "unknown"]),
            ds: strList,
            servers: v.array(v.strictObject({ name: str, matching: v.array(count), problem: optStr })),
            reason: optStr,
          }),
        ),
      }),
    ),
    money: v.optional(
      v.strictObject({
        pricing: v.boolean(),
        lines: v.array(
          v.strictObject({
            domain: str,
            section: v.picklist(MONEY_SECTIONS),
            years: count,
            price: v.nullable(str),
          }),
        ),
        total: str,
        unknown: count,
        balance: v.nullable(str),
        balanceAfter: optStr,
      }),
    ),
    summary: v.strictObject(
      Object.fromEntries(
        [
          "domains",
          "changed",
          "unchanged",
          "errors",
          "create",
          "update",
          "delete",
          "register",
          "transfer",
          "renew",
          "years",
          "writes",
        ].map((k) => [k, count]),
      ) as Record<
        | "domains"
        | "changed"
        | "unchanged"
        | "errors"
        | "create"
        | "update"
        | "delete"
        | "register"
        | "transfer"
        | "renew"
        | "years"
        | "writes",
        typeof count
      >,
    ),
  });

const journalEntrySchema = v.strictObject({
  seq: count,
  time: str,
  domain: str,
  section: str,
  action: str,
  phase: v.picklist(["intent", "ok", "failed", "unknown", "skipped"]),
  before: v.optional(v.unknown()),
  after: v.optional(v.unknown()),
  error: optStr,
  note: optStr,
  /** Which attempt of the run wrote the line (1 for the first apply, 2 for the first resume, …). */
  attempt: v.optional(count),
  ignore: v.optional(v.array(v.strictObject({ host: str, type: optStr }))),
});

/**
 * The value a write of `section` journals as before and after, as its module declares it: for the
 * sections rollback restores, written by apply (`action`) or by rollback (`rollback action`).
 * Anything else (a purchase, a run's operation, whose `section` is its id) keeps its own shape.
 */
function journaledValue(section: string, action: string): v.GenericSchema | undefined {
  const m = sectionNamed(section);
  if (m === undefined || !("value" in m.rollback) || (action !== m.action && action !== `rollback ${m.action}`))
    return undefined;
  // null: nothing known (a registrant's before on a domain without contacts).
  const value = v.optional(v.nullable(m.rollback.value));
  return v.looseObject({ before: value, after: value });
}

/** Decodes one journal line read at `where` (`journal.jsonl:3`), its before and after with the section's schema. */
export function decodeJournalEntry(raw: unknown, where: string): v.InferOutput<typeof journalEntrySchema> {
  const e = decode(journalEntrySchema, raw, where, "journal entry");
  const value = journaledValue(e.section, e.action);
  if (value) decode(value, e, where, "journal entry");
  return e;
}

/** Where in the value the first problem is, as `domains[3].changes[0].after`. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? [])
    .map((p) => (typeof p.key === "number" ? `[${p.key}]` : `.${String(p.key)}`))
    .join("")
    .replace(/^\./, "");
}

/** Decodes `value` read from `file`, or throws a UserError naming the file and the first wrong field. */
export function decode<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  file: string,
  what: string,
): v.InferOutput<S> {
  const r = v.safeParse(schema, value);
  if (r.success) return r.output;
  const first = r.issues[0];
  const where = pathOf(first);
  throw new UserError(`${file}: not a valid ${what}${where ? ` at ${where}` : ""}: ${first.message}`);
}
