/**
 * What an export can read of each domain (`--sections`): every section whose module says how it is
 * exported (sections/), read live by its own `live` getter, in the order exports list them.
 */
import type { ChangeSection } from "../plan/model.js";
import { type AnySection, type Exported, sectionModules } from "../sections/index.js";

/** A section's module that export reads: live-read and exported. */
export type ExportedModule = AnySection & { live: NonNullable<AnySection["live"]>; export: Exported };

const isExported = (m: AnySection): m is ExportedModule => m.live !== undefined && "toManifest" in m.export;

/** The exported sections' modules (of the registry as it is now), in their export places. */
export function exportedModules(): ExportedModule[] {
  return sectionModules()
    .filter(isExported)
    .sort((a, b) => a.export.place - b.export.place);
}

/** A section name export reads; one of EXPORT_SECTIONS (`--sections` is checked against it). */
export type ExportSection = ChangeSection;

/** Every section an export reads by default (not the opt-in ones, which read DNS). */
export const EXPORT_SECTIONS: readonly ExportSection[] = exportedModules()
  .filter((m) => !m.export.optIn)
  .map((m) => m.name);
