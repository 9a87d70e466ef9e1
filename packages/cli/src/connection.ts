/**
 * The connection settings every API-calling command shares (contract: endpoint, token, auth
 * e-mail, rate, concurrency, timeout), declared once with their defaults. The token comes only
 * from the environment or a file, never from a flag value, so it never lands in shell history or `ps`.
 */
import { readFile } from "node:fs/promises";
import {
  AUTH_FIELDS,
  type AuthField,
  accountKeyOf,
  type ClientOptions,
  checkEndpoint,
  DEFAULT_ENDPOINT,
  UserError,
} from "@regdom/core";
import { rememberedAuthField } from "./authFieldMemory.js";
import { numberWithDefault, type OptionDecl, type OptionsOf, text } from "./options.js";
import { rememberedRate } from "./rateMemory.js";

export const DEFAULT_RATE = 5;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_S = 30;
/** `--rate auto` never goes faster than this unless `auto:MAX` says so. */
export const DEFAULT_AUTO_MAX = 100;

/** `--rate N`, or `auto` / `auto:MAX` to find the rate the registrar accepts. */
export type RateFlag = number | { auto: true; max: number };

const rateOption: OptionDecl<RateFlag> = {
  flags: "--rate <n|auto|auto:MAX>",
  description: "requests per second, all workers together; auto finds what the registrar accepts (and remembers it)",
  defaultValue: String(DEFAULT_RATE),
  parse(raw, name) {
    const s = typeof raw === "string" ? raw.trim() : String(DEFAULT_RATE);
    const auto = /^auto(?::(\d+(?:\.\d+)?))?$/i.exec(s);
    if (auto) {
      const max = auto[1] === undefined ? DEFAULT_AUTO_MAX : Number(auto[1]);
      if (!(max > 0)) throw new UserError(`${name} auto:MAX needs a MAX above 0, got "${s}"`);
      return { auto: true, max };
    }
    const n = Number(s);
    if (s === "" || !Number.isFinite(n) || n <= 0)
      throw new UserError(`${name} must be a number above 0, auto or auto:MAX, got "${s}"`);
    return n;
  },
};

function parseAuthField(raw: string, where: string): AuthField {
  const v = raw.trim().toLowerCase();
  if (!(AUTH_FIELDS as readonly string[]).includes(v))
    throw new UserError(`${where} must be ${AUTH_FIELDS.join(" or ")}, got "${raw}"`);
  return v as AuthField;
}

const authFieldOption: OptionDecl<AuthField | undefined> = {
  flags: "--auth-field <authemail|email>",
  description:
    "the name the endpoint reads the login e-mail under (env REGDOM_AUTH_FIELD; remembered per endpoint; default authemail)",
  parse: (raw, name) => (typeof raw === "string" ? parseAuthField(raw, name) : undefined),
};

export const CONNECTION_OPTIONS = {
  endpoint: text("--endpoint <url>", `API endpoint (env REGDOM_ENDPOINT; default ${DEFAULT_ENDPOINT})`),
  tokenFile: text("--token-file <path>", "read the API token from this file (else env REGDOM_TOKEN)"),
  authEmail: text("--auth-email <email>", "account e-mail (else env REGDOM_AUTH_EMAIL)"),
  authField: authFieldOption,
  rate: rateOption,
  concurrency: numberWithDefault("--concurrency <n>", "requests in flight at once", String(DEFAULT_CONCURRENCY), {
    positive: true,
    integer: true,
  }),
  timeout: numberWithDefault("--timeout <seconds>", "per-request timeout", String(DEFAULT_TIMEOUT_S), {
    positive: true,
  }),
};

export type ConnectionFlags = OptionsOf<typeof CONNECTION_OPTIONS>;

/** Where the endpoint, token and e-mail come from, and what the client is given. */
export async function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<ClientOptions> {
  const endpoint = flags.endpoint ?? env.REGDOM_ENDPOINT ?? DEFAULT_ENDPOINT;
  checkEndpoint(endpoint);
  let token = env.REGDOM_TOKEN ?? "";
  if (flags.tokenFile) {
    try {
      token = (await readFile(flags.tokenFile, "utf8")).trim();
    } catch {
      throw new UserError(`cannot read --token-file ${flags.tokenFile}`);
    }
  }
  if (!token) throw new UserError("no API token: set REGDOM_TOKEN or use --token-file PATH");
  const authEmail = flags.authEmail ?? env.REGDOM_AUTH_EMAIL ?? "";
  if (!authEmail) throw new UserError("no auth e-mail: set REGDOM_AUTH_EMAIL or use --auth-email");
  const rate =
    typeof flags.rate === "number"
      ? flags.rate
      : (() => {
          // Where the last run's measurement left off, for this endpoint and account.
          const start = rememberedRate(accountKeyOf(endpoint, authEmail), env);
          return { max: flags.rate.max, ...(start !== undefined ? { start: Math.min(start, flags.rate.max) } : {}) };
        })();
  const authField =
    flags.authField ??
    (env.REGDOM_AUTH_FIELD ? parseAuthField(env.REGDOM_AUTH_FIELD, "REGDOM_AUTH_FIELD") : undefined) ??
    rememberedAuthField(endpoint, env) ??
    "authemail";
  return {
    endpoint,
    token,
    authEmail,
    authField,
    rate,
    concurrency: flags.concurrency,
    timeoutMs: flags.timeout * 1000,
  };
}
