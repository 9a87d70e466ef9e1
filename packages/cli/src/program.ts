/**
 * What a bin needs before it runs a command, and what an offline command is declared with: the
 * program, the bin entry, the version, options (the connection's too) and output. A light entry
 * (`@regdom/cli/program`) that loads neither the API client nor the engine; the index has all.
 */
export {
  type AnyCommand,
  type CommandAbout,
  type CommandContext,
  defineCommand,
  type LazyCommand,
  type ProgramSpec,
  runProgram,
} from "./command.js";
export { type ConnectionFlags, type RateFlag, withConnection } from "./connection.js";
export { ExitCode, exitCodeOf } from "./exitCode.js";
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
export { colors, printError, printWarnings } from "./output.js";
export { runBin } from "./runBin.js";
export { versionOf } from "./version.js";
