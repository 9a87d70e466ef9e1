export { decodeSpreadsheetBytes, readCsvManifest, sniffDelimiter } from "./csvRead.js";
export { type CsvWriteOptions, neutralize, writeCsvManifest } from "./csvWrite.js";
export * as fields from "./fields.js";
export { readRegularFile } from "./fileRead.js";
export { checkAcrossFiles, type LoadOptions, type LoadResult, loadManifests, MAX_MANIFEST_BYTES } from "./load.js";
export * from "./model.js";
export { readNameList } from "./nameList.js";
export * from "./normalize.js";
export { sortedDomains } from "./order.js";
export { didYouMean, Problems, summarizeProblems } from "./problems.js";
export {
  Claims,
  startTable,
  TABLE_KINDS,
  type TableKind,
  type TablePlace,
  tableKind,
  unneutralize,
} from "./tableRead.js";
export { manifestTables, type Table, type TableCell } from "./tableWrite.js";
export { ABOUT_SHEET_HEADER, readXlsxManifest } from "./xlsxRead.js";
export { type WorkbookAbout, writeXlsxManifest } from "./xlsxWrite.js";
export { readYamlManifest } from "./yamlRead.js";
export { manifestObject, writeJsonManifest, writeYamlManifest } from "./yamlWrite.js";
export { REGDOM_RECORD_COMMENT, readZoneManifest, type ZoneReadOptions } from "./zoneRead.js";
export { quoteTxt, writeZoneFile, writeZoneFiles } from "./zoneWrite.js";
