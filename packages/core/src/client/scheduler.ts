/**
 * One scheduler for a whole run: bounded concurrency (p-limit), a shared request rate
 * (RateLimiter), and retries with exponential backoff and jitter (p-retry) for requests that are
 * safe to repeat. Money actions are never repeated once they may have reached the server.
 */
import pLimit, { type LimitFunction } from "p-limit";
import pRetry, { AbortError } from "p-retry";
import {
  ApiError,
  AuthError,
  EndpointUnreachableError,
  OutcomeUnknownError,
  RateLimitedError,
  type RegdomError,
  type RequestContext,
  TransportError,
} from "../errors.js";
import type { AutoRateOptions } from "./autoRate.js";
import { EventHub } from "./events.js";
import { type Clock, RateLimiter, realClock } from "./rateLimiter.js";

/**
 * read: no effect. idempotent: the same write twice leaves the same state (Save*, lock, autorenew).
 * money: costs money (register, transfer, renew). once: other writes, repeated only if never delivered.
 */
export type ActionKind = "read" | "idempotent" | "money" | "once";

export interface SchedulerOptions {
  /** Requests per second for all workers together, or `{ max, start }` to find the rate (auto). */
  rate: number | AutoRateOptions;
  concurrency: number;
  retries?: number;
  /** Base of the exponential backoff, ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  events?: EventHub;
  /** Consecutive "endpoint unreachable" failures, across all workers, that stop the run. Default 3. */
  unreachableLimit?: number;
  /** Named in the error that stops the run. */
  endpoint?: string;
  clock?: Clock;
}

export interface ScheduledRequest extends RequestContext {
  kind: ActionKind;
}

function mayRepeat(kind: ActionKind, error: unknown): boolean {
  if (error instanceof RateLimitedError) return true;
  if (error instanceof TransportError) return !error.reachedServer || kind === "read" || kind === "idempotent";
  if (error instanceof ApiError) return error.retrySafe && (kind === "read" || kind === "idempotent");
  return false;
}

export class Scheduler {
  readonly events: EventHub;
  readonly limiter: RateLimiter;
  readonly #limit: LimitFunction;
  readonly #retries: number;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #unreachableLimit: number;
  readonly #endpoint: string;
  #unreachableInARow = 0;
  #fatal: RegdomError | undefined;
  readonly #clock: Clock;

  constructor(opts: SchedulerOptions) {
    this.events = opts.events ?? new EventHub();
    this.#clock = opts.clock ?? realClock;
    this.limiter = new RateLimiter(opts.rate, this.events, this.#clock);
    this.#unreachableLimit = opts.unreachableLimit ?? 3;
    this.#endpoint = opts.endpoint ?? "the endpoint";
    this.#limit = pLimit(Math.max(1, opts.concurrency));
    this.#retries = opts.retries ?? 6;
    this.#minBackoffMs = opts.minBackoffMs ?? 250;
    this.#maxBackoffMs = opts.maxBackoffMs ?? 15_000;
  }

  /**
   * The error that stopped the run (credentials refused, endpoint unreachable), if any. Once set,
   * every request fails with it at once, without being sent.
   */
  get fatal(): RegdomError | undefined {
    return this.#fatal;
  }

  get pending(): number {
    return this.#limit.pendingCount + this.#limit.activeCount;
  }

  /** Runs one request under the rate and concurrency limits, repeating it only when that is safe. */
  run<T>(req: ScheduledRequest, send: () => Promise<T>): Promise<T> {
    let attempt = 0;
    const once = async (): Promise<T> => {
      attempt += 1;
      if (this.#fatal) throw new AbortError(this.#fatal);
      await this.limiter.acquire();
      if (this.#fatal) throw new AbortError(this.#fatal);
      const sentAt = this.#clock.now();
      const started = performance.now();
      this.events.emit({ type: "request-start", action: req.action, domain: req.domain, attempt });
      try {
        const value = await send();
        this.limiter.answered();
        this.#unreachableInARow = 0;
        this.limiter.success();
        this.events.emit({
          type: "request-end",
          action: req.action,
          domain: req.domain,
          attempt,
          ms: performance.now() - started,
          ok: true,
        });
        return value;
      } catch (e) {
        this.limiter.answered();
        const message = e instanceof Error ? e.message : String(e);
        this.events.emit({
          type: "request-end",
          action: req.action,
          domain: req.domain,
          attempt,
          ms: performance.now() - started,
          ok: false,
          error: message,
        });
        if (e instanceof RateLimitedError) this.limiter.backoff(e.retryAfterMs, sentAt);
        if (e instanceof AuthError) {
          this.#fatal ??= e;
          throw new AbortError(e);
        }
        if (e instanceof TransportError && e.unreachable) {
          this.#unreachableInARow += 1;
          if (this.#unreachableInARow >= this.#unreachableLimit)
            this.#fatal ??= new EndpointUnreachableError(this.#endpoint, this.#unreachableInARow, e);
        } else if (!(e instanceof TransportError)) this.#unreachableInARow = 0;
        if (mayRepeat(req.kind, e) && !this.#fatal) throw e;
        // A money action that may have reached the registrar is never sent again: the caller
        // must read state to learn what happened.
        const unknown =
          req.kind === "money" &&
          ((e instanceof TransportError && e.reachedServer) || (e instanceof ApiError && e.retrySafe));
        if (unknown) throw new AbortError(new OutcomeUnknownError(req, e));
        throw new AbortError(this.#fatal && mayRepeat(req.kind, e) ? this.#fatal : (e as Error));
      }
    };
    // A request waiting to be sent again (its Retry-After, the backoff) gives up its place: the
    // concurrency bounds requests at the registrar, and the others go on at the limiter's rate.
    return pRetry(() => this.#limit(once), {
      retries: this.#retries,
      factor: 2,
      minTimeout: this.#minBackoffMs,
      maxTimeout: this.#maxBackoffMs,
      randomize: true,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft <= 0) return;
        this.events.emit({
          type: "retry",
          action: req.action,
          domain: req.domain,
          attempt: attemptNumber,
          reason: error.message,
        });
        // Retry-After is honoured by the refused request: it is sent again no sooner.
        if (error instanceof RateLimitedError && error.retryAfterMs !== undefined && !this.#fatal)
          await this.#clock.sleep(Math.min(error.retryAfterMs, 60_000));
      },
    });
  }
}
