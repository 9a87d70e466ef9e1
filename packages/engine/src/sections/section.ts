/**
 * What a section of a domain is, said once: which API action writes it and in what order, what a
 * write journals before and after, how rollback reads it live, compares and restores it, and whether
 * it is money, destructive or write-only. Apply and rollback iterate over the registry (index.ts);
 * a new section is one module there, and TypeScript refuses a registry missing one.
 */
import type { DesiredDomain, IgnoreRule } from "@regdom/manifest";
import type * as v from "valibot";
import type { Change, ChangeSection, DomainPlan, LiveState } from "../plan/model.js";
import type { Registrar } from "../registrar.js";

export type ChangeOf<S extends ChangeSection> = Extract<Change, { section: S }>;

/** Live compared with a run's intents: as before the run, as some attempt wrote it, or changed since by another. */
export type Verdict = "before" | "written" | "other";

/** The journaled values of one section, decoded, oldest intent first. */
export interface Journaled<T> {
  before: T | undefined;
  after: T | undefined;
}

/** How rollback puts a section back. */
export interface Restorable<T> {
  /** What a journal's `before` and `after` of this section must decode to before anything is sent. */
  readonly value: v.GenericSchema<unknown, T>;
  read(client: Registrar, domain: string): Promise<T>;
  classify(live: T, intents: Journaled<T>[], domain: string, ignore: IgnoreRule[]): Verdict;
  /** What goes back: the first `before`, or (dns) that with what dns_ignore leaves to others as it is now. */
  restoring?(first: T, live: T, domain: string, ignore: IgnoreRule[]): T;
  restore(client: Registrar, domain: string, value: T): Promise<void>;
}

export interface SectionModule<S extends ChangeSection, T = unknown> {
  readonly name: S;
  /** The API action a write sends. */
  readonly action: string;
  /** A purchase: reconciled, never resent; nothing after a failed one is sent. */
  readonly money: boolean;
  /** Cannot be undone through the API (a deletion). */
  readonly destructive: boolean;
  /** No getter: written without a known before (autorenew, idprotection). */
  readonly writeOnly: boolean;
  /** How plan reads it live: whether a desired domain manages it, and the getter into LiveState. */
  readonly live?: {
    managed(d: DesiredDomain): boolean;
    read(client: Registrar, domain: string, into: LiveState): Promise<void>;
  };
  write(client: Registrar, d: DomainPlan, c: ChangeOf<S>): Promise<void>;
  /** What the journal's intent holds as `before` and `after` (byte-for-byte what journals always held). */
  journalBefore(c: ChangeOf<S>): unknown;
  journalAfter(c: ChangeOf<S>): unknown;
  /** How rollback restores it, or why it cannot. */
  readonly rollback: Restorable<T> | { readonly irreversible: string };
}

/** Compares by a canonical text: live equal to the first before is "before", equal to anything journaled is "written". */
export function classifyBy<T>(
  canonical: (value: T, domain: string, ignore: IgnoreRule[]) => string,
): Restorable<T>["classify"] {
  return (live, intents, domain, ignore) => {
    const now = canonical(live, domain, ignore);
    const first = intents[0]?.before;
    if (first !== undefined && now === canonical(first, domain, ignore)) return "before";
    const seen = intents.flatMap((i) => [i.after, i.before]).filter((x): x is T => x !== undefined);
    return seen.some((x) => canonical(x, domain, ignore) === now) ? "written" : "other";
  };
}
