export * from "./model.js";
export { readLive, readsFor, type ReadKind } from "./readLive.js";
export { planDomain, fingerprint } from "./planDomain.js";
export { diffDns, diffForwarding, diffNameservers, diffRegistrant, yearsToReach, addYears, MAX_RENEW_YEARS } from "./diffSections.js";
export { planPortfolio, summarize, hasChanges, inputErrors, manifestDigest, selectDomains, type PlanOptions } from "./planPortfolio.js";
export { renderPlanText, renderPlanMarkdown, renderPlanJson, planChecksum, changeLines, summaryLine, type Paint } from "./renderPlan.js";
