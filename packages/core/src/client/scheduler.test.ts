import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { OutcomeUnknownError, RateLimitedError, TransportError } from "../errors.js";
import { sandboxAndClient } from "../test-support/sandbox.js";
import { virtualClock } from "../test-support/virtualClock.js";
import { RegistrarClient } from "./registrarClient.js";
import { Scheduler } from "./scheduler.js";

const owner = {
  firstname: "A",
  lastname: "B",
  address1: "Gatan 1",
  city: "Umeå",
  country: "SE",
  email: "a@b.se",
  phone: "+46.1",
};

describe("Scheduler", () => {
  it("holds the request rate across all workers (virtual clock: no wall-clock bound)", async () => {
    const v = virtualClock();
    const s = new Scheduler({ rate: 40, concurrency: 8, minBackoffMs: 1, clock: v.clock });
    const starts: number[] = [];
    await v.run(
      Promise.all(
        Array.from({ length: 41 }, () => s.run({ action: "X", kind: "read" }, async () => starts.push(v.clock.now()))),
      ),
    );
    // 41 requests at 40/s: the first starts at once, then one every 25 ms (plus 3% of room for
    // network jitter, so a registrar's one-second window never sees 41), whichever worker sends it.
    expect(starts).toHaveLength(41);
    for (const [i, t] of starts.sort((a, b) => a - b).entries()) expect(t - 1_000).toBeCloseTo(i * 25 * 1.03, 6);
  });
  it("after a pause, the waiting workers start one slot apart, not all at once", async () => {
    const v = virtualClock();
    const s = new Scheduler({ rate: 40, concurrency: 8, minBackoffMs: 1, clock: v.clock });
    const starts: number[] = [];
    // The event loop stalls for 300 ms once (a long GC, a busy machine) while workers wait.
    v.stallOnceAt(1_050, 300);
    await v.run(
      Promise.all(
        Array.from({ length: 30 }, () => s.run({ action: "X", kind: "read" }, async () => starts.push(v.clock.now()))),
      ),
    );
    starts.sort((a, b) => a - b);
    // Any two starts stand at least most of a slot apart: a one-second window never sees a burst.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(25 * 1.03 * 0.9);
  });
  it("spaces the first starts of a run a slot apart, however young the process is", async () => {
    // performance.now() counts from the process's start: a CLI reaches its first request some 300 ms
    // in, under one slot at 3 req/s. The first two requests then went out together, and a registrar
    // allowing 3 a second refused the fourth.
    for (const rate of [3, 4]) {
      const v = virtualClock(300);
      const s = new Scheduler({ rate, concurrency: 8, minBackoffMs: 1, clock: v.clock });
      const starts: number[] = [];
      await v.run(
        Promise.all(
          Array.from({ length: 6 }, () => s.run({ action: "X", kind: "read" }, async () => starts.push(v.clock.now()))),
        ),
      );
      starts.sort((a, b) => a - b);
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeCloseTo((1000 / rate) * 1.03, 6);
    }
  });
  it("sends the run's first request alone, so a cold first request does not arrive bunched with the next", async () => {
    // The first request of a process leaves late (a connection to open, code loaded on first use).
    // Its slot-mates then reached the registrar 270 ms after it at 3 req/s, and the fourth request
    // fell inside the first one's second: a sliding window of 3 refused it.
    for (const rate of [3, 10]) {
      const v = virtualClock();
      const s = new Scheduler({ rate, concurrency: 8, minBackoffMs: 1, clock: v.clock });
      const arrivals: number[] = [];
      let sent = 0;
      const send = async () => {
        await v.clock.sleep(sent++ === 0 ? 70 : 1);
        arrivals.push(v.clock.now());
        await v.clock.sleep(20);
      };
      await v.run(Promise.all(Array.from({ length: 3 * rate }, () => s.run({ action: "X", kind: "read" }, send))));
      arrivals.sort((a, b) => a - b);
      // A one-second sliding window of `rate` never holds one more.
      for (let i = rate; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - rate]!).toBeGreaterThan(1000);
    }
  });
  it("a request waiting out its Retry-After gives up its place, so the others go on", async () => {
    // One worker: the refused request used to sleep its Retry-After inside the worker, and every
    // other request waited with it (eight refused at once stalled a whole run for a second).
    const v = virtualClock();
    const s = new Scheduler({ rate: 1000, concurrency: 1, minBackoffMs: 1, clock: v.clock });
    const starts: Record<string, number[]> = { a: [], b: [] };
    let refusedOnce = false;
    await v.run(
      Promise.all(
        ["a", "b"].map((name) =>
          s.run({ action: "X", kind: "read" }, async () => {
            starts[name]!.push(v.clock.now());
            if (name === "a" && !refusedOnce) {
              refusedOnce = true;
              throw new RateLimitedError({ action: "X", retryAfterMs: 1000 });
            }
          }),
        ),
      ),
    );
    expect(starts.a).toHaveLength(2);
    expect(starts.a![1]! - starts.a![0]!).toBeGreaterThanOrEqual(1000);
    expect(starts.b![0]! - starts.a![0]!).toBeLessThan(100);
  });
  it("refusals in a row hold every start back, doubling, instead of sending into a full window", async () => {
    // A fixed window that is full until it turns over half a second later refuses everything sent
    // into it. Holding back 2, 4, 8… slots after each refusal, a handful are refused.
    const v = virtualClock(0);
    const s = new Scheduler({
      rate: { max: 1000, ceiling: 40 / 0.97 },
      concurrency: 32,
      minBackoffMs: 1,
      retries: 50,
      clock: v.clock,
    });
    let refused = 0;
    await v.run(
      Promise.all(
        Array.from({ length: 160 }, () =>
          s.run({ action: "X", kind: "read" }, async () => {
            const arrives = v.clock.now() + 10;
            await v.clock.sleep(20);
            if (arrives >= 2000 && arrives < 2500) {
              refused++;
              throw new RateLimitedError({ action: "X", retryAfterMs: 1000 });
            }
          }),
        ),
      ),
    );
    expect(refused).toBeGreaterThan(0);
    // Sending on at the rate it was ten; holding back, four.
    expect(refused).toBeLessThanOrEqual(6);
  });
  it("never runs more than the concurrency at once", async () => {
    const s = new Scheduler({ rate: 10_000, concurrency: 3 });
    let now = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        s.run({ action: "X", kind: "read" }, async () => {
          peak = Math.max(peak, ++now);
          await new Promise((r) => setTimeout(r, 5));
          now--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
  it("retries reads after 5xx and succeeds", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ seed: 3, faults: { failRate: 0.5 }, randomSeed: 4 });
    try {
      const names = [...sandbox.state.domains.keys()];
      for (const n of names) expect(Array.isArray(await client.getDns(n))).toBe(true);
      expect(sandbox.requests.some((r) => r.fault === "fail")).toBe(true);
    } finally {
      await close();
    }
  });
  it("honours 429 and Retry-After by slowing down", async () => {
    const { sandbox, client, close } = await sandboxAndClient(
      { seed: 1, faults: { rateLimit: 5 } },
      { rate: 100, concurrency: 4 },
    );
    const rates: number[] = [];
    client.events.on((e) => {
      if (e.type === "rate") rates.push(e.rate);
    });
    try {
      const name = [...sandbox.state.domains.keys()][0]!;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 12 }, () => client.getLock(name)));
      const seconds = (performance.now() - t0) / 1000;
      expect(sandbox.requests.filter((r) => r.fault === "rate-limited").length).toBeGreaterThan(0);
      expect(rates.length).toBeGreaterThan(0);
      expect(Math.min(...rates)).toBeLessThan(100);
      // 12 requests at a limit of 5/s need at least two one-second windows (a lower bound only:
      // a slower machine passes it too).
      expect(seconds).toBeGreaterThanOrEqual(1.5);
    } finally {
      await close();
    }
  });
  it("never resends a money action whose answer was lost", async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      req.resume();
      req.on("end", () => req.socket.destroy());
      void res;
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api.php`;
    const client = new RegistrarClient({ endpoint: url, token: "t", authEmail: "e@x.se", minBackoffMs: 1, rate: 1000 });
    try {
      const e = await client.renewDomain("a.se", 1).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(OutcomeUnknownError);
      expect(calls).toBe(1);
      calls = 0;
      // A read on the same broken server is retried.
      const r = await client.getLock("a.se").catch((x: unknown) => x);
      expect(r).toBeInstanceOf(TransportError);
      expect(calls).toBe(7);
    } finally {
      await client.close();
      server.close();
    }
  });
  it("a money action refused with 429 is retried (it never ran) and runs once", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ faults: { rateLimit: 1 } }, { rate: 100 });
    try {
      await Promise.all([
        client.registerDomain("ett.se", { years: 1, owner }),
        client.registerDomain("tva.se", { years: 1, owner }),
        client.registerDomain("tre.se", { years: 1, owner }),
      ]);
      expect(sandbox.requests.filter((r) => r.fault === "rate-limited").length).toBeGreaterThan(0);
      for (const d of ["ett.se", "tva.se", "tre.se"]) expect(sandbox.executed("RegisterDomain", d)).toBe(1);
    } finally {
      await close();
    }
  });
  it("reports a reset money action as outcome unknown, not as done or failed", async () => {
    const { sandbox, client, close } = await sandboxAndClient({ faults: { resetRate: 1 }, randomSeed: 2 });
    try {
      const e = await client.registerDomain("reset.se", { years: 1, owner }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(OutcomeUnknownError);
      expect(sandbox.requests.filter((r) => r.action === "registerdomain")).toHaveLength(1);
      expect(e).not.toBeInstanceOf(RateLimitedError);
    } finally {
      await close();
    }
  });
});
