/** Faults the sandbox can inject, each settable at start and changeable while running. */
export interface Faults {
  /** Added to every answer, ms. */
  latencyMs: number;
  /** Up to this much more, at random, ms. */
  jitterMs: number;
  /** HTTP 500 before any change. */
  failRate: number;
  /** Socket destroyed: half before the change, half after it (the answer is lost). */
  resetRate: number;
  /** HTTP 429 with Retry-After past this many requests per second (0: no limit). */
  rateLimit: number;
  /**
   * How the limit is counted, as real APIs do: a one-second sliding window; a token bucket that
   * refills at `rateLimit` per second and holds `burst` tokens; or a fixed window per clock second.
   */
  limitShape?: "sliding" | "bucket" | "fixed";
  /** The token bucket's size (default: `rateLimit`). */
  burst?: number;
  /** PHP warning text before the JSON, or an HTML page instead of it. */
  garbageRate: number;
  /**
   * Actions (lower case) that fail with this registrar message, `{"result":"error","msg":…}` with
   * HTTP 200, before any change: the shapes a real registrar refuses with.
   */
  failActions?: Record<string, string>;
}

export const NO_FAULTS: Faults = { latencyMs: 0, jitterMs: 0, failRate: 0, resetRate: 0, rateLimit: 0, garbageRate: 0 };

export type InjectedFault =
  | "fail"
  | "reset-before"
  | "reset-after"
  | "rate-limited"
  | "garbage-warning"
  | "garbage-html";

/** Small seeded PRNG (mulberry32): fault patterns repeat for the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a of a string's UTF-16 units: a stable key for a request's fault draws. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Where one request's fault draws come from. "sequence": the sandbox's one random stream, in the
 * order requests arrive. "hashed": a stream of its own, seeded from (seed, action, domain, attempt),
 * the attempt counting that action's requests for that domain, so concurrent workers' order does
 * not change which request gets which fault.
 */
export function faultDraws(
  mode: "sequence" | "hashed",
  seed: number,
  stream: () => number,
): (action: string, domain: string) => () => number {
  if (mode === "sequence") return () => stream;
  const attempts = new Map<string, number>();
  return (action, domain) => {
    const key = `${action}\u0000${domain}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    return prng(fnv1a(`${seed}\u0000${key}\u0000${attempt}`));
  };
}

/** A one-second sliding count, to answer 429 past the configured rate. */
class RateWindow {
  #stamps: number[] = [];
  #head = 0;
  allow(limit: number, now = performance.now()): boolean {
    if (limit <= 0) return true;
    while (this.#head < this.#stamps.length && this.#stamps[this.#head]! <= now - 1000) this.#head++;
    if (this.#head > 4096) {
      this.#stamps = this.#stamps.slice(this.#head);
      this.#head = 0;
    }
    if (this.#stamps.length - this.#head >= limit) return false;
    this.#stamps.push(now);
    return true;
  }
}

/** The three shapes a rate limit takes; answers whether a request may pass, else after how long. */
export class RateGate {
  readonly #window = new RateWindow();
  #tokens = Number.NaN;
  #last = 0;
  #second = -1;
  #count = 0;

  allow(f: Faults, now = performance.now()): { ok: true } | { ok: false; retryAfterS: number } {
    const limit = f.rateLimit;
    if (limit <= 0) return { ok: true };
    switch (f.limitShape ?? "sliding") {
      case "bucket": {
        const cap = Math.max(1, f.burst ?? limit);
        this.#tokens = Number.isNaN(this.#tokens)
          ? cap
          : Math.min(cap, this.#tokens + ((now - this.#last) * limit) / 1000);
        this.#last = now;
        if (this.#tokens >= 1) {
          this.#tokens -= 1;
          return { ok: true };
        }
        return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - this.#tokens) / limit)) };
      }
      case "fixed": {
        const second = Math.floor(now / 1000);
        if (second !== this.#second) {
          this.#second = second;
          this.#count = 0;
        }
        if (this.#count < limit) {
          this.#count++;
          return { ok: true };
        }
        return { ok: false, retryAfterS: 1 };
      }
      default:
        return this.#window.allow(limit, now) ? { ok: true } : { ok: false, retryAfterS: 1 };
    }
  }
}
