/** The folders an apply writes in, checked before anything is sent; a folder regdom cannot use is bad input (exit 2). */
import { join } from "node:path";
import { UserError } from "@regdom/core";
import { checkCanMake, ensureDir, PlaceError, userStateDir } from "@regdom/files";

export const STATE_PLACE = "the state folder (XDG_STATE_HOME, else ~/.local/state)";
export const RUN_PLACE = "the run folder";
/** Where run folders are made when --run-dir is not given. */
export const RUNS_ROOT = ".regdom/runs";

/** Runs `fn`, turning a folder that cannot be used into a UserError that names it and says why. */
export function usablePlace<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PlaceError) throw new UserError(e.message);
    throw e;
  }
}

/** The state folder's locks and the run folder (to make, or to resume), before the first request. */
export function checkRunPlaces(o: {
  runDir?: string | undefined;
  resume?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): void {
  usablePlace(() => {
    ensureDir(STATE_PLACE, join(userStateDir(o.env), "locks"));
    // Nothing is made here: a run that plans no change leaves no empty run folder behind.
    checkCanMake(RUN_PLACE, o.resume ?? o.runDir ?? RUNS_ROOT);
  });
}
