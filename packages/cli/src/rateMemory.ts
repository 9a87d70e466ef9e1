/**
 * The rate a registrar was found to accept (`--rate auto`), remembered per endpoint and account
 * in a small file in the user's state folder, and where the next run starts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, userStateDir, writeFileAtomicSync } from "@regdom/files";

interface RateFile {
  version: 1;
  rates: Record<string, { rate: number; at: string }>;
}

const fileOf = (env: NodeJS.ProcessEnv) => join(userStateDir(env), "rates.json");

function read(env: NodeJS.ProcessEnv): RateFile {
  try {
    const raw = JSON.parse(readFileSync(fileOf(env), "utf8")) as Partial<RateFile>;
    if (raw.version === 1 && raw.rates && typeof raw.rates === "object") return raw as RateFile;
  } catch {
    /* none yet, or unreadable: start afresh */
  }
  return { version: 1, rates: {} };
}

/** The remembered accepted rate of an account, if any. */
export function rememberedRate(accountKey: string, env: NodeJS.ProcessEnv): number | undefined {
  const r = read(env).rates[accountKey]?.rate;
  return typeof r === "number" && Number.isFinite(r) && r > 0 ? r : undefined;
}

export function rememberRate(accountKey: string, rate: number, env: NodeJS.ProcessEnv): void {
  const file = read(env);
  file.rates[accountKey] = { rate: Math.round(rate * 100) / 100, at: new Date().toISOString() };
  ensureDir("the state folder", userStateDir(env));
  writeFileAtomicSync(fileOf(env), `${JSON.stringify(file, null, 2)}\n`, 0o600);
}
