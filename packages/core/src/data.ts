/**
 * What describes domains and endpoints without talking to the registrar: the errors, the record
 * and contact types, IDN, the endpoint check. A light entry (`@regdom/core/data`) for code that must start fast, such as the
 * manifest readers; the package's index has all of it and the client too.
 */
export { AUTH_FIELDS, type AuthField } from "./client/authField.js";
export { checkEndpoint, DEFAULT_ENDPOINT, isLoopbackHost } from "./client/endpoint.js";
export * from "./client/types.js";
export * from "./errors.js";
export * from "./wire/idn.js";
