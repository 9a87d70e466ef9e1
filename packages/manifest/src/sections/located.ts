/**
 * What every reader (YAML, JSON, CSV, XLSX, zone files) hands a section's validator: raw values as
 * written, each with where it stands, and what a validator hands back: `{ value, problems }`.
 */
import type { InputProblem } from "@regdom/core/data";
import type { SourceRef } from "../model.js";
import { Problems } from "../problems.js";

/** One raw value (a scalar cell or YAML scalar; a YAML mapping arrives as a plain object) and its place. */
export interface Located<T = unknown> {
  value: T;
  at: SourceRef;
}

/** A list as read (nameservers): its items, and where the list stands. */
export interface LocatedList {
  items: Located[];
  at: SourceRef;
}

/**
 * A mapping or a table row as read: its fields (absent when not given; a CSV's empty cell is not
 * given), and where a field stands, or the item itself without a field. Places are worked out
 * only when a problem names them: a 500k-record manifest has few problems.
 */
export interface LocatedFields<K extends string = string> {
  fields: Partial<Record<K, unknown>>;
  at: (field?: K) => SourceRef;
}

/** A domain as a validator names it: the ACE key, and the name people read (a DesiredDomain is one). */
export interface DomainName {
  name: string;
  display: string;
}

/** A validator's answer: the normalised value (undefined when refused) and every problem, located. */
export interface Checked<T> {
  value: T | undefined;
  problems: InputProblem[];
}

const NONE: InputProblem[] = [];
Object.freeze(NONE);
/** One collector reused by every validator (they do not nest): a validator runs once per record. */
let spare: Problems | undefined = new Problems();

/** Runs checks that report into a collector, and returns the value and what they found. */
export function checked<T>(run: (p: Problems) => T | undefined): Checked<T> {
  return checkedWith(run, undefined, undefined);
}

/** `checked`, with the checks' two arguments passed along: no closure per call on a hot path (a record). */
export function checkedWith<T, A, B>(run: (p: Problems, a: A, b: B) => T | undefined, a: A, b: B): Checked<T> {
  const p = spare ?? new Problems();
  spare = undefined;
  try {
    const value = run(p, a, b);
    if (p.errors.length === 0 && p.warnings.length === 0) return { value, problems: NONE };
    const problems = [...p.errors, ...p.warnings];
    p.errors.length = 0;
    p.warnings.length = 0;
    return { value, problems };
  } finally {
    if (p.errors.length === 0 && p.warnings.length === 0) spare = p;
  }
}

/** Whether a raw value is given: YAML's null and an empty string say nothing. */
export const given = (v: unknown): boolean => v !== undefined && v !== null && v !== "";
