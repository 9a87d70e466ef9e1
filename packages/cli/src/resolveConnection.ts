/**
 * Where the endpoint, token and e-mail come from, and the rate a run starts at. Apart from the
 * declarations (connection.ts), which help needs: this is loaded by the commands that connect.
 */
import { readFile } from "node:fs/promises";
import { accountKeyOf, type ClientOptions, checkEndpoint, DEFAULT_ENDPOINT, UserError } from "@regdom/core";
import { rememberedAuthField } from "./authFieldMemory.js";
import { type ConnectionFlags, parseAuthField } from "./connection.js";
import { rememberedRate } from "./rateMemory.js";

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
    if (!token) throw new UserError(`--token-file ${flags.tokenFile} is empty: it should hold the API token`);
  }
  if (!token) throw new UserError("no API token: set REGDOM_TOKEN or use --token-file PATH");
  const authEmail = flags.authEmail ?? env.REGDOM_AUTH_EMAIL ?? "";
  if (!authEmail) throw new UserError("no auth e-mail: set REGDOM_AUTH_EMAIL or use --auth-email");
  const rate =
    typeof flags.rate === "number"
      ? flags.rate
      : (() => {
          // Where the last run's measurement left off, for this endpoint and account.
          const ceiling = rememberedRate(accountKeyOf(endpoint, authEmail), env);
          return { max: flags.rate.max, ...(ceiling !== undefined ? { ceiling } : {}) };
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
