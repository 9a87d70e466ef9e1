/**
 * @regdom/engine: what regdom does with a manifest and a registrar. Plan (read live state, diff),
 * apply (journaled writes, resume), rollback, operations from a CSV, and the read half of export.
 * It talks to the registrar through the `Registrar` interface, which RegistrarClient implements.
 */

export * from "./apply/index.js";
export * from "./dnssec/index.js";
export * from "./export/index.js";
export { esc as escapeHtml } from "./html/page.js";
export { renderPlanHtml } from "./html/planHtml.js";
export { type ReportInput, renderReportHtml } from "./html/reportHtml.js";
export * from "./plan/index.js";
export type { Registrar } from "./registrar.js";
