#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { Command, InvalidArgumentError } from "commander";
import { parseCents, readPrices } from "./money.js";
import { startSandbox } from "./server.js";

function num(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
}
const rate = (name: string) => num(name, 0, 1);

const program = new Command("regdom-sandbox")
  .description(
    "A local registrar that speaks the Domains Reseller API. Prints its endpoint URL on the first line, then (on stderr) the names of its domains.",
  )
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option("--port <port>", "port (0: any free port)", num("--port", 0, 65535), 0)
  .option("--state <file>", "load state from and save it to this file")
  .option("--seed <n>", "create N realistic domains when the state is new", num("--seed"), 0)
  .option("--random-seed <n>", "seed of the random generator", num("--random-seed"), 1)
  .option("--token <token>", "require this token (for tests; real tokens never go on a command line)")
  .option("--auth-email <email>", "require this auth e-mail")
  .option("--latency <ms>", "added to every answer", num("--latency"), 0)
  .option("--jitter <ms>", "up to this much more latency, at random", num("--jitter"), 0)
  .option("--fail-rate <p>", "share of requests answered HTTP 500 before any change", rate("--fail-rate"), 0)
  .option(
    "--reset-rate <p>",
    "share of connections reset, half before and half after the change",
    rate("--reset-rate"),
    0,
  )
  .option(
    "--garbage-rate <p>",
    "share of answers with PHP warnings before the JSON, or HTML instead",
    rate("--garbage-rate"),
    0,
  )
  .option("--rate-limit <rps>", "answer 429 past this many requests per second (0: none)", num("--rate-limit"), 0)
  .option("--burst <n>", "with --limit-shape bucket: the bucket's size (default: the rate limit)", num("--burst"))
  .option(
    "--limit-shape <shape>",
    "sliding (a one-second sliding window), bucket (token bucket) or fixed (per clock second)",
    "sliding",
  )
  .option("--transfer-delay <ms>", "how long a transfer stays pending", num("--transfer-delay"), 0)
  .option(
    "--auth-field <field>",
    "the name the login e-mail is read under: authemail or email (default: email in the modules dialect)",
  )
  .option(
    "--dialect <dialect>",
    "reference (as the reference shows) or modules (as the public client modules speak it)",
    "reference",
  )
  .option("--balance <amount>", "the account balance (e.g. 500.00): purchases draw it down, none beyond it")
  .option("--prices <file>", "the price list, JSON as GetPricing answers it (default: a yearly price per TLD)")
  .version("0.1.0");

/** The names the sandbox holds, for the reader to pick from: wrapped at 100 columns, the first 60 and a count. */
function domainLines(names: string[], shown = 60): string {
  const lines: string[] = [];
  let line = "";
  for (const name of names.slice(0, shown)) {
    if (line && line.length + 1 + name.length > 98) {
      lines.push(`  ${line}`);
      line = "";
    }
    line = line ? `${line} ${name}` : name;
  }
  if (line) lines.push(`  ${line}`);
  if (names.length > shown) lines.push(`  … and ${names.length - shown} more`);
  return lines.map((l) => `${l}\n`).join("");
}

async function main(argv: string[]): Promise<void> {
  program.parse(argv);
  const o = program.opts<{
    host: string;
    port: number;
    state?: string;
    seed: number;
    randomSeed: number;
    token?: string;
    authEmail?: string;
    latency: number;
    jitter: number;
    failRate: number;
    resetRate: number;
    garbageRate: number;
    rateLimit: number;
    burst?: number;
    limitShape: string;
    transferDelay: number;
    authField?: string;
    dialect: string;
    balance?: string;
    prices?: string;
  }>();
  if (o.balance !== undefined) parseCents(o.balance, "--balance");
  const prices = o.prices ? readPrices(JSON.parse(await readFile(o.prices, "utf8")), o.prices) : undefined;
  if (o.authField !== undefined && o.authField !== "authemail" && o.authField !== "email") {
    process.stderr.write(`regdom-sandbox: --auth-field must be authemail or email\n`);
    process.exitCode = 2;
    return;
  }
  if (o.dialect !== "reference" && o.dialect !== "modules") {
    process.stderr.write(`regdom-sandbox: --dialect must be reference or modules\n`);
    process.exitCode = 2;
    return;
  }
  if (!["sliding", "bucket", "fixed"].includes(o.limitShape)) {
    process.stderr.write(`regdom-sandbox: --limit-shape must be sliding, bucket or fixed\n`);
    process.exitCode = 2;
    return;
  }
  const sandbox = await startSandbox({
    host: o.host,
    port: o.port,
    statePath: o.state,
    seed: o.seed,
    randomSeed: o.randomSeed,
    token: o.token,
    authEmail: o.authEmail,
    transferDelayMs: o.transferDelay,
    ...(o.authField !== undefined ? { authField: o.authField } : {}),
    dialect: o.dialect,
    ...(o.balance !== undefined ? { balance: o.balance } : {}),
    ...(prices ? { prices } : {}),
    faults: {
      latencyMs: o.latency,
      jitterMs: o.jitter,
      failRate: o.failRate,
      resetRate: o.resetRate,
      garbageRate: o.garbageRate,
      rateLimit: o.rateLimit,
      limitShape: o.limitShape as "sliding" | "bucket" | "fixed",
      ...(o.burst !== undefined ? { burst: o.burst } : {}),
    },
  });
  // Stopping saves the state: ready before the endpoint is out, so a stop sent on reading it is never missed.
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`regdom-sandbox: could not save state: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(`${sandbox.url}\n`);
  process.stderr.write(`regdom-sandbox: ${sandbox.state.domains.size} domains; Ctrl-C to stop\n`);
  process.stderr.write(domainLines([...sandbox.state.domains.keys()].sort()));
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`regdom-sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
