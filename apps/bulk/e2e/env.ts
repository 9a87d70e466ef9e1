import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox, type SandboxOptions } from "@regdom/sandbox";
import { binPath, runCli, type CliOptions } from "@regdom/sandbox/testing";

export const TOKEN = "rdTOKEN-e2e-Q9v7Zx31-do-not-leak";
export const EMAIL = "ops@example.se";
export const BULK = binPath("@regdom/bulk", "bin.js", import.meta.url);
export const EXPORT = binPath("@regdom/export", "bin.js", import.meta.url);
export const FIXTURES = new URL("../../../test-fixtures/", import.meta.url).pathname;

export async function sandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ token: TOKEN, authEmail: EMAIL, ...opts });
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "regdom-e2e-"));
}

/** Runs regdom-bulk against a sandbox with the connection in the environment. */
export function bulk(sb: Sandbox | undefined, args: string[], opts: CliOptions = {}) {
  return runCli(BULK, args, { ...opts, env: { ...(sb ? { REGDOM_ENDPOINT: sb.url } : {}), REGDOM_TOKEN: TOKEN, REGDOM_AUTH_EMAIL: EMAIL, ...opts.env } });
}

export function exporter(sb: Sandbox | undefined, args: string[], opts: CliOptions = {}) {
  return runCli(EXPORT, args, { ...opts, env: { ...(sb ? { REGDOM_ENDPOINT: sb.url } : {}), REGDOM_TOKEN: TOKEN, REGDOM_AUTH_EMAIL: EMAIL, ...opts.env } });
}

export const WRITE_ACTIONS = new Set([
  "registerdomain",
  "transferdomain",
  "renewdomain",
  "savenameservers",
  "releasedomain",
  "requestdelete",
  "savecontactdetails",
  "domainupdatelockingstatus",
  "savedns",
  "registernameserver",
  "modifynameserver",
  "deletenameserver",
  "saveemailforwarding",
  "setautorenew",
]);

export const writesIn = (sb: Sandbox) => sb.requests.filter((r) => WRITE_ACTIONS.has(r.action));
