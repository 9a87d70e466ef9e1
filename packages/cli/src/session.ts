/** A client for one run, with --verbose request logs and progress on stderr. */

import { RegistrarClient } from "@regdom/core";
import cliProgress from "cli-progress";
import { rememberAuthField } from "./authFieldMemory.js";
import type { CommandContext } from "./command.js";
import type { ConnectionFlags } from "./connection.js";
import { rememberRate } from "./rateMemory.js";
import { logRequests } from "./requestLog.js";
import { resolveConnection } from "./resolveConnection.js";

export async function openClient(ctx: CommandContext, flags: ConnectionFlags): Promise<RegistrarClient> {
  const client = new RegistrarClient(await resolveConnection(flags, ctx.io.env));
  if (ctx.verbose()) logRequests(client, ctx.io);
  // An answered request proves the auth field: remembered for the next run against this endpoint.
  const off = client.events.on((e) => {
    if (e.type !== "request-end" || !e.ok) return;
    off();
    try {
      rememberAuthField(client.endpoint, client.authField, ctx.io.env);
    } catch {
      /* a state folder we cannot write only means giving --auth-field again */
    }
  });
  return client;
}

/**
 * Closes the client; with `--rate auto`, says what the registrar accepted and remembers it for the
 * next run against the same endpoint and account.
 */
export async function closeClient(ctx: CommandContext, client: RegistrarClient): Promise<void> {
  const auto = client.scheduler.limiter.auto;
  if (auto?.ceiling !== undefined) {
    ctx.io.stderr.write(
      `rate: the registrar accepted ~${auto.ceiling.toFixed(1)} req/s (remembered for the next run)\n`,
    );
    try {
      rememberRate(client.accountKey, auto.ceiling, ctx.io.env);
    } catch {
      /* a state folder we cannot write only costs the next run its head start */
    }
  }
  await client.close();
}

export interface Progress {
  tick(extra?: Partial<Record<"writes" | "failures", number>>): void;
  stop(): void;
}

/** A bar on a TTY (done/total, requests/s, ETA); otherwise a quiet line every 10 seconds. */
export function startProgress(ctx: CommandContext, client: RegistrarClient, label: string, total: number): Progress {
  let requests = 0;
  const off = client.events.on((e) => {
    if (e.type === "request-end") requests++;
  });
  const started = performance.now();
  let done = 0;
  let writes = 0;
  let failures = 0;
  const rps = () => (requests / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(1);
  if (ctx.io.stderr.isTTY && !ctx.json() && !ctx.verbose()) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} domains | {rps} req/s | writes {writes} | failures {failures} | ETA {eta_formatted}`,
        stream: ctx.io.stderr as NodeJS.WriteStream,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rps: "0.0", writes: 0, failures: 0 });
    const timer = setInterval(() => bar.update(done, { rps: rps(), writes, failures }), 500);
    return {
      tick(extra) {
        done++;
        writes += extra?.writes ?? 0;
        failures += extra?.failures ?? 0;
        bar.update(done, { rps: rps(), writes, failures });
      },
      stop() {
        clearInterval(timer);
        bar.stop();
        off();
      },
    };
  }
  const timer = setInterval(() => {
    ctx.io.stderr.write(`${label}: ${done}/${total} domains, ${rps()} req/s, ${writes} writes, ${failures} failures\n`);
  }, 10_000);
  timer.unref();
  return {
    tick(extra) {
      done++;
      writes += extra?.writes ?? 0;
      failures += extra?.failures ?? 0;
    },
    stop() {
      clearInterval(timer);
      off();
    },
  };
}
