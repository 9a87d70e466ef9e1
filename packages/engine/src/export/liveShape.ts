/**
 * What the registrar holds but a manifest's rules question (a CNAME beside other records, an
 * empty TXT, a host `-cmd`, a forwarding `=1+1`, a registrant e-mail bulk refuses): said on stderr
 * with the rule it breaks, as the readers will say it. Each section's export (sections/) checks its own.
 */
import type { Registrant, RegistrantField } from "@regdom/core";
import { type DesiredDomain, fields as f, normalizeRegistrant, Problems } from "@regdom/manifest";

/**
 * Runs `check` on the domain's exported values and says what it finds. The values are exported all
 * the same, since a backup must restore what is live.
 */
export function sayLiveShape(
  d: DesiredDomain,
  check: (ref: { file: string }, p: Problems) => void,
  warnings: string[],
) {
  const p = new Problems();
  check({ file: d.display }, p);
  // A type regdom does not check is how the registrar holds it: nothing to say on export.
  for (const w of p.warnings)
    if (!/^record type \S+ is not one regdom checks/.test(w.message)) warnings.push(`${d.display}: ${w.message}`);
  for (const e of p.errors)
    warnings.push(`${d.display}: ${e.message} (exported as read; validate will refuse it until it is fixed)`);
}

/** Registrant fields that bulk would refuse are left out (unmanaged), with a warning. */
export function exportableRegistrant(r: Registrant, domain: string, warnings: string[]): Registrant {
  const out: Registrant = {};
  const p = new Problems();
  const ref = { file: domain };
  for (const [k, v] of Object.entries(normalizeRegistrant(r)) as [RegistrantField, string][]) {
    const before = p.errors.length;
    if (v !== "") f.contactField(k, v, ref, p);
    if (p.errors.length > before)
      warnings.push(
        `${domain}: registrant ${k} ${JSON.stringify(v)} is not valid manifest input; left out (unmanaged)`,
      );
    else out[k] = v;
  }
  return out;
}
