/**
 * Request/answer traces for `--rate auto` replay tests, on a virtual clock (no wall time).
 *
 * A trace is one line per request, in the order they were sent: `{"t_ms":…,"rtt_ms":…,"outcome":…}`
 * (sent at `t_ms`, answered `rtt_ms` later, `ok`, `429` or `503`). {@link drive} sends requests at
 * the controller's rate and feeds each answer to it when it comes back; what answers is either a
 * simulated registrar (recording a trace) or a stored trace (replaying it). Replaying checks that
 * each request leaves when the controller's rate says it does: a change in what the controller
 * decides shows up as the first request that would have left at another time.
 */

import { prng } from "@regdom/sandbox";
import { AutoRate } from "../client/autoRate.js";

type Outcome = "ok" | "429" | "503";

/** One request of a trace. */
export interface TraceLine {
  /** When the request was sent (ms since the run began). */
  t_ms: number;
  /** How long its answer took to come back. */
  rtt_ms: number;
  outcome: Outcome;
}

/** A simulated registrar: its answer to a request that reaches it at `now`. */
export type Limit = (now: number) => Outcome;

/** A registrar counting a one-second sliding window, a token bucket with a burst, or calendar seconds. */
export function simulatedLimit(shape: "sliding" | "bucket" | "fixed", limit: number, burst = limit): Limit {
  const stamps: number[] = [];
  let tokens = burst;
  let last = 0;
  let second = -1;
  let inSecond = 0;
  return (now) => {
    if (shape === "fixed") {
      if (Math.floor(now / 1000) !== second) {
        second = Math.floor(now / 1000);
        inSecond = 0;
      }
      if (inSecond >= limit) return "429";
      inSecond++;
      return "ok";
    }
    if (shape === "bucket") {
      tokens = Math.min(burst, tokens + ((now - last) * limit) / 1000);
      last = now;
      if (tokens < 1) return "429";
      tokens -= 1;
      return "ok";
    }
    while (stamps.length && stamps[0]! <= now - 1000) stamps.shift();
    if (stamps.length >= limit) return "429";
    stamps.push(now);
    return "ok";
  };
}

/** A deterministic pseudo-random source (the sandbox's mulberry32): the same seed, the same trace. */
export const seeded: (seed: number) => () => number = prng;

export interface DriveOptions {
  /** How long the run sends (ms). */
  ms: number;
  /** `auto:MAX`. */
  max?: number;
  /** A remembered ceiling. */
  ceiling?: number;
}

/** What answers a request sent at `t`: its round trip and outcome. */
export type Answerer = (t: number, index: number) => { rtt_ms: number; outcome: Outcome };

export interface Driven {
  trace: TraceLine[];
  auto: AutoRate;
  /** The controller's rate after each answer, with the time it came. */
  rates: { t: number; rate: number }[];
}

/** Milliseconds between two requests at `rate` (whole milliseconds: traces hold integers). */
const gapAt = (rate: number) => Math.max(1, Math.round(1000 / rate));

/**
 * Sends requests at the controller's rate for `o.ms` and feeds it each answer when it comes back
 * (a refusal as a push-back of a request sent at `t_ms`). One sender, any number in flight.
 */
export function drive(o: DriveOptions, answer: Answerer): Driven {
  let now = 0;
  const auto = new AutoRate(
    { max: o.max ?? 1000, ...(o.ceiling !== undefined ? { ceiling: o.ceiling } : {}) },
    { now: () => now, sleep: async () => {} },
  );
  const trace: TraceLine[] = [];
  const rates: Driven["rates"] = [];
  const inFlight: { at: number; line: TraceLine }[] = [];
  let last: number | undefined;
  for (;;) {
    let next = last === undefined ? 0 : last + gapAt(auto.rate);
    // Answers due before the next request are read first (one due at the same moment too): each may change the rate.
    while (inFlight.length > 0 && inFlight[0]!.at <= next) {
      const { at, line } = inFlight.shift()!;
      now = at;
      if (line.outcome === "ok") auto.success();
      else auto.pushBack(line.t_ms);
      rates.push({ t: now, rate: auto.rate });
      next = Math.max(now, (last ?? 0) + gapAt(auto.rate));
    }
    if (next >= o.ms) break;
    now = next;
    last = next;
    const a = answer(next, trace.length);
    const line: TraceLine = { t_ms: next, rtt_ms: a.rtt_ms, outcome: a.outcome };
    trace.push(line);
    const at = next + a.rtt_ms;
    let i = inFlight.length;
    while (i > 0 && inFlight[i - 1]!.at > at) i--;
    inFlight.splice(i, 0, { at, line });
  }
  return { trace, auto, rates };
}

/** Answers from a simulated registrar that each request reaches halfway through its round trip. */
export function fromLimit(limit: Limit, rtt: (t: number) => number = () => 20): Answerer {
  return (t) => {
    const rtt_ms = rtt(t);
    return { rtt_ms, outcome: limit(t + rtt_ms / 2) };
  };
}

/** The trace as JSONL. */
export const toJsonl = (trace: TraceLine[]): string => trace.map((l) => `${JSON.stringify(l)}\n`).join("");

/** A JSONL trace, checked line by line (`name:line` in every message). */
export function fromJsonl(text: string, name: string): TraceLine[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const v = JSON.parse(l) as Partial<TraceLine>;
      if (
        typeof v.t_ms !== "number" ||
        typeof v.rtt_ms !== "number" ||
        (v.outcome !== "ok" && v.outcome !== "429" && v.outcome !== "503")
      )
        throw new Error(`${name}:${i + 1}: not a trace line (t_ms, rtt_ms, outcome ok|429|503): ${l}`);
      return { t_ms: v.t_ms, rtt_ms: v.rtt_ms, outcome: v.outcome };
    });
}

/**
 * Answers from a stored trace. The request must leave when the trace says it did: a controller
 * that decides otherwise is not the one the trace was recorded with.
 */
export function fromTrace(trace: TraceLine[], name: string): Answerer {
  return (t, i) => {
    const line = trace[i];
    if (!line) throw new Error(`${name}: request ${i + 1} sent at ${t} ms, after the trace's last request`);
    if (line.t_ms !== t)
      throw new Error(
        `${name}:${i + 1}: the controller sent this request at ${t} ms, the trace at ${line.t_ms} ms (it decided differently before it)`,
      );
    return { rtt_ms: line.rtt_ms, outcome: line.outcome };
  };
}
