/**
 * A request rate shared by every worker of a run. Requests are given evenly spaced start slots
 * (no bursts, and 3% of room for network jitter), so the achieved rate is just under the configured
 * one when work is waiting. With a fixed rate, a push-back lowers the rate only when the registrar
 * clearly accepts less (then it climbs back in tenths); with `--rate auto` (AutoRate) the rate is
 * found. The refused request itself waits its `Retry-After`.
 */
import { AcceptedMeter } from "./acceptedMeter.js";
import { AutoRate, type AutoRateOptions } from "./autoRate.js";
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

/** Starts are spaced this much wider than the rate alone asks (see #spacing). */
const JITTER_ROOM = 1.03;
/** The longest a run of refusals holds every start back (see backoff). */
const HOLD_MAX_MS = 250;

export class RateLimiter {
  readonly target: number;
  /** Set with `--rate auto`: the rate is found, not given. */
  readonly auto: AutoRate | undefined;
  #rate: number;
  /** When the next start is due. None yet: the first request of a run starts at once, the next a slot later. */
  #nextSlot = Number.NEGATIVE_INFINITY;
  #calm = 0;
  /** Refusals since the last request that went through (see backoff). */
  #refusedInARow = 0;
  /** Pending while the run's first request waits for its answer (see acquire). */
  #firstAnswer: Promise<void> | undefined;
  #endFirst: (() => void) | undefined;
  #lastBackoff = Number.NEGATIVE_INFINITY;
  readonly #accepted = new AcceptedMeter();
  readonly #events: EventHub | undefined;
  readonly #clock: Clock;

  /** A fixed rate (requests per second, all workers together), or `{ max, ceiling }` for auto. */
  constructor(rate: number | AutoRateOptions, events?: EventHub, clock: Clock = realClock) {
    this.#events = events;
    this.#clock = clock;
    if (typeof rate === "number") {
      this.target = rate;
      this.#rate = rate;
    } else {
      this.auto = new AutoRate(rate, clock);
      this.target = rate.max;
      this.#rate = this.auto.rate;
    }
  }

  get rate(): number {
    return this.#rate;
  }

  /**
   * Resolves when this caller may start a request. A start slot is taken when it is due, not
   * promised ahead: after a pause (a busy event loop, a rate lowered by a push-back) the waiting
   * workers do not all start at once, which a registrar counting a one-second window would refuse.
   */
  async acquire(): Promise<void> {
    if (this.#firstAnswer === undefined) {
      // The run's first request goes alone. A cold client sends it late (a connection to open, code
      // loaded on first use: tens of milliseconds), so it would reach the registrar closer to the
      // next one than its slot says, and a window counting requests refuses the last of a second.
      this.#firstAnswer = new Promise((resolve) => {
        this.#endFirst = resolve;
      });
    } else if (this.#endFirst !== undefined) await this.#firstAnswer;
    for (;;) {
      if (!Number.isFinite(this.#rate) || this.#rate <= 0) return;
      const due = this.#nextSlot;
      const wait = due - this.#clock.now();
      if (wait > 0.5) {
        await this.#clock.sleep(wait);
        // Another worker took this slot while we slept (or a push-back moved it): wait for the next.
        if (this.#nextSlot !== due) continue;
      }
      const now = this.#clock.now();
      const spacing = this.#spacing();
      // A worker a little late keeps the schedule; one later than a whole slot starts it afresh.
      this.#nextSlot = (now - due < spacing ? due : now) + spacing;
      return;
    }
  }

  /**
   * The registrar said slow down. The refused request waits its Retry-After (the scheduler does
   * that); the others go on at a rate that fits: with auto, under what the registrar accepted;
   * with a fixed rate, down to what it accepted only when that is clearly less (a push-back at the
   * very edge of the limit is jitter, and costs one request, not a halved run).
   */
  backoff(retryAfterMs?: number, sentAt?: number): void {
    const now = this.#clock.now();
    if (this.auto) {
      const before = this.#rate;
      this.#rate = this.auto.pushBack(sentAt);
      if (this.#rate !== before) {
        this.#nextSlot = now;
        this.#events?.emit({ type: "rate", rate: this.#rate, reason: "backoff", retryAfterMs });
      }
    } else {
      // One push-back at the edge of a limit is jitter; a second within two seconds means the
      // registrar accepts less than asked: measured over those two seconds, that is the new rate.
      const sustained = now - this.#lastBackoff < 2000;
      this.#lastBackoff = now;
      this.#calm = 0;
      const accepted = this.#accepted.count(now, 2000) / 2;
      const floor = Math.max(0.2, this.target / 50);
      if (sustained && accepted < this.#rate * 0.9) {
        this.#rate = Math.max(floor, accepted >= 1 ? accepted : this.#rate / 2);
        this.#nextSlot = now;
        this.#events?.emit({ type: "rate", rate: this.#rate, reason: "backoff", retryAfterMs });
      }
    }
    // Refused again with nothing accepted in between: the registrar's window is still full (a
    // fixed window turns over only at its second). Each such refusal doubles the gap before the
    // next start, up to a quarter second, rather than sending into the full window until it turns.
    this.#refusedInARow++;
    const hold = Math.min(HOLD_MAX_MS, retryAfterMs ?? HOLD_MAX_MS, this.#spacing() * 2 ** (this.#refusedInARow - 1));
    this.#nextSlot = Math.max(this.#nextSlot, now + Math.max(hold, this.#spacing()));
  }

  /**
   * Milliseconds between starts. A limit of N per second is kept with room for the network's
   * jitter: requests that leave evenly spaced arrive a few milliseconds apart from that, and a
   * registrar counting a one-second window would refuse the one that arrives early.
   */
  #spacing(): number {
    // With auto, the settled rate already stands under the measured limit.
    return (1000 / this.#rate) * (this.auto ? 1 : JITTER_ROOM);
  }

  /** A request (any attempt) has its answer, or failed. The first one's ends the run's warm-up: the next starts a slot later. */
  answered(): void {
    if (this.#endFirst === undefined) return;
    this.#endFirst();
    this.#endFirst = undefined;
    if (Number.isFinite(this.#rate) && this.#rate > 0)
      this.#nextSlot = Math.max(this.#nextSlot, this.#clock.now() + this.#spacing());
  }

  /** A request went through; after a calm stretch the rate climbs back toward the target. */
  success(): void {
    this.#refusedInARow = 0;
    if (this.auto) {
      const before = this.#rate;
      this.#rate = this.auto.success();
      if (this.#rate !== before) this.#events?.emit({ type: "rate", rate: this.#rate, reason: "recover" });
      return;
    }
    this.#accepted.add(this.#clock.now());
    if (this.#rate >= this.target) return;
    this.#calm += 1;
    if (this.#calm >= Math.max(5, Math.ceil(this.#rate))) {
      this.#calm = 0;
      this.#rate = Math.min(this.target, this.#rate + this.target / 10);
      this.#events?.emit({ type: "rate", rate: this.#rate, reason: "recover" });
    }
  }
}
