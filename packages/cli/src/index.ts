/**
 * @regdom/cli: what regdom-bulk and regdom-export share. Commands declared the same way, the
 * connection flags and their defaults, output and error printing (one JSON error shape), the
 * mapping from error to exit code, progress, confirmation, and the bin entry.
 */
export { processIo, type Io } from "./io.js";
export { CONNECTION_OPTIONS, resolveConnection, DEFAULT_RATE, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_S, type ConnectionFlags } from "./connection.js";
export { ExitCode, exitCodeOf } from "./exitCode.js";
export { runBin } from "./runBin.js";
export { logRequests } from "./requestLog.js";
export { flag, text, choice, number, numberWithDefault, type OptionDecl, type OptionDecls, type OptionsOf } from "./options.js";
export { defineCommand, withConnection, runProgram, type AnyCommand, type CommandContext, type CommandSpec, type ProgramSpec } from "./command.js";
export { colors, printWarnings, printError } from "./output.js";
export { openClient, startProgress, type Progress } from "./session.js";
export { confirm } from "./confirm.js";
export { versionOf } from "./version.js";
