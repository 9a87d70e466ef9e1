/**
 * @regdom/cli: what regdom-bulk and regdom-export share. Commands declared the same way, the
 * connection flags and their defaults, output and error printing (one JSON error shape), the
 * mapping from error to exit code, progress, confirmation, and the bin entry. The light part a bin
 * needs before it runs a command is `./program.js` (also the entry `@regdom/cli/program`); this
 * index adds what loads the API client and the rest.
 */

export { rememberAuthField, rememberedAuthField } from "./authFieldMemory.js";
export type { CommandSpec } from "./command.js";
export { confirm } from "./confirm.js";
export { CONNECTION_OPTIONS, DEFAULT_CONCURRENCY, DEFAULT_RATE, DEFAULT_TIMEOUT_S } from "./connection.js";
export { type Interrupts, watchInterrupts } from "./interrupt.js";
export { groupNotes, type PlacedNote } from "./output.js";
export * from "./program.js";
export { rememberedRate, rememberRate } from "./rateMemory.js";
export { logRequests } from "./requestLog.js";
export { resolveConnection } from "./resolveConnection.js";
export { closeClient, openClient, type Progress, startProgress } from "./session.js";
