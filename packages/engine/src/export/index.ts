export {
  exportPortfolio,
  readDomainForExport,
  EXPORT_SECTIONS,
  type ExportSection,
  type ExportOptions,
  type ExportResult,
} from "./exportPortfolio.js";
