export { type Dialect, NO_LOCK_TLDS } from "./actions.js";
export { type DnsStub, type DnsStubOptions, startDnsStub } from "./dnsStub.js";
export { type Faults, type InjectedFault, prng } from "./faults.js";
export { Account, defaultPrices, formatCents, type SandboxPrices } from "./money.js";
export { seedDomains, seededDomainNames } from "./seed.js";
export { type RecordedRequest, type Sandbox, type SandboxOptions, startSandbox } from "./server.js";
export { type SandboxDnsRecord, type SandboxDomain, SandboxState } from "./state.js";
