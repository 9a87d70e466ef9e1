/**
 * `--rate auto` against simulated registrars (a virtual clock, no wall time): it finds the limit of
 * each shape, settles just under it, and is rarely refused once it has.
 */
import { describe, expect, it } from "vitest";
import { RateLimitedError } from "../errors.js";
import { simulatedLimit } from "../test-support/rateTraces.js";
import { virtualClock } from "../test-support/virtualClock.js";
import { AutoRate } from "./autoRate.js";
import { Scheduler } from "./scheduler.js";

/** A registrar counting a one-second sliding window, a token bucket with a burst, or calendar seconds: does it accept? */
function registrar(shape: "sliding" | "bucket" | "fixed", limit: number, burst = limit) {
  const answer = simulatedLimit(shape, limit, burst);
  return (now: number): boolean => answer(now) === "ok";
}

function run(shape: "sliding" | "bucket", limit: number, seconds: number, ceiling?: number) {
  let now = 0;
  const auto = new AutoRate(
    { max: 1000, ...(ceiling !== undefined ? { ceiling } : {}) },
    { now: () => now, sleep: async () => {} },
  );
  const allow = registrar(shape, limit, shape === "bucket" ? limit * 2 : limit);
  let sent = 0;
  let refused = 0;
  while (now < seconds * 1000) {
    sent++;
    if (allow(now)) auto.success();
    else {
      refused++;
      auto.pushBack();
    }
    now += 1000 / auto.rate;
  }
  return { sent, refused, accepted: sent - refused, auto };
}

describe("AutoRate", () => {
  for (const shape of ["sliding", "bucket"] as const)
    for (const limit of [3, 10, 40])
      it(`finds a ${shape} limit of ${limit}/s and settles just under it`, () => {
        const r = run(shape, limit, 60);
        expect(r.auto.ceiling).toBeGreaterThan(limit * 0.9);
        expect(r.auto.ceiling).toBeLessThan(limit * 1.15);
        expect(r.accepted / 60).toBeGreaterThan(limit * 0.85);
        // A bucket's burst is measured as if it were the rate once; the bench row holds the 2% target.
        expect(r.refused / r.sent).toBeLessThan(shape === "bucket" ? 0.04 : 0.03);
      });
  it("starts just under a remembered ceiling and is not refused", () => {
    const r = run("sliding", 10, 30, 9.8);
    expect(r.refused).toBe(0);
    expect(r.accepted / 30).toBeGreaterThan(9);
  });
});

describe("--rate auto through the scheduler (8 workers, 20 ms answers, Retry-After 1 s; virtual time)", () => {
  for (const shape of ["sliding", "bucket", "fixed"] as const)
    for (const limit of [3, 10, 40])
      it(`${shape} limit ${limit}/s: most of the limit, few refusals`, async () => {
        const v = virtualClock(0);
        const s = new Scheduler({ rate: { max: 1000 }, concurrency: 8, minBackoffMs: 1, retries: 50, clock: v.clock });
        const allow = registrar(shape, limit, shape === "bucket" ? limit * 2 : limit);
        let sent = 0;
        let refused = 0;
        await v.run(
          Promise.all(
            Array.from({ length: limit * 30 }, () =>
              s.run({ action: "X", kind: "read" }, async () => {
                sent++;
                const arrives = v.clock.now() + 10;
                await v.clock.sleep(20);
                if (allow(arrives)) return;
                refused++;
                throw new RateLimitedError({ action: "X", retryAfterMs: 1000 });
              }),
            ),
          ),
        );
        const achieved = sent / (v.clock.now() / 1000) / limit;
        // The bench row (real CLI, real sandbox) holds the targets; these bound the algorithm.
        expect(achieved).toBeGreaterThan(0.9);
        // The 2%; at 3/s a 30-second run is 90 requests, and the first refusal alone is 1.1%
        // (a bucket's burst needs two more: one to find it was a burst, one to find the rate).
        expect(refused / sent).toBeLessThan(limit === 3 ? 0.035 : 0.02);
      });
});

describe("a 503 storm through the scheduler (8 workers, 20 ms answers, Retry-After 1 s; virtual time)", () => {
  it("is not taken for the limit: back near the limit within half a minute of the storm", async () => {
    const v = virtualClock(0);
    const s = new Scheduler({ rate: { max: 1000 }, concurrency: 8, minBackoffMs: 1, retries: 50, clock: v.clock });
    const allow = registrar("sliding", 10);
    const accepted: number[] = [];
    await v.run(
      Promise.all(
        Array.from({ length: 900 }, () =>
          s.run({ action: "X", kind: "read" }, async () => {
            const arrives = v.clock.now() + 10;
            await v.clock.sleep(20);
            // From 20 s to 25 s the registrar answers every request 503.
            if ((arrives < 20_000 || arrives >= 25_000) && allow(arrives)) {
              accepted.push(arrives);
              return;
            }
            throw new RateLimitedError({ action: "X", retryAfterMs: 1000 });
          }),
        ),
      ),
    );
    // Taken for measures, the storm left the run at a fraction of a request a second for minutes.
    const after = accepted.filter((t) => t >= 55_000 && t < 85_000).length / 30;
    expect(after).toBeGreaterThan(9);
  });
});

describe("which push-backs are news", () => {
  /** Slow start until the rate passes 60 req/s, every request accepted; then the first push-back. */
  function afterFirstPushBack() {
    let now = 0;
    const auto = new AutoRate({ max: 1000 }, { now: () => now, sleep: async () => {} });
    while (auto.rate < 60) {
      auto.success();
      now += 1000 / auto.rate;
    }
    auto.pushBack(now - 20);
    return { auto, at: (t: number) => (now = t), now: () => now };
  }
  it("a refusal of a request sent after the rate changed is measured, however soon it comes", () => {
    const c = afterFirstPushBack();
    const first = c.auto.ceiling!;
    const t1 = c.now();
    // Nothing accepted since (a bucket's burst is spent): the registrar accepts less than measured.
    c.at(t1 + 250);
    c.auto.pushBack(t1 + 100);
    expect(c.auto.ceiling!).toBeLessThan(first);
  });
  it("a refusal of a request sent before the rate changed is old news, however late it comes", () => {
    const c = afterFirstPushBack();
    const first = c.auto.ceiling!;
    const t1 = c.now();
    c.at(t1 + 400);
    c.auto.pushBack(t1 - 10);
    expect(c.auto.ceiling).toBe(first);
  });
});

describe("auto:MAX", () => {
  it("never runs above MAX, even when the registrar accepted a little more than MAX in the last second", () => {
    // Answers bunch: eleven came back within a second at a rate of 10. Settling at 97% of that
    // (10.7) ran above the user's cap.
    let now = 0;
    const auto = new AutoRate({ max: 10 }, { now: () => now, sleep: async () => {} });
    while (auto.rate < 10) {
      auto.success();
      now += 1000 / auto.rate;
    }
    for (let i = 0; i < 11; i++) {
      auto.success();
      now += 90;
    }
    auto.pushBack(now - 5);
    expect(auto.ceiling).toBeGreaterThan(10);
    expect(auto.rate).toBeLessThanOrEqual(10);
  });
  it("auto:20 (the CLI's default) reaches 20 and never goes above it: from a remembered rate, through ten minutes of probes", () => {
    for (const ceiling of [undefined, 12.5, 25]) {
      let now = 0;
      const auto = new AutoRate(
        { max: 20, ...(ceiling !== undefined ? { ceiling } : {}) },
        {
          now: () => now,
          sleep: async () => {},
        },
      );
      // Just under a remembered ceiling (97% of it), never above max.
      expect(auto.rate).toBe(ceiling === undefined ? 4 : Math.min(20, ceiling * 0.97));
      let highest = 0;
      while (now < 600_000) {
        auto.success();
        highest = Math.max(highest, auto.rate);
        now += 1000 / auto.rate;
      }
      expect(highest).toBe(20);
      expect(auto.rate).toBe(20);
    }
  });
});

describe("the cut after slow start", () => {
  it("a sliding window still draining the slow start's burst does not pin the rate at the cut", () => {
    // Found by the bench: refused at the wall, cut to half (a bucket would refuse like that), then
    // refused once more while the window drained, which was taken to confirm the cut: 53% of 40/s.
    let now = 0;
    const auto = new AutoRate({ max: 1000 }, { now: () => now, sleep: async () => {} });
    while (auto.rate < 60) {
      auto.success();
      now += 1000 / auto.rate;
    }
    // A quarter second at 64 req/s, then the window of 40 is full.
    for (const until = now + 250; now < until; now += 1000 / auto.rate) auto.success();
    auto.pushBack(now - 10);
    const first = auto.ceiling!;
    expect(first).toBeGreaterThan(30);
    const t1 = now;
    const step = (until: number, refuseAt: number[]) => {
      while (now < until) {
        now += 1000 / auto.rate;
        if (refuseAt.length > 0 && now >= refuseAt[0]!) {
          refuseAt.shift();
          auto.pushBack(now - 20);
        } else auto.success();
      }
    };
    step(t1 + 4000, [t1 + 80, t1 + 260]);
    expect(auto.ceiling!).toBeGreaterThan(first * 0.9);
  });
});

describe("probing", () => {
  it("a probe that meets the same limit again waits longer next time: few refusals over a long run", () => {
    const r = run("sliding", 10, 600);
    // Probing every 10 s for 10 minutes ran into the same wall 33 times; backing off, about 10.
    expect(r.refused).toBeLessThanOrEqual(12);
    expect(r.accepted / 600).toBeGreaterThan(9.4);
  });
  it("still finds a limit that rises", () => {
    let now = 0;
    const auto = new AutoRate({ max: 1000 }, { now: () => now, sleep: async () => {} });
    let limit = 10;
    let allow = registrar("sliding", limit);
    let accepted = 0;
    while (now < 300_000) {
      if (now >= 120_000 && limit === 10) {
        limit = 20;
        allow = registrar("sliding", limit);
      }
      if (allow(now)) {
        auto.success();
        if (now > 240_000) accepted++;
      } else auto.pushBack();
      now += 1000 / auto.rate;
    }
    // Within two minutes of the limit doubling, the rate has followed most of the way.
    expect(accepted / 60).toBeGreaterThan(15);
  });
});

describe("jitter", () => {
  it("a lone push-back at the wall (a request that arrived early) does not ratchet the rate down", () => {
    let now = 0;
    const auto = new AutoRate({ max: 1000, ceiling: 10 }, { now: () => now, sleep: async () => {} });
    const allow = registrar("sliding", 10);
    let n = 0;
    while (now < 120_000) {
      n++;
      // Every 150th request arrives bunched with the one before and is refused, 15 s apart.
      if (allow(now) && n % 150 !== 0) auto.success();
      else auto.pushBack();
      now += 1000 / auto.rate;
    }
    expect(auto.rate).toBeGreaterThan(9.4);
  });
  it("lone push-backs more often than one in a hundred bring a ceiling a little too high down", () => {
    // A fixed window of 3 a second, and 3.2 remembered from a run that measured across its edges:
    // one refusal every five seconds, each alone, each taken for jitter, for the whole run.
    let now = 0;
    const auto = new AutoRate({ max: 1000, ceiling: 3.2 }, { now: () => now, sleep: async () => {} });
    const allow = registrar("fixed", 3);
    let refused = 0;
    while (now < 120_000) {
      if (allow(now)) auto.success();
      else {
        refused++;
        auto.pushBack(now);
      }
      now += 1000 / auto.rate;
    }
    // Taken for jitter every time, that was 24 refusals in two minutes at 3.2; stepping down, five.
    expect(refused).toBeLessThanOrEqual(6);
    expect(auto.rate).toBeLessThan(3.05);
  });
});
