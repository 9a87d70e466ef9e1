/**
 * Keeps a secret (the API token) out of text that came from outside: a registrar or a proxy may
 * echo the request back (an HTML error page, a `msg`, a 403 body), in any of the forms it took on
 * the way: as sent (form-encoded), as PHP's json_encode writes it, HTML-escaped, or raw.
 */
import { phpUrlencode } from "./formEncode.js";

/** What stands where the secret stood. */
export const REDACTED_TOKEN = "[token]";

/**
 * A secret shorter than this would match ordinary text (a one-letter test token would rewrite
 * every answer), so it is not searched for. Tokens the registrar issues are 24 characters.
 */
const MIN_REDACTED_LENGTH = 8;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const htmlEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#039;");

/** The spellings a secret takes in an echoed request or page. */
function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const phpJson = json
    .replace(/\//g, "\\/")
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const forms = new Set([secret, phpUrlencode(secret), encodeURIComponent(secret), json, phpJson, htmlEscape(secret)]);
  // Longest first, so a longer form is replaced whole before a shorter one inside it.
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/** A function that replaces every form of `secret` in a text by REDACTED_TOKEN. */
export function redactor(secret: string): (text: string) => string {
  if (secret.length < MIN_REDACTED_LENGTH) return (text) => text;
  const pattern = new RegExp(secretForms(secret).map(escapeRegExp).join("|"), "g");
  return (text) => text.replace(pattern, REDACTED_TOKEN);
}
