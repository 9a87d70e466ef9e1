/**
 * How much one manifest may hold. Each cap is far above a real portfolio and well under what
 * bounds memory: past them a file is refused (exit 2, naming it) rather than read for minutes.
 */

/**
 * Domains and DNS records of one manifest, all files together: ten times the benchmark's 100k-domain
 * portfolio would not fit, but 1.7 times it does (100k domains and 500k records take about 1 GB
 * to plan); CSV files stop at this many rows.
 */
export const MAX_MANIFEST_RECORDS = 1_000_000;

/**
 * Records of one zone file (directives not counted): a zone of a few thousand records is already
 * large; 100k keeps one file under a few seconds and 200 MB, where a 100 MB file took 4 minutes and 4 GB.
 */
export const MAX_ZONE_RECORDS = 100_000;
