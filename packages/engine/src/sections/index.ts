/**
 * The registry: every section, in the order apply writes them (purchases first, so the rest is
 * written on a domain that exists; deletion last). Apply, rollback and journal decoding iterate over
 * it; `SECTION` is keyed by every ChangeSection, so a section declared in the model but missing here
 * does not compile.
 */
import type { Change, ChangeSection } from "../plan/model.js";
import { autorenew } from "./autorenew.js";
import { del } from "./delete.js";
import { dns } from "./dns.js";
import { forwarding } from "./forwarding.js";
import { idprotection } from "./idprotection.js";
import { lock } from "./lock.js";
import { nameservers } from "./nameservers.js";
import { register } from "./register.js";
import { registrant } from "./registrant.js";
import { renew } from "./renew.js";
import type { SectionModule } from "./section.js";
import { transfer } from "./transfer.js";

export type { ChangeOf, Journaled, Restorable, SectionModule, Verdict } from "./section.js";

// biome-ignore lint/suspicious/noExplicitAny: each module types its own journaled value; the map checks every section has one
type Registry = { readonly [S in ChangeSection]: SectionModule<S, any> };

export const SECTION: Registry = {
  register,
  transfer,
  renew,
  nameservers,
  lock,
  registrant,
  dns,
  forwarding,
  autorenew,
  idprotection,
  delete: del,
};

/** Every section in write order. */
export const SECTIONS: readonly ChangeSection[] = Object.keys(SECTION) as ChangeSection[];

/** The module of a section named in a file (a journal line), or undefined for a name no module has. */
export function sectionNamed(name: string): SectionModule<ChangeSection, unknown> | undefined {
  return Object.hasOwn(SECTION, name)
    ? (SECTION[name as ChangeSection] as SectionModule<ChangeSection, unknown>)
    : undefined;
}

/** The module of a change's section, typed for any change (each module's own type checked it already). */
export function moduleOf(c: Change): SectionModule<ChangeSection, unknown> {
  return SECTION[c.section] as SectionModule<ChangeSection, unknown>;
}

/** The sections plan reads live, in registry order. */
export const LIVE_SECTIONS = SECTIONS.map((name) => SECTION[name] as SectionModule<ChangeSection, unknown>).filter(
  (m) => m.live !== undefined,
);
