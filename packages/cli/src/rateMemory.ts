/**
 * The rate a registrar was measured to accept (`--rate auto`'s ceiling, the number a run and
 * `doctor --probe-rate` print as "the registrar accepted ~N req/s"), remembered per endpoint and
 * account in rates.json in the user's state folder. The next `--rate auto` run settles just under it
 * (see docs/rate.md) instead of starting slow.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, userStateDir, writeFileAtomicSync } from "@regdom/files";
import * as v from "valibot";

const rateFileSchema = v.object({
  version: v.literal(1),
  rates: v.record(
    v.string(),
    v.object({ rate: v.pipe(v.number(), v.finite(), v.minValue(0.01)), at: v.pipe(v.string(), v.isoTimestamp()) }),
  ),
});
type RateFile = v.InferOutput<typeof rateFileSchema>;

const fileOf = (env: NodeJS.ProcessEnv) => join(userStateDir(env), "rates.json");

/** The file, decoded; none yet, unreadable or not a rates file of this version: start afresh. */
function read(env: NodeJS.ProcessEnv): RateFile {
  try {
    const parsed = v.safeParse(rateFileSchema, JSON.parse(readFileSync(fileOf(env), "utf8")));
    if (parsed.success) return parsed.output;
  } catch {
    /* none yet, or not JSON */
  }
  return { version: 1, rates: {} };
}

/** The remembered ceiling of an account, if any. */
export function rememberedRate(accountKey: string, env: NodeJS.ProcessEnv): number | undefined {
  return read(env).rates[accountKey]?.rate;
}

/** Remembers `ceiling` (what the registrar was measured to accept) for the account's next run. */
export function rememberRate(accountKey: string, ceiling: number, env: NodeJS.ProcessEnv): void {
  const file = read(env);
  file.rates[accountKey] = { rate: Math.round(ceiling * 100) / 100, at: new Date().toISOString() };
  ensureDir("the state folder", userStateDir(env));
  writeFileAtomicSync(fileOf(env), `${JSON.stringify(file, null, 2)}\n`, 0o600);
}
