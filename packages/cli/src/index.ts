/**
 * @regdom/cli: what regdom-bulk and regdom-export share. Commands declared the same way, the
 * connection flags and their defaults, output and error printing (one JSON error shape), the
 * mapping from error to exit code, progress, confirmation, and the bin entry.
 */

export { rememberAuthField, rememberedAuthField } from "./authFieldMemory.js";
export {
  type AnyCommand,
  type CommandAbout,
  type CommandContext,
  type CommandSpec,
  defineCommand,
  type LazyCommand,
  type ProgramSpec,
  runProgram,
} from "./command.js";
export { confirm } from "./confirm.js";
export {
  CONNECTION_OPTIONS,
  type ConnectionFlags,
  DEFAULT_CONCURRENCY,
  DEFAULT_RATE,
  DEFAULT_TIMEOUT_S,
  type RateFlag,
  withConnection,
} from "./connection.js";
export { ExitCode, exitCodeOf } from "./exitCode.js";
export { type Interrupts, watchInterrupts } from "./interrupt.js";
export { type Io, processIo } from "./io.js";
export {
  choice,
  flag,
  number,
  numberWithDefault,
  type OptionDecl,
  type OptionDecls,
  type OptionsOf,
  text,
} from "./options.js";
export { colors, groupNotes, type PlacedNote, printError, printWarnings } from "./output.js";
export { rememberedRate, rememberRate } from "./rateMemory.js";
export { logRequests } from "./requestLog.js";
export { resolveConnection } from "./resolveConnection.js";
export { runBin } from "./runBin.js";
export { closeClient, openClient, type Progress, startProgress } from "./session.js";
export { versionOf } from "./version.js";
