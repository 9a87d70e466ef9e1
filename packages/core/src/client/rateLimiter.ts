/**
 * A request rate shared by every worker of a run. Requests are given evenly spaced start slots
 * (no bursts), so the achieved rate equals the configured one when work is waiting. The rate halves
 * when the registrar pushes back, waits out `Retry-After`, then climbs back in steps of a tenth.
 */
import type { EventHub } from "./events.js";

export class RateLimiter {
  readonly target: number;
  #rate: number;
  #nextSlot = 0;
  #pausedUntil = 0;
  #calm = 0;
  readonly #events: EventHub | undefined;

  constructor(ratePerSecond: number, events?: EventHub) {
    this.target = ratePerSecond;
    this.#rate = ratePerSecond;
    this.#events = events;
  }

  get rate(): number {
    return this.#rate;
  }

  /** Resolves when this caller may start a request. */
  async acquire(): Promise<void> {
    if (!Number.isFinite(this.#rate) || this.#rate <= 0) return;
    const now = performance.now();
    const slot = Math.max(now, this.#nextSlot, this.#pausedUntil);
    this.#nextSlot = slot + 1000 / this.#rate;
    const wait = slot - now;
    if (wait > 0.5) await new Promise((r) => setTimeout(r, wait));
  }

  /** The registrar said slow down. */
  backoff(retryAfterMs?: number): void {
    const floor = Math.max(0.2, this.target / 50);
    this.#rate = Math.max(floor, this.#rate / 2);
    this.#calm = 0;
    const now = performance.now();
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
