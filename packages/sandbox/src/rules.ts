/** What the registrar accepts: ACE names and well-formed records. */
import { isIPv4, isIPv6 } from "node:net";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isAceDomain(name: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(name) || name.length > 253) return false;
  const labels = name.toLowerCase().split(".");
  return labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

function isHostname(h: string): boolean {
  const t = h.replace(/\.$/, "");
  return (
    t.length > 0 &&
    t.length <= 253 &&
    /^[\x21-\x7e]+$/.test(t) &&
    t.split(".").every((l) => /^[a-z0-9_*-]{1,63}$/i.test(l))
  );
}

export const RECORD_TYPES = ["A", "AAAA", "MX", "MXE", "CNAME", "TXT", "URL", "FRAME"];

/** Types a reseller panel creates beyond the API's eight; kept as sent (a lower-case `txt` too). */
export const PANEL_TYPES = ["SRV", "CAA", "NS", "SPF", "TLSA", "SSHFP", "DS", "PTR", "txt"];

/** Returns an error message, or undefined when the record is acceptable. */
export function recordProblem(r: {
  hostname?: unknown;
  type?: unknown;
  address?: unknown;
  priority?: unknown;
}): string | undefined {
  const type = String(r.type ?? "").toUpperCase();
  const address = String(r.address ?? "");
  const hostname = String(r.hostname ?? "");
  if (PANEL_TYPES.includes(String(r.type ?? "")) || (PANEL_TYPES.includes(type) && type !== "TXT")) {
    return address === "" ? `Invalid ${String(r.type)} record` : undefined;
  }
  if (!RECORD_TYPES.includes(type)) return `Invalid record type ${type || "(empty)"}`;
  if (hostname !== "@" && hostname !== "" && !/^[a-z0-9_*.-]+$/i.test(hostname)) return `Invalid hostname ${hostname}`;
  switch (type) {
    case "A":
    case "MXE":
      if (!isIPv4(address)) return `Invalid IPv4 address for ${type} record: ${address}`;
      break;
    case "AAAA":
      if (!isIPv6(address)) return `Invalid IPv6 address: ${address}`;
      break;
    case "MX":
    case "CNAME":
      if (!isHostname(address)) return `Invalid hostname for ${type} record: ${address}`;
      break;
    case "URL":
    case "FRAME":
      if (!/^https?:\/\/[^\s]+$/i.test(address)) return `Invalid URL for ${type} record: ${address}`;
      break;
    case "TXT":
      if (address.length === 0 || address.length > 4096) return "Invalid TXT record";
      break;
  }
  if (type === "MX" || type === "MXE") {
    const p = String(r.priority ?? "");
    if (!/^\d{1,5}$/.test(p) || Number(p) > 65535) return `Invalid priority for ${type} record: ${p}`;
  }
  return undefined;
}
