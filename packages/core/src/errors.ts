/**
 * Every error regdom raises on purpose is a RegdomError. Each says whose fault it is
 * (`fault`), whether repeating the same request is safe (`retrySafe`), and which exit code
 * the bin entry turns it into, so that callers never have to guess from a message.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  changes: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type Fault = "user" | "registrar" | "network" | "safety" | "bug";

export abstract class RegdomError extends Error {
  abstract readonly fault: Fault;
  abstract readonly exitCode: ExitCode;
  readonly retrySafe: boolean = false;
}

/** One located problem in an input file: `file:line:column: message`. */
export interface InputProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
  severity?: "error" | "warning";
}

export function formatProblem(p: InputProblem): string {
  const where = [p.file, p.line, p.line !== undefined ? (p.column ?? 1) : undefined]
    .filter((x) => x !== undefined)
    .join(":");
  return `${where}: ${p.severity === "warning" ? "warning: " : ""}${p.message}`;
}

/** Bad input or usage: nothing was sent. Exit 2. */
export class UserError extends RegdomError {
  readonly fault = "user";
  readonly exitCode = ExitCode.usage;
  readonly problems: InputProblem[];
  constructor(message: string, problems: InputProblem[] = []) {
    super(message);
    this.name = "UserError";
    this.problems = problems;
  }
}

/** A safety rule refused the run (threshold, stale plan, purchase or deletion not allowed). Exit 3. */
export class SafetyError extends RegdomError {
  readonly fault = "safety";
  readonly exitCode = ExitCode.refused;
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
  readonly exitCode = ExitCode.failed;
  readonly action: string;
  readonly domain: string | undefined;
  readonly status: number | undefined;
  /** A short, secret-free excerpt of the body, for humans. */
  readonly excerpt: string;
  override readonly retrySafe: boolean;
  constructor(
    message: string,
    ctx: RequestContext & { status?: number | undefined; excerpt?: string; retrySafe?: boolean },
  ) {
    super(`${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: ${message}`);
    this.name = "ApiError";
    this.action = ctx.action;
    this.domain = ctx.domain;
    this.status = ctx.status;
    this.excerpt = ctx.excerpt ?? "";
    this.retrySafe = ctx.retrySafe ?? false;
  }
  /** True when the registrar said the domain is not in the account. */
  get isNotFound(): boolean {
    return /not\s*found|does not exist|unknown domain|no such domain/i.test(this.message);
  }
}

/** The registrar asked us to slow down (HTTP 429/503 or a message about rates or limits). */
export class RateLimitedError extends RegdomError {
  readonly fault = "registrar";
  readonly exitCode = ExitCode.failed;
  override readonly retrySafe = true;
  readonly retryAfterMs: number | undefined;
  readonly action: string;
  constructor(ctx: RequestContext & { retryAfterMs?: number | undefined; status?: number }) {
    super(
      `${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: rate limited${ctx.status ? ` (HTTP ${ctx.status})` : ""}`,
    );
    this.name = "RateLimitedError";
    this.retryAfterMs = ctx.retryAfterMs;
    this.action = ctx.action;
  }
}

/**
 * The request never got a usable answer: connection refused, reset, timeout, TLS, redirect.
 * `reachedServer` is false only when we know the request was not delivered.
 */
export class TransportError extends RegdomError {
  readonly fault = "network";
  readonly exitCode = ExitCode.failed;
  override readonly retrySafe: boolean;
  readonly reachedServer: boolean;
  readonly action: string;
  constructor(message: string, ctx: RequestContext & { reachedServer: boolean }) {
    super(`${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: ${message}`);
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
  readonly exitCode = ExitCode.failed;
  override readonly retrySafe = false;
  readonly action: string;
  readonly domain: string | undefined;
  constructor(ctx: RequestContext, override readonly cause: unknown) {
    super(
      `${ctx.action}${ctx.domain ? ` ${ctx.domain}` : ""}: outcome unknown (${cause instanceof Error ? cause.message : String(cause)}); ` +
        "not resent, reconcile by reading state",
    );
    this.name = "OutcomeUnknownError";
    this.action = ctx.action;
    this.domain = ctx.domain;
  }
}

/** Something that should not happen. Asks for a bug report. */
export class InternalError extends RegdomError {
  readonly fault = "bug";
  readonly exitCode = ExitCode.failed;
  constructor(message: string) {
    super(`${message} (this is a bug in regdom; please report it)`);
    this.name = "InternalError";
  }
}

export function isRegdomError(e: unknown): e is RegdomError {
  return e instanceof RegdomError;
}
