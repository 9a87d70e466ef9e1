export {
  type ApplyMode,
  type ApplyOptions,
  type ApplyReport,
  applyPlan,
  type DomainOutcome,
  type DomainResult,
} from "./applyPlan.js";
export { Journal, type JournalEntry, nextAttempt, type Phase, readJournal } from "./journal.js";
export {
  DESTRUCTIVE_ACTIONS,
  kindOf,
  type Operation,
  type OperationKind,
  REQUIRED_PARAMS,
  readOperations,
  renderOperation,
} from "./opsFile.js";
export { opsDigest, rememberedOpsRun, rememberOpsRun } from "./opsMemory.js";
export { checkRunPlaces, usablePlace } from "./places.js";
export { type RollbackReport, rollbackRun, touchedSections } from "./rollback.js";
export { defaultRunDir, RunFolder, readPlanFile } from "./runFolder.js";
export { RunLock } from "./runLock.js";
export {
  checkOpsGuards,
  type OpsSchedule,
  type RunOpsReport,
  renderOpsPreview,
  runOperations,
  scheduleOperations,
} from "./runOps.js";
export { wholeRunReport } from "./runReport.js";
export {
  checkSafety,
  DEFAULT_MAX_DELETE_PCT,
  DEFAULT_MAX_UPDATE_PCT,
  type SafetyOptions,
  THRESHOLD_MIN_ENTRIES,
} from "./safety.js";
export { checkOpsSpend, checkSpend, type SpendOptions } from "./spend.js";
