export {
  type ApplyMode,
  type ApplyOptions,
  type ApplyReport,
  applyPlan,
  type DomainOutcome,
  type DomainResult,
} from "./applyPlan.js";
export { Journal, type JournalEntry, nextAttempt, type Phase, readJournal } from "./journal.js";
export { type RollbackReport, rollbackRun, touchedSections } from "./rollback.js";
export { defaultRunDir, RunFolder, readPlanFile, writeFileAtomic } from "./runFolder.js";
export { RunLock } from "./runLock.js";
export { type Operation, type RunOpsReport, readOperations, runOperations } from "./runOps.js";
export { wholeRunReport } from "./runReport.js";
export {
  checkSafety,
  DEFAULT_MAX_DELETE_PCT,
  DEFAULT_MAX_UPDATE_PCT,
  type SafetyOptions,
  THRESHOLD_MIN_ENTRIES,
} from "./safety.js";
