export { exportPortfolio, readDomainForExport, EXPORT_SECTIONS, type ExportSection, type ExportOptions, type ExportResult } from "./exportPortfolio.js";
export { renderExport, writeExport, writeAtomic, pruneBackups, pointLatest, backupStamp, type ExportFormat, type WrittenFile } from "./writeExport.js";
