/**
 * The name the login e-mail is sent under: the reference's `authemail`, or `email` as some
 * resellers of the same product spell it. Only one is ever sent.
 */
export type AuthField = "authemail" | "email";
export const AUTH_FIELDS: readonly AuthField[] = ["authemail", "email"];
