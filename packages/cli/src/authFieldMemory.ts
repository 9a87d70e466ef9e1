/**
 * The name an endpoint reads the login e-mail under (`authemail` or `email`), remembered per
 * endpoint in the user's state folder once a request was answered with it, so a reseller that
 * spells it `email` needs `--auth-field email` (or `doctor`) only once.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AUTH_FIELDS, type AuthField } from "@regdom/core";
import { userStateDir, writeFileAtomicSync } from "@regdom/files";

interface AuthFieldFile {
  version: 1;
  fields: Record<string, { field: AuthField; at: string }>;
}

const fileOf = (env: NodeJS.ProcessEnv) => join(userStateDir(env), "auth-fields.json");
/** Keyed by the normalised endpoint URL: the field is the endpoint's, whatever the account. */
const keyOf = (endpoint: string) => new URL(endpoint).href;

function read(env: NodeJS.ProcessEnv): AuthFieldFile {
  try {
    const raw = JSON.parse(readFileSync(fileOf(env), "utf8")) as Partial<AuthFieldFile>;
    if (raw.version === 1 && raw.fields && typeof raw.fields === "object") return raw as AuthFieldFile;
  } catch {
    /* none yet, or unreadable: the default applies */
  }
  return { version: 1, fields: {} };
}

/** The field last seen to work at this endpoint, if any. */
export function rememberedAuthField(endpoint: string, env: NodeJS.ProcessEnv): AuthField | undefined {
  const f = read(env).fields[keyOf(endpoint)]?.field;
  return f !== undefined && AUTH_FIELDS.includes(f) ? f : undefined;
}

export function rememberAuthField(endpoint: string, field: AuthField, env: NodeJS.ProcessEnv): void {
  const file = read(env);
  if (file.fields[keyOf(endpoint)]?.field === field) return;
  file.fields[keyOf(endpoint)] = { field, at: new Date().toISOString() };
  mkdirSync(userStateDir(env), { recursive: true, mode: 0o700 });
  writeFileAtomicSync(fileOf(env), `${JSON.stringify(file, null, 2)}\n`, 0o600);
}
