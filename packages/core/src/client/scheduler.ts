/**
 * One scheduler for a whole run: bounded concurrency (p-limit), a shared request rate
 * (RateLimiter), and retries with exponential backoff and jitter (p-retry) for requests that are
 * safe to repeat. Money actions are never repeated once they may have reached the server.
 */
import pLimit, { type LimitFunction } from "p-limit";
import pRetry, { AbortError } from "p-retry";
import {
  ApiError,
  OutcomeUnknownError,
  RateLimitedError,
  TransportError,
  type RequestContext,
} from "../errors.js";
import { EventHub } from "./events.js";
import { RateLimiter } from "./rateLimiter.js";

/**
 * read: no effect. idempotent: the same write twice leaves the same state (Save*, lock, autorenew).
 * money: costs money (register, transfer, renew). once: other writes, repeated only if never delivered.
 */
export type ActionKind = "read" | "idempotent" | "money" | "once";

export interface SchedulerOptions {
  rate: number;
  concurrency: number;
  retries?: number;
  /** Base of the exponential backoff, ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  events?: EventHub;
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

  constructor(opts: SchedulerOptions) {
    this.events = opts.events ?? new EventHub();
    this.limiter = new RateLimiter(opts.rate, this.events);
    this.#limit = pLimit(Math.max(1, opts.concurrency));
    this.#retries = opts.retries ?? 6;
    this.#minBackoffMs = opts.minBackoffMs ?? 250;
    this.#maxBackoffMs = opts.maxBackoffMs ?? 15_000;
  }

  get pending(): number {
    return this.#limit.pendingCount + this.#limit.activeCount;
  }

  /** Runs one request under the rate and concurrency limits, repeating it only when that is safe. */
  run<T>(req: ScheduledRequest, send: () => Promise<T>): Promise<T> {
    let attempt = 0;
    const once = async (): Promise<T> => {
      attempt += 1;
      await this.limiter.acquire();
      const started = performance.now();
      this.events.emit({ type: "request-start", action: req.action, domain: req.domain, attempt });
      try {
        const value = await send();
        this.limiter.success();
        this.events.emit({ type: "request-end", action: req.action, domain: req.domain, attempt, ms: performance.now() - started, ok: true });
        return value;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.events.emit({ type: "request-end", action: req.action, domain: req.domain, attempt, ms: performance.now() - started, ok: false, error: message });
        if (e instanceof RateLimitedError) this.limiter.backoff(e.retryAfterMs);
        if (mayRepeat(req.kind, e)) throw e;
        // A money action that may have reached the registrar is never sent again: the caller
        // must read state to learn what happened.
        const unknown = req.kind === "money" && (e instanceof TransportError || (e instanceof ApiError && e.retrySafe));
        throw new AbortError(unknown ? new OutcomeUnknownError(req, e) : (e as Error));
      }
    };
    return this.#limit(() =>
      pRetry(once, {
        retries: this.#retries,
        factor: 2,
        minTimeout: this.#minBackoffMs,
        maxTimeout: this.#maxBackoffMs,
        randomize: true,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft > 0)
            this.events.emit({ type: "retry", action: req.action, domain: req.domain, attempt: attemptNumber, reason: error.message });
        },
      }),
    );
  }
}
