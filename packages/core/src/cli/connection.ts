/**
 * The connection settings every API-calling command shares (contract: endpoint, token, auth
 * e-mail, rate, concurrency, timeout). The token comes only from the environment or a file,
 * never from a flag value, so it never lands in shell history or `ps`.
 */
import { readFile } from "node:fs/promises";
import { UserError } from "../errors.js";
import { DEFAULT_ENDPOINT, checkEndpoint } from "../client/endpoint.js";
import type { ClientOptions } from "../client/registrarClient.js";

export interface ConnectionFlags {
  endpoint?: string;
  tokenFile?: string;
  authEmail?: string;
  rate?: string | number;
  concurrency?: string | number;
  timeout?: string | number;
}

export interface OptionSpec {
  flags: string;
  description: string;
  defaultValue?: string;
}

export const CONNECTION_OPTIONS: OptionSpec[] = [
  { flags: "--endpoint <url>", description: `API endpoint (env REGDOM_ENDPOINT; default ${DEFAULT_ENDPOINT})` },
  { flags: "--token-file <path>", description: "read the API token from this file (else env REGDOM_TOKEN)" },
  { flags: "--auth-email <email>", description: "account e-mail (else env REGDOM_AUTH_EMAIL)" },
  { flags: "--rate <n>", description: "requests per second, all workers together", defaultValue: "5" },
  { flags: "--concurrency <n>", description: "requests in flight at once", defaultValue: "4" },
  { flags: "--timeout <seconds>", description: "per-request timeout", defaultValue: "30" },
];

function positive(name: string, v: string | number | undefined, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UserError(`${name} must be a positive ${integer ? "whole " : ""}number, got "${v}"`);
  return n;
}

/** Checks settings without reading secrets; for early validation before any work. */
export function connectionLimits(flags: ConnectionFlags): { rate: number; concurrency: number; timeoutMs: number } {
  return {
    rate: positive("--rate", flags.rate, 5),
    concurrency: positive("--concurrency", flags.concurrency, 4, true),
    timeoutMs: positive("--timeout", flags.timeout, 30) * 1000,
  };
}

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
  return { endpoint, token, authEmail, ...connectionLimits(flags) };
}

/** Replaces every occurrence of a secret in text written anywhere. */
export function redact(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}
