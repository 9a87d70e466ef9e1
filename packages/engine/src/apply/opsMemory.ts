/**
 * Which run folder an operations file was run into, by its content: `run OPS.csv` a second time
 * (any name, any working folder) finds the first run's journal and skips what it finished, so a
 * file that renews renews once. Kept per account in the user's state folder, one small file per
 * (account, content) so two runs of different files never write the same one.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureDir, userStateDir, writeFileAtomicSync } from "@regdom/files";
import { STATE_PLACE, usablePlace } from "./places.js";

export function opsDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function memoryFile(digest: string, accountKey: string, env: NodeJS.ProcessEnv): string {
  const key = createHash("sha256").update(`${accountKey}\n${digest}`).digest("hex").slice(0, 32);
  return join(userStateDir(env), "ops-runs", `${key}.json`);
}

/** The run folder this content was last run into for this account, if it still exists. */
export function rememberedOpsRun(
  digest: string,
  accountKey: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  let runDir: unknown;
  try {
    runDir = (JSON.parse(readFileSync(memoryFile(digest, accountKey, env), "utf8")) as { runDir?: unknown }).runDir;
  } catch {
    return undefined;
  }
  return typeof runDir === "string" && existsSync(join(runDir, "journal.jsonl")) ? runDir : undefined;
}

/** Remembers the run folder of this content (an absolute path), before anything is sent. */
export function rememberOpsRun(
  digest: string,
  accountKey: string,
  runDir: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const path = memoryFile(digest, accountKey, env);
  usablePlace(() => ensureDir(STATE_PLACE, join(path, "..")));
  const body = { version: 1, digest, runDir: resolve(runDir), file: resolve(file), at: new Date().toISOString() };
  writeFileAtomicSync(path, `${JSON.stringify(body, null, 2)}\n`, 0o600);
}
