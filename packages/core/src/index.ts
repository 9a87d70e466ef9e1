/**
 * @regdom/core: a typed client for the Registrera Domän Domains Reseller API, and the wire
 * serializers it speaks (PHP bracket forms, base64 PHP `serialize`, numeric-keyed lists, IDN).
 * Usable on its own from any Node program; see README.md for an example.
 */

export {
  readContacts,
  readDns,
  readEmailForwarding,
  readLockStatus,
  readNameservers,
  readSync,
} from "./client/answerReaders.js";
export { AutoRate, type AutoRateOptions } from "./client/autoRate.js";
export { type DomainField, domainFieldProblems, readDomainFields } from "./client/domainFields.js";
export { checkEndpoint, DEFAULT_ENDPOINT, isLoopbackHost, normalizeEndpoint } from "./client/endpoint.js";
export { type ClientEvent, type ClientEventListener, EventHub } from "./client/events.js";
export {
  AMOUNT_SCALE,
  type Amount,
  type Balance,
  formatAmount,
  PRICED_OPERATIONS,
  type PricedOperation,
  type PriceList,
  parseAmount,
  priceOf,
} from "./client/money.js";
export { type Clock, RateLimiter, realClock } from "./client/rateLimiter.js";
export {
  ACTIONS,
  AUTH_FIELDS,
  type AuthField,
  accountKeyOf,
  CLIENT_FIELDS,
  type ClientOptions,
  canonicalAction,
  domainParams,
  isUnknownActionMessage,
  RegistrarClient,
  registrantOf,
  withRegistrant,
} from "./client/registrarClient.js";
export { type ActionKind, type ScheduledRequest, Scheduler, type SchedulerOptions } from "./client/scheduler.js";
export * from "./client/types.js";
export { addYears } from "./dates.js";
export {
  ApiError,
  AuthError,
  EndpointUnreachableError,
  type Fault,
  type InputProblem,
  InternalError,
  isAuthMessage,
  isNotFoundMessage,
  isRateLimitMessage,
  isRegdomError,
  OutcomeUnknownError,
  RateLimitedError,
  RegdomError,
  type RequestContext,
  SafetyError,
  TransportError,
  UserError,
} from "./errors.js";
export {
  type Answer,
  excerptOf,
  extractJson,
  numericList,
  parseAnswer,
  parsePriority,
  writePriority,
} from "./wire/answer.js";
export {
  buildQuery,
  type FormInput,
  type FormValue,
  parseQuery,
  phpUrldecode,
  phpUrlencode,
} from "./wire/formEncode.js";
export { splitDomain, toAce, toUnicode } from "./wire/idn.js";
export {
  decodePhpBase64,
  encodePhpBase64,
  PhpSerializeError,
  type PhpValue,
  phpSerialize,
  phpUnserialize,
} from "./wire/phpSerialize.js";
export { REDACTED_TOKEN, redactor } from "./wire/redact.js";
