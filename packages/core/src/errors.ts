/**
 * Every error regdom raises on purpose is a RegdomError. Each says whose fault it is (`fault`)
 * and whether repeating the same request is safe (`retrySafe`), and chains the error that caused
 * it (`cause`), so that callers never have to guess from a message. How a program reports them
 * (exit codes, hints about its own flags) is the program's business, not this library's.
 */

/** Whose fault an error is: the input's, the registrar's, the network's, a safety rule's, or ours (a bug). */
export type Fault = "user" | "registrar" | "network" | "safety" | "bug";

/** The base of every error regdom raises on purpose. */
export abstract class RegdomError extends Error {
  abstract readonly fault: Fault;
  /** Whether sending the same request again is safe. */
  readonly retrySafe: boolean = false;
}

/** One located problem in an input file: `file:line:column: message`. */
export interface InputProblem {
  file: string;
  /** The sheet of a workbook; `line` is then its row and `column` its column (shown as `Sheet!B7` by @regdom/manifest/place). */
  sheet?: string;
  line?: number;
  column?: number;
  message: string;
  severity?: "error" | "warning";
}

/** Bad input or usage: nothing was sent. */
export class UserError extends RegdomError {
  readonly fault = "user";
  readonly problems: InputProblem[];
  constructor(message: string, problems: InputProblem[] = []) {
    super(message);
    this.name = "UserError";
    this.problems = problems;
  }
}

/** A safety rule refused the run (threshold, stale plan, purchase or deletion not allowed, a lock held): nothing was sent. */
export class SafetyError extends RegdomError {
  readonly fault = "safety";
  constructor(message: string) {
    super(message);
    this.name = "SafetyError";
  }
}

export interface RequestContext {
  action: string;
  domain?: string | undefined;
}

/** The registrar answered, and the answer says the request failed (or is not an answer at all). */
export class ApiError extends RegdomError {
  readonly fault = "registrar";
  readonly action: string;
  readonly domain: string | undefined;
  readonly status: number | undefined;
  /**
   * The registrar's own words (`msg`, `message` or its `errors`), exactly as it sent them; empty
   * when the failure is ours to describe (an answer we could not read). Classification reads
   * only this, never the composed message, which holds the domain name.
   */
  readonly registrarMessage: string;
  /** A short, secret-free excerpt of the body, for humans. */
  readonly excerpt: string;
  override readonly retrySafe: boolean;
  constructor(
    message: string,
    ctx: RequestContext & {
      status?: number | undefined;
      excerpt?: string;
      retrySafe?: boolean;
      registrarMessage?: string;
      cause?: unknown;
    },
  ) {
    super(
      `${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: ${message}`,
      ctx.cause === undefined ? undefined : { cause: ctx.cause },
    );
    this.name = "ApiError";
    this.action = ctx.action;
    this.domain = ctx.domain;
    this.status = ctx.status;
    this.registrarMessage = ctx.registrarMessage ?? "";
    this.excerpt = ctx.excerpt ?? "";
    this.retrySafe = ctx.retrySafe ?? false;
  }
  /** True when the registrar itself said the domain is not in the account (HTTP 404, or its `msg`). */
  get isNotFound(): boolean {
    return this.status === 404 || isNotFoundMessage(this.registrarMessage);
  }
}

/** The registrar's sentences for "this domain is not in your account". */
export function isNotFoundMessage(msg: string): boolean {
  return /\b(not\s*found|does not exist|unknown domain|no such domain|not in (your|the) account)\b/i.test(msg);
}

/** The registrar's sentences for "slow down": a rate or request limit, never any use of the word limit. */
export function isRateLimitMessage(msg: string): boolean {
  return /\b(rate[ -]?limit(ed|s)?|too many (requests|calls|connections)|request limit|api limit|throttl(ed|ing)|slow down|quota exceeded)\b/i.test(
    msg,
  );
}

/** The registrar's sentences for a refused login. */
export function isAuthMessage(msg: string): boolean {
  return /\b(authenticat\w*|unauthori[sz]ed|bad credentials|invalid (api )?(token|key|credentials|login)|access denied|login failed|not authori[sz]ed)\b/i.test(
    msg,
  );
}

/**
 * The registrar refused our credentials. Every later request would be refused the same way (and
 * may lock the account), so the scheduler stops the whole run at the first one.
 */
export class AuthError extends RegdomError {
  readonly fault = "user";
  readonly action: string;
  readonly registrarMessage: string;
  constructor(ctx: RequestContext & { registrarMessage: string; status?: number | undefined }) {
    super(
      `the registrar refused the credentials (${ctx.registrarMessage || `HTTP ${ctx.status}`}); ` +
        "check the token and the auth e-mail. The run stopped; nothing more was sent",
    );
    this.name = "AuthError";
    this.action = ctx.action;
    this.registrarMessage = ctx.registrarMessage;
  }
}

/**
 * The endpoint could not be reached several times in a row (refused, not resolved, TLS, no
 * answer in time). Further requests are not sent: the run stops once instead of once per domain.
 */
export class EndpointUnreachableError extends RegdomError {
  readonly fault = "network";
  constructor(endpoint: string, failures: number, cause: unknown) {
    super(
      `${endpoint} could not be reached ${failures} times in a row (last: ${cause instanceof Error ? cause.message : String(cause)}); ` +
        "the run stopped; nothing more was sent",
      { cause },
    );
    this.name = "EndpointUnreachableError";
  }
}

/** The registrar asked us to slow down (HTTP 429/503, or an answer that says so in plain words). */
export class RateLimitedError extends RegdomError {
  readonly fault = "registrar";
  override readonly retrySafe = true;
  readonly retryAfterMs: number | undefined;
  readonly action: string;
  readonly registrarMessage: string;
  constructor(ctx: RequestContext & { retryAfterMs?: number | undefined; status?: number; registrarMessage?: string }) {
    super(
      `${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: rate limited${ctx.status ? ` (HTTP ${ctx.status})` : ""}` +
        `${ctx.registrarMessage ? `: ${ctx.registrarMessage}` : ""}`,
    );
    this.name = "RateLimitedError";
    this.retryAfterMs = ctx.retryAfterMs;
    this.action = ctx.action;
    this.registrarMessage = ctx.registrarMessage ?? "";
  }
}

/**
 * The request never got a usable answer: connection refused, reset, timeout, TLS, redirect.
 * `reachedServer` is false only when we know the request was not delivered.
 */
export class TransportError extends RegdomError {
  readonly fault = "network";
  override readonly retrySafe: boolean;
  readonly reachedServer: boolean;
  /** The endpoint itself could not be reached (refused, not resolved, TLS, no answer in time). */
  readonly unreachable: boolean;
  readonly action: string;
  constructor(
    message: string,
    ctx: RequestContext & { reachedServer: boolean; unreachable?: boolean; cause?: unknown },
  ) {
    super(
      `${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: ${message}`,
      ctx.cause === undefined ? undefined : { cause: ctx.cause },
    );
    this.unreachable = ctx.unreachable ?? false;
    this.name = "TransportError";
    this.action = ctx.action;
    this.reachedServer = ctx.reachedServer;
    this.retrySafe = !ctx.reachedServer;
  }
}

/**
 * A money operation (register, transfer, renew) may or may not have happened. Never resend it:
 * read state and reconcile instead.
 */
export class OutcomeUnknownError extends RegdomError {
  readonly fault = "network";
  override readonly retrySafe = false;
  readonly action: string;
  readonly domain: string | undefined;
  constructor(ctx: RequestContext, cause: unknown) {
    super(
      `${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: outcome unknown (${cause instanceof Error ? cause.message : String(cause)}); ` +
        "not resent, reconcile by reading state",
      { cause },
    );
    this.name = "OutcomeUnknownError";
    this.action = ctx.action;
    this.domain = ctx.domain;
  }
}

/** Something that should not happen. Asks for a bug report. */
export class InternalError extends RegdomError {
  readonly fault = "bug";
  constructor(message: string) {
    super(`${message} (this is a bug in regdom; please report it)`);
    this.name = "InternalError";
  }
}

export function isRegdomError(e: unknown): e is RegdomError {
  return e instanceof RegdomError;
}
