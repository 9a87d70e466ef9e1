import { createHash } from "node:crypto";
import { normalizeEndpoint } from "./endpoint.js";

/**
 * A digest that names an account (endpoint and auth e-mail) without showing either. The endpoint
 * is normalised first: every spelling of one endpoint names one account (one lock, one rate).
 */
export function accountKeyOf(endpoint: string, authEmail: string): string {
  return createHash("sha256")
    .update(`${normalizeEndpoint(endpoint)}\n${authEmail.trim().toLowerCase()}`)
    .digest("hex")
    .slice(0, 24);
}
