/** What an export can read of each domain (`--sections`), in the order it reads them. */
export const EXPORT_SECTIONS = ["nameservers", "lock", "dns", "forwarding", "registrant"] as const;
export type ExportSection = (typeof EXPORT_SECTIONS)[number];
