/** The user's state folder (XDG): where locks shared by every run of an account, and learned facts, live. */
import { homedir } from "node:os";
import { join } from "node:path";

export function userStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME?.startsWith("/") ? env.XDG_STATE_HOME : join(homedir(), ".local", "state");
  return join(base, "regdom");
}

/** The name of a folder made at a moment (run folders, backups): UTC, sortable, safe in every file system. */
export function folderStamp(now = new Date()): string {
  return now.toISOString().replace(/[:.]/g, "-");
}
