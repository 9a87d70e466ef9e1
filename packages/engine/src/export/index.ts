export {
  dnssecInfo,
  EXPORT_SECTIONS,
  type ExportOptions,
  type ExportResult,
  type ExportSection,
  exportPortfolio,
  readDomainForExport,
} from "./exportPortfolio.js";
