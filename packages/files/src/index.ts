export { type AtomicFile, openFileAtomic, writeFileAtomic, writeFileAtomicSync } from "./atomic.js";
export { FileLock, LockHeldError, type LockOwner } from "./lock.js";
export { checkCanMake, ensureDir, PlaceError } from "./places.js";
export { folderStamp, userStateDir } from "./stateDir.js";
