export {
  diffDns,
  diffForwarding,
  diffNameservers,
  diffRegistrant,
  MAX_RENEW_YEARS,
  yearsToReach,
} from "./diffSections.js";
export * from "./model.js";
export { fingerprint, planDomain } from "./planDomain.js";
export { linePrice, moneySummary, planMoney, totalOf } from "./planMoney.js";
export {
  type DnssecOptions,
  guardNameservers,
  hasChanges,
  hasDeferred,
  inputErrors,
  manifestDigest,
  type PlanOptions,
  planPortfolio,
  selectDomains,
  summarize,
} from "./planPortfolio.js";
export { type ReadKind, readLive, readsFor } from "./readLive.js";
export {
  changeLines,
  domainChangeLines,
  type Paint,
  planChecksum,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText,
  summaryLine,
} from "./renderPlan.js";
