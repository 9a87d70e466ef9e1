/**
 * A register or transfer's `domainfields` checked against the fields the TLD's registry asks for
 * (GetDomainFields, beyond the reference), when the endpoint offers it: a required field missing
 * or a value outside its options is the manifest's error (exit 2), found before anything is bought.
 */
import { type DomainField, domainFieldProblems, domainParams } from "@regdom/core";
import type { Registrar } from "../registrar.js";
import { moduleOf } from "../sections/index.js";
import type { DomainPlan } from "./model.js";

/** The plans, with each purchase whose domainfields the registrar would refuse turned into an input error. */
export async function checkDomainFields(client: Registrar, plans: DomainPlan[]): Promise<DomainPlan[]> {
  const byTld = new Map<string, Promise<DomainField[] | null>>();
  const fieldsOf = (tld: string) => {
    let p = byTld.get(tld);
    if (!p) byTld.set(tld, (p = client.getDomainFields(tld)));
    return p;
  };
  return Promise.all(
    plans.map(async (d): Promise<DomainPlan> => {
      if (d.action === "error") return d;
      const change = d.changes.find((c) => moduleOf(c).purchase);
      const purchase = change && moduleOf(change).purchase?.(change);
      if (!change || !purchase) return d;
      const { tld } = domainParams(d.name);
      let defs: DomainField[] | null;
      try {
        defs = await fieldsOf(tld);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return {
          ...d,
          action: "error",
          error: `the domain fields of .${tld} could not be read (GetDomainFields): ${why}`,
        };
      }
      if (defs === null) return d;
      const problems = domainFieldProblems(defs, purchase.domainfields ?? {});
      if (problems.length === 0) return d;
      return {
        ...d,
        action: "error",
        inputError: true,
        error: `${change.section}: ${problems.join("; ")} (GetDomainFields .${tld})`,
      };
    }),
  );
}
