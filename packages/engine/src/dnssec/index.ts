export { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, DnsNoAnswer, type DnsServer, query } from "./dnsQuery.js";
export { DIGEST_TYPES, type Dnskey, dnskeyRdata, dsDigest, isZoneKey, keyTag, nameWire } from "./dsDigest.js";
export { type Delegation, type Glue, GlueReadError, readDelegation, readGlue, sortAddresses } from "./glue.js";
export {
  checkDnssec,
  checkDnssecAll,
  type DnssecCheck,
  type DnssecVerdict,
  dnssecLine,
  type GuardOptions,
  isDnssecRisk,
} from "./guard.js";
export { chosenResolver, parseResolver, systemResolver } from "./resolver.js";
