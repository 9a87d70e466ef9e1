export { processIo, type Io } from "./io.js";
export { CONNECTION_OPTIONS, connectionLimits, resolveConnection, redact, type ConnectionFlags, type OptionSpec } from "./connection.js";
export { exitCodeOf } from "./exitCode.js";
export { runBin } from "./runBin.js";
export { logRequests } from "./requestLog.js";
