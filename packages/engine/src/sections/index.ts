/**
 * The registry: every section, in the order plan lists and apply writes them (purchases first, so
 * the rest is written on a domain that exists; deletion last). Plan, apply, rollback and journal
 * decoding iterate over it and ask each module; `SECTION` is keyed by every section of
 * ChangeBySection (each module declares its own), so a section declared but missing here does not
 * compile.
 */
// Each module declares its change (and live value) in plan/model.ts's maps. These imports keep
// those declarations in the built index.d.ts (declaration files keep an import for its effects
// only), so a package that reads the engine's .d.ts sees every section's change, not none.
import "./autorenew.js";
import "./delete.js";
import "./dns.js";
import "./forwarding.js";
import "./glue.js";
import "./idprotection.js";
import "./lock.js";
import "./nameservers.js";
import "./register.js";
import "./registrant.js";
import "./renew.js";
import "./transfer.js";
import type { Change, ChangeByRegisteredSection, ChangeBySection, ChangeSection } from "../plan/model.js";
import { autorenew } from "./autorenew.js";
import { del } from "./delete.js";
import { dns } from "./dns.js";
import { forwarding } from "./forwarding.js";
import { glue, glueDelete } from "./glue.js";
import { idprotection } from "./idprotection.js";
import { lock } from "./lock.js";
import { nameservers } from "./nameservers.js";
import { register } from "./register.js";
import { registrant } from "./registrant.js";
import { renew } from "./renew.js";
import type { SectionModule } from "./section.js";
import { transfer } from "./transfer.js";

export {
  type Exported,
  type Journaled,
  type PlanContext,
  PlanRefusal,
  type ReadContext,
  type Restorable,
  type SectionModule,
} from "./section.js";

// biome-ignore lint/suspicious/noExplicitAny: each module types its own journaled value; the map checks every section has one
type Registry = { readonly [S in keyof ChangeBySection]: SectionModule<S, any> };

export const SECTION: Registry = {
  register,
  transfer,
  renew,
  // Glue for the new nameservers before they are sent, glue they no longer use after.
  glue,
  nameservers,
  "glue-delete": glueDelete,
  lock,
  registrant,
  dns,
  forwarding,
  autorenew,
  idprotection,
  delete: del,
};

/** A module of any section, as the code that iterates over the registry sees it. */
export type AnySection = SectionModule<ChangeSection, unknown>;

/** Every module in write order: what everything iterates over (`registerSection` extends it in tests). */
const MODULES: AnySection[] = Object.values(SECTION) as AnySection[];
const BY_NAME = new Map<string, AnySection>(MODULES.map((m) => [m.name, m]));

/** Every section in write order. */
export const SECTIONS: readonly ChangeSection[] = MODULES.map((m) => m.name);

/** The sections plan reads live, in registry order. */
export const LIVE_SECTIONS: readonly AnySection[] = MODULES.filter((m) => m.live !== undefined);

/** Every module in write order. */
export function sectionModules(): readonly AnySection[] {
  return MODULES;
}

/** The module of a section named in a file (a journal line), or undefined for a name no module has. */
export function sectionNamed(name: string): AnySection | undefined {
  return BY_NAME.get(name);
}

/** The module of a change's section, typed for any change (each module's own type checked it already). */
export function moduleOf(c: Change): AnySection {
  return BY_NAME.get(c.section)!;
}

/**
 * Adds a section module to the registry, before `before` (default: before deletion, which stays
 * last), and returns what takes it out again. For tests: it shows that a section is one module and
 * its registration, and that plan, apply, rollback and journal decoding need nothing else.
 */
export function registerSection<S extends keyof ChangeByRegisteredSection, T>(
  m: SectionModule<S, T>,
  before: string = "delete",
): () => void {
  if (BY_NAME.has(m.name)) throw new Error(`section ${m.name} is registered already`);
  const at = MODULES.findIndex((x) => x.name === before);
  const refresh = () => {
    (SECTIONS as ChangeSection[]).splice(0, SECTIONS.length, ...MODULES.map((x) => x.name));
    (LIVE_SECTIONS as AnySection[]).splice(0, LIVE_SECTIONS.length, ...MODULES.filter((x) => x.live !== undefined));
  };
  const added = m as unknown as AnySection;
  MODULES.splice(at < 0 ? MODULES.length : at, 0, added);
  BY_NAME.set(m.name, added);
  refresh();
  return () => {
    MODULES.splice(MODULES.indexOf(added), 1);
    BY_NAME.delete(m.name);
    refresh();
  };
}

/**
 * The change the DNSSEC guard checks for a domain, and the nameservers it checks: the change that
 * delegates the domain (its new set), else one that moves nameservers the domain keeps to other
 * addresses (glue). Undefined: nothing the guard checks.
 */
export function guardedChange(d: {
  changes: Change[];
  desired: import("@regdom/manifest").DesiredDomain;
}): { change: Change; nameservers: string[] } | undefined {
  for (const c of d.changes) {
    const nameservers = moduleOf(c).delegates?.(c);
    if (nameservers) return { change: c, nameservers };
  }
  for (const c of d.changes) {
    const nameservers = moduleOf(c).moves?.(c, d.desired);
    if (nameservers) return { change: c, nameservers };
  }
  return undefined;
}
