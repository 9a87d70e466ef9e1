/**
 * The connection settings every API-calling command shares (contract: endpoint, token, auth
 * e-mail, rate, concurrency, timeout), declared once with their defaults. The token comes only
 * from the environment or a file, never from a flag value, so it never lands in shell history or `ps`.
 */
import { AUTH_FIELDS, type AuthField, DEFAULT_ENDPOINT, UserError } from "@regdom/core/data";
import { numberWithDefault, type OptionDecl, type OptionDecls, type OptionsOf, text } from "./options.js";

/**
 * `--rate` when not given: find the rate the registrar accepts, starting where the last run against
 * the same endpoint and account left off, and never above 20 req/s unless asked (`--rate N` or
 * `auto:MAX`). A fixed 5 req/s used a quarter of a 20 req/s limit with nothing refused to justify it.
 */
export const DEFAULT_RATE = "auto:20";
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_S = 30;
/** `--rate auto` never goes faster than this unless `auto:MAX` says so. */
const DEFAULT_AUTO_MAX = 100;

/** `--rate N`, or `auto` / `auto:MAX` to find the rate the registrar accepts. */
export type RateFlag = number | { auto: true; max: number };

const rateOption: OptionDecl<RateFlag> = {
  flags: "--rate <n|auto|auto:MAX>",
  description:
    "requests per second, all workers together; auto finds what the registrar accepts (and remembers it), " +
    `never above MAX (auto: ${DEFAULT_AUTO_MAX})`,
  defaultValue: DEFAULT_RATE,
  parse(raw, name) {
    const s = typeof raw === "string" ? raw.trim() : DEFAULT_RATE;
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

export function parseAuthField(raw: string, where: string): AuthField {
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

/** A command's own options plus the connection options every API-calling command shares. */
export function withConnection<D extends OptionDecls>(own: D): typeof CONNECTION_OPTIONS & D {
  return { ...CONNECTION_OPTIONS, ...own };
}
