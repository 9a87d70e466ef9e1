/**
 * A request rate shared by every worker of a run. Requests are given evenly spaced start slots
 * (no bursts), so the achieved rate equals the configured one when work is waiting. The rate halves
 * when the registrar pushes back, waits out `Retry-After`, then climbs back in steps of a tenth.
 */
import type { EventHub } from "./events.js";

/** Time as the limiter sees it; tests pass a virtual one, so no test depends on a loaded machine's timing. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export class RateLimiter {
  readonly target: number;
  #rate: number;
  #nextSlot = 0;
  #pausedUntil = 0;
  #calm = 0;
  readonly #events: EventHub | undefined;
  readonly #clock: Clock;

  constructor(ratePerSecond: number, events?: EventHub, clock: Clock = realClock) {
    this.target = ratePerSecond;
    this.#rate = ratePerSecond;
    this.#events = events;
    this.#clock = clock;
  }

  get rate(): number {
    return this.#rate;
  }

  /** Resolves when this caller may start a request. */
  async acquire(): Promise<void> {
    if (!Number.isFinite(this.#rate) || this.#rate <= 0) return;
    const now = this.#clock.now();
    const slot = Math.max(now, this.#nextSlot, this.#pausedUntil);
    this.#nextSlot = slot + 1000 / this.#rate;
    const wait = slot - now;
    if (wait > 0.5) await this.#clock.sleep(wait);
  }

  /** The registrar said slow down. */
  backoff(retryAfterMs?: number): void {
    const floor = Math.max(0.2, this.target / 50);
    this.#rate = Math.max(floor, this.#rate / 2);
    this.#calm = 0;
    const now = this.#clock.now();
    if (retryAfterMs !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    this.#nextSlot = Math.max(this.#nextSlot, this.#pausedUntil);
    this.#events?.emit({ type: "rate", rate: this.#rate, reason: "backoff", retryAfterMs });
  }

  /** A request went through; after a calm stretch the rate climbs back toward the target. */
  success(): void {
    if (this.#rate >= this.target) return;
    this.#calm += 1;
    if (this.#calm >= Math.max(5, Math.ceil(this.#rate))) {
      this.#calm = 0;
      this.#rate = Math.min(this.target, this.#rate + this.target / 10);
      this.#events?.emit({ type: "rate", rate: this.#rate, reason: "recover" });
    }
  }
}
