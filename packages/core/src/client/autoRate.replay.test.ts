/**
 * `--rate auto` replayed: one stored request/answer trace per limit shape
 * (test-fixtures/rate-traces/*.jsonl, one request a line: `t_ms`, `rtt_ms`, `outcome` ok|429|503)
 * is fed to the controller on a virtual clock. Each request must leave when the controller's rate
 * says it does, so a change in what the controller decides fails at the first request that would
 * have left at another time; then what the trace achieved is what the controller achieves: most of
 * the limit, few refusals once settled, and the state it ends in.
 *
 * The traces are recorded from the simulated registrars below (`SCENARIOS`, deterministic: seeded
 * jitter, virtual time). After a deliberate change to the controller, record them again and review
 * the numbers these tests print on failure:
 *   cd packages/core && REGDOM_RECORD_TRACES=1 npx vitest run src/client/autoRate.replay.test.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Answerer,
  type DriveOptions,
  drive,
  fromJsonl,
  fromLimit,
  fromTrace,
  type Limit,
  seeded,
  simulatedLimit,
  type TraceLine,
  toJsonl,
} from "../test-support/rateTraces.js";

const DIR = new URL("../../../../test-fixtures/rate-traces/", import.meta.url).pathname;

interface Scenario {
  /** What the trace holds. */
  about: string;
  drive: DriveOptions;
  /** The simulated registrar the trace was recorded from (a fresh one per recording). */
  record: () => Answerer;
  /** Windows after settling [from, to) ms, with the limit in force over each. */
  settled: { from: number; to: number; limit: number }[];
  /** Most of the limit: accepted a second over each settled window, at least this share of it. */
  achievedAtLeast: number;
  /** Refusals a minute over the settled windows, at most. */
  refusalsPerMinuteAtMost: number;
  /**
   * The state the controller ends in (`probing`: the last probe went through and runs a little
   * above the wall until a refusal), its rate and its ceiling against the last limit.
   */
  endsIn: "settled" | "probing" | "cut";
}

/** A registrar that switches from one limit to another at `at` ms. */
function switching(first: Limit, at: number, then: Limit): Limit {
  return (now) => (now < at ? first(now) : then(now));
}

const SCENARIOS: Record<string, Scenario> = {
  "sliding-window": {
    about: "a one-second sliding window of 10",
    drive: { ms: 60_000 },
    record: () => fromLimit(simulatedLimit("sliding", 10)),
    settled: [{ from: 15_000, to: 60_000, limit: 10 }],
    achievedAtLeast: 0.9,
    refusalsPerMinuteAtMost: 3,
    endsIn: "probing",
  },
  "token-bucket": {
    about: "a token bucket of 10 a second with a burst of 20",
    drive: { ms: 60_000 },
    record: () => fromLimit(simulatedLimit("bucket", 10, 20)),
    settled: [{ from: 15_000, to: 60_000, limit: 10 }],
    achievedAtLeast: 0.9,
    refusalsPerMinuteAtMost: 3,
    endsIn: "probing",
  },
  "fixed-window": {
    about: "10 a calendar second (a window counted across its edge lets 20 through in a second)",
    drive: { ms: 60_000 },
    record: () => fromLimit(simulatedLimit("fixed", 10)),
    settled: [{ from: 15_000, to: 60_000, limit: 10 }],
    achievedAtLeast: 0.9,
    refusalsPerMinuteAtMost: 3,
    endsIn: "probing",
  },
  "rising-limit": {
    about: "a sliding window of 5 that becomes 10 at 60 s",
    drive: { ms: 180_000 },
    record: () => fromLimit(switching(simulatedLimit("sliding", 5), 60_000, simulatedLimit("sliding", 10))),
    settled: [
      { from: 15_000, to: 60_000, limit: 5 },
      // Found within a minute or two of rising.
      { from: 150_000, to: 180_000, limit: 10 },
    ],
    achievedAtLeast: 0.9,
    refusalsPerMinuteAtMost: 3,
    endsIn: "probing",
  },
  "jittery-push-backs": {
    about: "a sliding window of 10, answers taking 5 to 85 ms: requests sent evenly arrive bunched",
    drive: { ms: 90_000 },
    record: () => {
      const random = seeded(27);
      return fromLimit(simulatedLimit("sliding", 10), () => 5 + Math.round(random() * 80));
    },
    settled: [{ from: 15_000, to: 90_000, limit: 10 }],
    achievedAtLeast: 0.9,
    refusalsPerMinuteAtMost: 5,
    endsIn: "probing",
  },
  "503-storm": {
    about: "a sliding window of 10 that answers every request 503 from 20 s to 25 s",
    drive: { ms: 90_000 },
    record: () => {
      const limit = simulatedLimit("sliding", 10);
      return fromLimit((now) => (now >= 20_000 && now < 25_000 ? "503" : limit(now)));
    },
    settled: [
      { from: 10_000, to: 20_000, limit: 10 },
      // Back at the limit within half a minute of the storm.
      { from: 55_000, to: 90_000, limit: 10 },
    ],
    achievedAtLeast: 0.9,
    refusalsPerMinuteAtMost: 3,
    endsIn: "settled",
  },
  "old-news": {
    about: "a sliding window of 10, answers taking 600 ms: refusals of requests sent before the rate changed",
    drive: { ms: 60_000 },
    record: () => fromLimit(simulatedLimit("sliding", 10), () => 600),
    settled: [{ from: 15_000, to: 60_000, limit: 10 }],
    achievedAtLeast: 0.9,
    refusalsPerMinuteAtMost: 3,
    endsIn: "probing",
  },
};

/** Accepted a second and refusals a minute over [from, to). */
function over(trace: TraceLine[], from: number, to: number) {
  const sent = trace.filter((l) => l.t_ms >= from && l.t_ms < to);
  const accepted = sent.filter((l) => l.outcome === "ok").length;
  return {
    achieved: accepted / ((to - from) / 1000),
    refusalsPerMinute: (sent.length - accepted) / ((to - from) / 60_000),
  };
}

describe("--rate auto replayed against recorded traces (virtual time)", () => {
  for (const [name, s] of Object.entries(SCENARIOS))
    it(`${name}: ${s.about}`, () => {
      const file = `${DIR}${name}.jsonl`;
      if (process.env.REGDOM_RECORD_TRACES) writeFileSync(file, toJsonl(drive(s.drive, s.record()).trace));
      const trace = fromJsonl(readFileSync(file, "utf8"), `${name}.jsonl`);
      const r = drive(s.drive, fromTrace(trace, `${name}.jsonl`));
      // Every request of the trace left when the controller said, and no other. (Soft below: every
      // number that misses is printed.)
      expect(
        r.trace.length,
        `${name}.jsonl: the controller sent ${r.trace.length} of the trace's ${trace.length} requests`,
      ).toBe(trace.length);
      for (const w of s.settled) {
        const { achieved, refusalsPerMinute } = over(trace, w.from, w.to);
        const at = `${name}.jsonl ${w.from / 1000}–${w.to / 1000} s`;
        expect
          .soft(achieved, `${at}: accepted ${achieved.toFixed(2)}/s of ${w.limit}`)
          .toBeGreaterThanOrEqual(s.achievedAtLeast * w.limit);
        expect.soft(refusalsPerMinute, `${at}: refusals a minute`).toBeLessThanOrEqual(s.refusalsPerMinuteAtMost);
      }
      const last = s.settled.at(-1)!.limit;
      expect.soft(r.auto.state, `${name}.jsonl: the state it ends in`).toBe(s.endsIn);
      // A probe may run a little above the limit until it is refused.
      expect.soft(r.auto.rate, `${name}.jsonl: the rate it ends at`).toBeLessThanOrEqual(1.05 * last);
      expect.soft(r.auto.ceiling, `${name}.jsonl: the ceiling it ends with`).toBeGreaterThanOrEqual(0.9 * last);
      expect.soft(r.auto.ceiling, `${name}.jsonl: the ceiling it ends with`).toBeLessThanOrEqual(1.15 * last);
    });
});

describe("a trace", () => {
  it("is refused when the controller would have sent a request at another time than it did", () => {
    const trace: TraceLine[] = [
      { t_ms: 0, rtt_ms: 20, outcome: "ok" },
      { t_ms: 100, rtt_ms: 20, outcome: "ok" },
    ];
    // At 4 req/s the second request leaves at 250 ms, not 100.
    expect(() => drive({ ms: 1000 }, fromTrace(trace, "t.jsonl"))).toThrow(
      "t.jsonl:2: the controller sent this request at 250 ms, the trace at 100 ms",
    );
  });
  it("names the line that is not a trace line", () => {
    expect(() => fromJsonl('{"t_ms":0,"rtt_ms":20,"outcome":"ok"}\n{"t_ms":250,"outcome":"500"}\n', "t.jsonl")).toThrow(
      "t.jsonl:2: not a trace line",
    );
  });
});
