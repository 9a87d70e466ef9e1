export * from "./model.js";
export { loadManifests, checkAcrossFiles, MAX_MANIFEST_BYTES, type LoadResult } from "./load.js";
export { readYamlManifest } from "./yamlRead.js";
export { readCsvManifest, csvKind, sniffDelimiter, decodeSpreadsheetBytes, unneutralize, CSV_KINDS, type CsvKind, type Claims } from "./csvRead.js";
export { writeYamlManifest, writeJsonManifest, manifestObject } from "./yamlWrite.js";
export { writeCsvManifest, neutralize, type CsvWriteOptions } from "./csvWrite.js";
export { Problems, summarizeProblems, didYouMean } from "./problems.js";
export * from "./normalize.js";
export { sortedDomains } from "./order.js";
