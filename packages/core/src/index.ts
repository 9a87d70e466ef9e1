/**
 * @regdom/core: a typed client for the Registrera Domän Domains Reseller API, and the wire
 * serializers it speaks (PHP bracket forms, base64 PHP `serialize`, numeric-keyed lists, IDN).
 * Usable on its own from any Node program; see README.md for an example.
 */
export {
  RegdomError,
  UserError,
  ApiError,
  AuthError,
  RateLimitedError,
  TransportError,
  EndpointUnreachableError,
  OutcomeUnknownError,
  InternalError,
  isRegdomError,
  isNotFoundMessage,
  isRateLimitMessage,
  isAuthMessage,
  formatProblem,
  type Fault,
  type InputProblem,
  type RequestContext,
} from "./errors.js";
export * from "./client/types.js";
export {
  RegistrarClient,
  ACTIONS,
  canonicalAction,
  domainParams,
  registrantOf,
  withRegistrant,
  type ClientOptions,
} from "./client/registrarClient.js";
export { Scheduler, type ActionKind, type SchedulerOptions, type ScheduledRequest } from "./client/scheduler.js";
export { RateLimiter, realClock, type Clock } from "./client/rateLimiter.js";
export { EventHub, type ClientEvent, type ClientEventListener } from "./client/events.js";
export { checkEndpoint, isLoopbackHost, DEFAULT_ENDPOINT } from "./client/endpoint.js";
export { buildQuery, parseQuery, phpUrlencode, phpUrldecode, type FormInput, type FormValue } from "./wire/formEncode.js";
export {
  phpSerialize,
  phpUnserialize,
  encodePhpBase64,
  decodePhpBase64,
  PhpSerializeError,
  type PhpValue,
} from "./wire/phpSerialize.js";
export { parseAnswer, numericList, parsePriority, writePriority, extractJson, excerptOf, type Answer } from "./wire/answer.js";
export { toAce, toUnicode, splitDomain } from "./wire/idn.js";
