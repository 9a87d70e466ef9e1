export { Journal, readJournal, nextAttempt, type JournalEntry, type Phase } from "./journal.js";
export { RunLock } from "./runLock.js";
export { RunFolder, defaultRunDir, readPlanFile, writeFileAtomic } from "./runFolder.js";
export { checkSafety, THRESHOLD_MIN_ENTRIES, DEFAULT_MAX_DELETE_PCT, DEFAULT_MAX_UPDATE_PCT, type SafetyOptions } from "./safety.js";
export { applyPlan, type ApplyOptions, type ApplyReport, type ApplyMode, type DomainResult, type DomainOutcome } from "./applyPlan.js";
export { rollbackRun, touchedSections, type RollbackReport } from "./rollback.js";
export { readOperations, runOperations, type Operation, type RunOpsReport } from "./runOps.js";
export { wholeRunReport } from "./runReport.js";
