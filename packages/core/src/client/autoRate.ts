/**
 * `--rate auto`: find the rate a registrar accepts without being told, the way TCP congestion
 * control does. Start low and double while every answer comes back (slow start). A registrar
 * refuses only once its window is full, so at the first push-back what it accepted over the last
 * second is the limit (or a little above it, for a bucket's burst or a window's edge): remember it
 * as the ceiling and settle just under it. A later push-back measures again and never above the
 * rate that met it, so an estimate too high comes down. Refused again within a second while some
 * requests go through (a bucket refilling, not a full window), the first measure counted a burst:
 * cut to half, measure what gets through, and climb back quickly if the cut was too deep (a window
 * still draining after slow start refuses like that too). After ten calm seconds the ceiling is
 * probed 2% higher: a probe that meets the same wall waits twice as long next time (up to a
 * minute), and one that runs above the old wall unrefused is followed by larger ones, so a limit
 * that rises is found within a minute or two. Refused with nearly nothing getting through (a 503
 * storm, an outage), there is nothing to measure: halve the rate, and climb back as slow start does
 * to the ceiling from before. The state table, each constant with its reason: docs/rate.md.
 * A push-back is only what the registrar clearly says (HTTP 429/503 or a rate-limit answer).
 */
import { AcceptedMeter } from "./acceptedMeter.js";
import type { Clock } from "./rateLimiter.js";

export interface AutoRateOptions {
  /** Never faster than this. */
  max: number;
  /**
   * The ceiling an earlier run or `doctor --probe-rate` measured (what the registrar accepted, the
   * number they print and remember): begin just under it and only probe. Without it, slow start from 4.
   */
  ceiling?: number;
}

/** Share of the measured ceiling the run settles at. */
const SETTLE = 0.97;
// Slow start doubles as soon as a quarter second at the rate went through (at least 2 requests), so
// 40 req/s is reached from 4 in about a second; a limit counted over a second answers late, which
// the first push-back's measure (what the registrar accepted over the last second) makes up for.
const SLOW_START_STEP_MS = 250;
const SLOW_START_MIN_REQUESTS = 2;
const PROBE_EVERY_MS = 10_000;
/** …and after at least this many requests: at 3 req/s a probe every 10 s would be one every 30. */
const PROBE_AFTER_REQUESTS = 50;
/** A probe that meets the same wall again waits twice as long next time, up to this. */
const PROBE_EVERY_MAX_MS = 60_000;
/** A probe that went through is followed by a larger one, up to this: a risen limit is found in a minute. */
const PROBE_STEP_MAX = 0.25;
const PROBE_STEP = 0.02;
/**
 * Refused again within this long of the first push-back, while some requests still go through:
 * the first measure may have counted a token bucket's burst. Cut the ceiling to CUT of it, and
 * climb back (RECOVER_STEP after RECOVER_CALM_MS and RECOVER_MIN_REQUESTS without a push-back) if
 * the cut was too deep.
 */
const CUT_WITHIN_MS = 1000;
/**
 * After the first push-back, a sliding window refuses until the slow start's last quarter second
 * has left it: refusals at the cut before this are not news.
 */
const DRAIN_MS = 750;
const CUT = 0.5;
const RECOVER_CALM_MS = 500;
const RECOVER_MIN_REQUESTS = 3;
const RECOVER_STEP = 1.5;
/** A lone push-back at the wall is jitter only when at least this many went through since the last one (1%). */
const JITTER_ONE_IN = 100;
/**
 * Fewer than this many accepted a second over the measure's span is too few to measure: the
 * registrar refuses nearly everything (a storm), or the run paused.
 */
const STORM_BELOW = 2;

export class AutoRate {
  readonly max: number;
  #rate: number;
  #ceiling: number | undefined;
  #phase: "slow-start" | "settled";
  #lastChange: number;
  #lastPushBack = Number.NEGATIVE_INFINITY;
  #acceptedSincePushBack = 0;
  /** Accepted since the rate last changed or the registrar last pushed back (whichever came later). */
  #acceptedSinceCalm = 0;
  /** The ceiling when the current run of push-backs (each within 2 s of the one before) began. */
  #episodeFrom: number | undefined;
  /** When slow start ended (the first push-back). */
  #settledAt = Number.NEGATIVE_INFINITY;
  /**
   * The one cut of a run (see CUT), or a storm (see #pushBack): the ceiling it cut from, and the
   * steps climbed back since.
   */
  #cut: { from: number; steps: number; storm?: true } | undefined;
  #cutDone = false;
  #probeEvery = PROBE_EVERY_MS;
  #probeStep = PROBE_STEP;
  /** The ceiling the last push-back found (the wall); probes since then raise the ceiling above it. */
  #wall = Number.POSITIVE_INFINITY;
  readonly #accepted = new AcceptedMeter();
  readonly #clock: Clock;

  constructor(o: AutoRateOptions, clock: Clock) {
    this.max = o.max;
    this.#clock = clock;
    this.#rate = Math.min(o.max, 4);
    this.#phase = "slow-start";
    // A remembered ceiling is one already found: settle under it, and only probe.
    if (o.ceiling !== undefined) {
      this.#ceiling = o.ceiling;
      this.#wall = this.#ceiling;
      this.#rate = Math.min(o.max, o.ceiling * SETTLE);
      this.#phase = "settled";
    }
    this.#lastChange = clock.now();
  }

  get rate(): number {
    return this.#rate;
  }

  /**
   * Where the controller stands (docs/rate.md's states): `slow-start` until the first push-back;
   * `cut` while climbing back after the cut or a storm; `probing` while a probe runs above the
   * wall; else `settled`.
   */
  get state(): "slow-start" | "settled" | "probing" | "cut" {
    if (this.#phase === "slow-start") return "slow-start";
    if (this.#cut) return "cut";
    return this.#rate > this.#wall * SETTLE * 1.001 ? "probing" : "settled";
  }

  /** The rate the registrar was last measured to accept (undefined until it pushed back once). */
  get ceiling(): number | undefined {
    return this.#ceiling;
  }

  /** A request went through: climb (doubling in slow start; a probe now and then once settled). */
  success(): number {
    const now = this.#clock.now();
    this.#accepted.add(now);
    this.#acceptedSincePushBack++;
    this.#acceptedSinceCalm++;
    const calm = now - Math.max(this.#lastChange, this.#lastPushBack);
    if (this.#phase === "slow-start") {
      // Climb only on what was really sent and accepted at this rate, as TCP grows on acknowledged data.
      const step = Math.max(SLOW_START_STEP_MS, (SLOW_START_MIN_REQUESTS * 1000) / this.#rate);
      const sentSince = this.#accepted.count(now, Math.min(2000, calm));
      if (calm >= step && sentSince >= 0.8 * (step / 1000) * this.#rate)
        this.#set(Math.min(this.max, this.#rate * 2), now);
      return this.#rate;
    }
    // After a storm, climb back as slow start does; after the cut, by RECOVER_STEP.
    const storm = this.#cut?.storm === true;
    if (
      this.#cut &&
      this.#ceiling !== undefined &&
      calm >= (storm ? SLOW_START_STEP_MS : RECOVER_CALM_MS) &&
      this.#acceptedSinceCalm >= (storm ? SLOW_START_MIN_REQUESTS : RECOVER_MIN_REQUESTS)
    ) {
      // No push-back since the cut: it may have been too deep (a window still draining after slow
      // start refuses too). Climb back toward the first measure; a push-back on the way measures.
      const from = this.#cut.from;
      this.#cut.steps++;
      this.#settleUnder(Math.min(from, this.#ceiling * (storm ? 2 : RECOVER_STEP)), now);
      if (this.#ceiling >= from) this.#cut = undefined;
      return this.#rate;
    }
    const probeEvery = Math.max(this.#probeEvery, (PROBE_AFTER_REQUESTS * 1000) / this.#rate);
    if (calm >= probeEvery && this.#ceiling !== undefined) {
      if (this.#rate > this.#wall) {
        // Running above the old wall without a push-back: the limit has risen. Probe again soon, and further.
        this.#probeEvery = PROBE_EVERY_MS;
        this.#probeStep = Math.min(PROBE_STEP_MAX, this.#probeStep * 2);
      }
      // Probe: the limit may have risen. A push-back brings the ceiling down again.
      this.#ceiling *= 1 + this.#probeStep;
      this.#set(Math.min(this.max, this.#ceiling * SETTLE), now);
    }
    return this.#rate;
  }

  /**
   * The registrar pushed back: settle under what it accepted over the last second. `sentAt` is
   * when the refused request left: one sent before the rate last changed carries old news.
   */
  pushBack(sentAt?: number): number {
    const now = this.#clock.now();
    const previous = this.#lastPushBack;
    const oldNews = sentAt !== undefined ? sentAt < this.#lastChange : now - previous < 300;
    if (this.#phase === "settled" && oldNews) return this.#rate;
    this.#lastPushBack = now;
    this.#acceptedSinceCalm = 0;
    const acceptedSince = this.#acceptedSincePushBack;
    this.#acceptedSincePushBack = 0;
    if (now - previous >= 2000) this.#episodeFrom = this.#ceiling;
    const probing = this.#phase === "settled" && this.#rate > this.#wall * SETTLE * 1.001;
    // Settled at the wall, a rare lone push-back is jitter at the edge of the limit (requests that
    // left evenly spaced arrived bunched). What got through is then only what was sent, and
    // measuring it would ratchet the ceiling down by the settle margin each time. A second one
    // within two seconds means the registrar accepts less: measure then. (The push-back still
    // delays the next probe.) Lone ones more often than one in a hundred are not jitter but a
    // ceiling a little too high (a fixed window's count over a span that crosses its edges, 3.2 for
    // a limit of 3): step down by the settle margin.
    if (this.#phase === "settled" && !probing && now - previous >= 2000 && !this.#cut) {
      if (acceptedSince >= JITTER_ONE_IN || this.#ceiling === undefined) return this.#rate;
      this.#settleUnder(this.#ceiling * SETTLE, now);
      return this.#rate;
    }
    if (this.#cut) return this.#afterCut(now, previous, acceptedSince);
    const counted = this.#measure(now);
    if (counted === undefined && this.#phase === "settled") return this.#storm(now);
    let measured = counted ?? this.#rate / 2;
    if (
      !this.#cutDone &&
      this.#phase === "settled" &&
      !probing &&
      this.#ceiling !== undefined &&
      now - this.#settledAt < CUT_WITHIN_MS &&
      acceptedSince >= 1
    ) {
      this.#cutDone = true;
      this.#cut = { from: this.#ceiling, steps: 0 };
      measured = Math.min(measured, this.#ceiling * CUT);
    }
    if (this.#phase === "slow-start") this.#settledAt = now;
    if (probing && measured <= this.#wall * 1.01) {
      // A probe met the old wall: back under it, and probe less often.
      this.#ceiling = this.#wall;
      this.#probeEvery = Math.min(PROBE_EVERY_MAX_MS, this.#probeEvery * 2);
    } else {
      // The first push-back, a limit that rose (probes went through), or one that fell (sustained
      // push-back at the wall: never above the ceiling then). Never far above the rate that met it:
      // a registrar counting a window never accepts more than its limit in it, so what it accepted
      // is the limit or near it.
      const cap = probing ? Number.POSITIVE_INFINITY : (this.#ceiling ?? Number.POSITIVE_INFINITY);
      this.#ceiling = Math.max(0.2, Math.min(measured, cap, this.#rate * 1.1));
      this.#probeEvery = PROBE_EVERY_MS;
    }
    this.#probeStep = PROBE_STEP;
    this.#phase = "settled";
    this.#settleUnder(this.#ceiling, now);
    return this.#rate;
  }

  /**
   * A push-back after the cut. At the cut, for DRAIN_MS after the first push-back a sliding window
   * still draining the slow start's last burst refuses too, and is not news; after that, with a few
   * requests through since the last refusal, what got through between the two is the rate a bucket
   * refills at. While climbing back, the registrar's window is full when it refuses: the last
   * second's count. Either way never above the ceiling the cut came from.
   */
  #afterCut(now: number, previous: number, acceptedSince: number): number {
    const cut = this.#cut!;
    const counted = this.#measure(now);
    if (counted === undefined && cut.steps > 0) return this.#storm(now);
    let measured = Math.min(cut.from, counted ?? this.#rate / 2);
    if (cut.steps === 0) {
      if (now - this.#settledAt < DRAIN_MS || acceptedSince < 3) return this.#rate;
      measured = Math.min(measured, (acceptedSince * 1000) / (now - previous));
    }
    this.#cut = undefined;
    this.#probeEvery = PROBE_EVERY_MS;
    this.#settleUnder(measured, now);
    return this.#rate;
  }

  /**
   * Refused with too few through to measure (fewer than STORM_BELOW over the measure's span): the
   * registrar refuses nearly everything (a 503 storm, an outage), which says nothing about its
   * limit. Halve the rate, and once requests go through again climb back as slow start does
   * (doubling), to the ceiling from before the push-backs began; a push-back on the way measures,
   * as after the cut.
   */
  #storm(now: number): number {
    const from = Math.max(this.#cut?.from ?? 0, this.#episodeFrom ?? 0, this.#ceiling ?? 0);
    this.#cut = { from, steps: 1, storm: true };
    this.#cutDone = true;
    this.#probeEvery = PROBE_EVERY_MS;
    this.#probeStep = PROBE_STEP;
    this.#settleUnder(this.#rate / 2 / SETTLE, now);
    return this.#rate;
  }

  /** Take `ceiling` as the registrar's limit (the wall) and run just under it: never over MAX, never stopped. */
  #settleUnder(ceiling: number, now: number): void {
    this.#ceiling = Math.max(0.2, ceiling);
    this.#wall = this.#ceiling;
    this.#set(Math.min(this.max, Math.max(0.2, this.#ceiling * SETTLE)), now);
  }

  /**
   * What got through over the last second, or over two once the rate has held that long (at a few
   * requests a second, one second's count is too coarse: 2 or 3 at a limit of 3). Too few to
   * measure (fewer than STORM_BELOW a second: after a long pause, or nearly everything refused):
   * undefined.
   */
  #measure(now: number): number | undefined {
    const window = now - this.#lastChange >= 2000 ? 2000 : 1000;
    const accepted = (this.#accepted.count(now, window) * 1000) / window;
    return accepted >= STORM_BELOW ? accepted : undefined;
  }

  #set(rate: number, now: number): void {
    this.#rate = rate;
    this.#lastChange = now;
    this.#acceptedSinceCalm = 0;
  }
}
