/** A virtual clock for scheduler tests: no test depends on a loaded machine's timing. */
/**
 * Time that moves only when every worker waits: each sleep is a timer, and the clock jumps to the
 * earliest one. `stallOnceAt` makes timers due after a moment fire late, as a stalled event loop does.
 */
export function virtualClock(start = 1_000) {
  let now = start;
  let stall: { at: number; ms: number } | undefined;
  const timers: { at: number; resolve: () => void }[] = [];
  const clock = {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
  };
  return {
    clock,
    stallOnceAt(at: number, ms: number) {
      stall = { at, ms };
    },
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const watched = work.finally(() => {
        done = true;
      });
      while (!done) {
        await new Promise((r) => setImmediate(r));
        if (done || timers.length === 0) continue;
        timers.sort((a, b) => a.at - b.at);
        let at = timers[0]!.at;
        if (stall && at >= stall.at) {
          at += stall.ms;
          stall = undefined;
        }
        now = Math.max(now, at);
        // Every timer due by now fires, in order: after a stall, that is all of the waiting workers.
        while (timers.length > 0 && timers[0]!.at <= now) timers.shift()!.resolve();
      }
      return watched;
    },
  };
}
