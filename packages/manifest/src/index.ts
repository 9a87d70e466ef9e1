export { Assembly, acrossFiles, givenEarlier, type ReadSink } from "./assemble.js";
export { decodeSpreadsheetBytes, readCsv, readCsvManifest, sniffDelimiter } from "./csvRead.js";
export { type CsvWriteOptions, csvLines, neutralize, writeCsvManifest } from "./csvWrite.js";
export * as fields from "./fields.js";
export { readRegularFile } from "./fileRead.js";
export { canonicalAddress, compareAddresses, underDomain } from "./glue.js";
export { checkAcrossFiles, type LoadOptions, type LoadResult, loadManifests, MAX_MANIFEST_BYTES } from "./load.js";
export * from "./model.js";
export { readNameList } from "./nameList.js";
export * from "./normalize.js";
export { compareDomains, sortedDomain, sortedDomains } from "./order.js";
export { columnLetters, formatPlace, formatProblem } from "./place.js";
export { didYouMean, Problems, summarizeProblems } from "./problems.js";
export {
  startTable,
  TABLE_KINDS,
  type TableKind,
  type TablePlace,
  tableKind,
  unneutralize,
} from "./tableRead.js";
export {
  addToLayout,
  domainTableRows,
  manifestRows,
  manifestTables,
  TABLE_ORDER,
  type Table,
  type TableCell,
  type TableLayout,
  tableHeader,
  tableLayout,
} from "./tableWrite.js";
export { ABOUT_SHEET_HEADER, readXlsx, readXlsxManifest } from "./xlsxRead.js";
export { type WorkbookAbout, writeXlsxManifest } from "./xlsxWrite.js";
export { readYaml, readYamlManifest } from "./yamlRead.js";
export {
  jsonManifestChunks,
  manifestObject,
  writeJsonManifest,
  writeYamlManifest,
  yamlManifestChunks,
} from "./yamlWrite.js";
export { REGDOM_RECORD_COMMENT, readZone, readZoneManifest, type ZoneReadOptions } from "./zoneRead.js";
export { quoteTxt, writeZoneFile, writeZoneFiles, zoneNotes } from "./zoneWrite.js";
