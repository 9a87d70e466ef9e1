export { startSandbox, type Sandbox, type SandboxOptions, type RecordedRequest } from "./server.js";
export { SandboxState, type SandboxDomain, type SandboxDnsRecord } from "./state.js";
export { seededDomainNames, seedDomains } from "./seed.js";
export type { Faults, InjectedFault } from "./faults.js";
