/**
 * The connection settings every API-calling command shares (contract: endpoint, token, auth
 * e-mail, rate, concurrency, timeout), declared once with their defaults. The token comes only
 * from the environment or a file, never from a flag value, so it never lands in shell history or `ps`.
 */
import { readFile } from "node:fs/promises";
import { type ClientOptions, checkEndpoint, DEFAULT_ENDPOINT, UserError } from "@regdom/core";
import { numberWithDefault, type OptionsOf, text } from "./options.js";

export const DEFAULT_RATE = 5;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_S = 30;

export const CONNECTION_OPTIONS = {
  endpoint: text("--endpoint <url>", `API endpoint (env REGDOM_ENDPOINT; default ${DEFAULT_ENDPOINT})`),
  tokenFile: text("--token-file <path>", "read the API token from this file (else env REGDOM_TOKEN)"),
  authEmail: text("--auth-email <email>", "account e-mail (else env REGDOM_AUTH_EMAIL)"),
  rate: numberWithDefault("--rate <n>", "requests per second, all workers together", String(DEFAULT_RATE), {
    positive: true,
  }),
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
  return {
    endpoint,
    token,
    authEmail,
    rate: flags.rate,
    concurrency: flags.concurrency,
    timeoutMs: flags.timeout * 1000,
  };
}
