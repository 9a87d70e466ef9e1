/** Domain names go out as 7-bit ACE (punycode); people read them in Unicode. */
import { domainToASCII, domainToUnicode } from "node:url";

/** ACE form, lowercased, without a trailing dot. Returns "" for a name that cannot be encoded. */
export function toAce(name: string): string {
  const trimmed = name.trim().replace(/\.$/, "");
  if (trimmed === "") return "";
  if (/^[\x21-\x7e]+$/.test(trimmed) && !trimmed.includes("xn--")) return trimmed.toLowerCase();
  return domainToASCII(trimmed.toLowerCase());
}

export function toUnicode(name: string): string {
  const u = domainToUnicode(name);
  return u === "" ? name : u;
}

export function splitDomain(ace: string): { sld: string; tld: string } {
  const dot = ace.indexOf(".");
  if (dot <= 0) return { sld: ace, tld: "" };
  return { sld: ace.slice(0, dot), tld: ace.slice(dot + 1) };
}
