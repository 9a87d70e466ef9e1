/**
 * `regdom-bulk doctor [DOMAIN]`: the first command to run against the real registrar. Read-only,
 * bounded, and safe to paste into a support ticket (it never prints the token): does the endpoint
 * answer, over TLS, how fast; do the credentials work; with a DOMAIN, does each getter answer in
 * the shape the client reads (and what it would carry verbatim); with --probe-rate, what rate the
 * registrar accepts (at most 100 reads), remembered for --rate auto.
 */
import {
  closeClient,
  defineCommand,
  ExitCode,
  flag,
  openClient,
  rememberAuthField,
  rememberRate,
  resolveConnection,
  withConnection,
} from "@regdom/cli";
import {
  type Answer,
  AuthError,
  type AuthField,
  type ClientOptions,
  DNS_TYPES,
  domainParams,
  EndpointUnreachableError,
  formatAmount,
  numericList,
  RegistrarClient,
  readContacts,
  readDns,
  readEmailForwarding,
  readLockStatus,
  readNameservers,
  readSync,
  TransportError,
  UserError,
} from "@regdom/core";
import { checkDnssec, type DnssecOptions } from "@regdom/engine";
import { ABOUT } from "./about.js";
import { dnssecOptions, RESOLVER } from "./dnssecFlags.js";

type Level = "ok" | "note" | "fail";
interface Check {
  level: Level;
  check: string;
  detail: string;
}

const PROBE_NAME = "regdom-doctor-probe.se";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)] ?? 0;

/**
 * One getter's answer, read by the client's own reader (so what the client refuses, doctor refuses
 * in the same words: the reader's ApiError becomes the failing line), then what it holds beyond
 * what the client reads and anything that would read as empty. The nameservers read, for DNSSEC.
 */
function inspect(action: string, a: Answer, domain: string): { checks: Check[]; nameservers?: string[] } {
  const keys = Object.keys(a).filter((k) => k !== "result" && k !== "msg");
  const out: Check[] = [];
  const unknown = (known: RegExp) => keys.filter((k) => !known.test(k));
  switch (action) {
    case "GetNameservers": {
      const ns = readNameservers(a, domain);
      out.push(
        ns.length
          ? { level: "ok", check: action, detail: `${ns.length} nameserver(s)` }
          : { level: "fail", check: action, detail: "no nameserver in the answer: it would read as none" },
      );
      const extra = unknown(/^(ns|nameserver)[1-5]$/);
      if (extra.length)
        out.push({ level: "note", check: action, detail: `keys the client does not read: ${extra.join(", ")}` });
      return { checks: out, nameservers: ns };
    }
    case "DomainGetLockingStatus": {
      const s = String(a.lockstatus ?? "");
      out.push(
        readLockStatus(a, domain) === null
          ? {
              level: "note",
              check: action,
              detail: `lockstatus "${s}": no lock offered for this domain (plan skips lock)`,
            }
          : { level: "ok", check: action, detail: `lockstatus "${s}"` },
      );
      break;
    }
    case "GetContactDetails": {
      const types = Object.keys(readContacts(a, domain));
      out.push({ level: "ok", check: action, detail: `contact types: ${types.join(", ")}` });
      const others = types.filter((t) => t.toLowerCase() !== "registrant");
      if (others.length)
        out.push({
          level: "note",
          check: action,
          detail: `${others.join(", ")}: sent back as read whenever the registrant is saved`,
        });
      break;
    }
    case "GetDNS":
    case "GetEmailForwarding": {
      const list = numericList(a);
      const records = action === "GetDNS" ? readDns(a, domain) : [];
      if (action === "GetEmailForwarding") readEmailForwarding(a, domain);
      const numeric = keys.filter((k) => /^\d+$/.test(k)).map(Number);
      const base = numeric.length ? Math.min(...numeric) : undefined;
      out.push({
        level: "ok",
        check: action,
        detail: `${list.length} element(s)${base !== undefined ? `, numbered from ${base}` : list.length ? " (nested list)" : ""}`,
      });
      const other = [...new Set(records.map((r) => r.type))].filter(
        (t) => !(DNS_TYPES as readonly string[]).includes(t.toUpperCase()),
      );
      if (other.length)
        out.push({
          level: "note",
          check: action,
          detail: `types regdom does not check, carried verbatim: ${other.join(", ")}`,
        });
      break;
    }
    case "Sync": {
      const sync = readSync(a, domain);
      out.push(
        sync.expiryDate
          ? { level: "ok", check: action, detail: `status "${sync.status ?? ""}", expiry ${sync.expiryDate}` }
          : {
              level: "fail",
              check: action,
              detail: "no expiry date: expires_not_before and the expiry calendar cannot work",
            },
      );
      break;
    }
  }
  return { checks: out };
}

/** The ceiling of `--probe-rate [MAX]`: 100 when MAX is not given. */
function probeMax(raw: string): number {
  const max = raw === "" ? 100 : Number(raw);
  if (!Number.isFinite(max) || !(max > 0))
    throw new UserError(`--probe-rate MAX must be a number above 0, got "${raw}"`);
  return max;
}

/** The endpoint did not answer (refused, not resolved, TLS, silence): not the credentials' fault. */
function isEndpointProblem(e: unknown): boolean {
  return (e instanceof TransportError && e.unreachable) || e instanceof EndpointUnreachableError;
}

/**
 * The actions beyond the reference that the public client modules use: the balance, and whether
 * the endpoint offers each (reads only; IDProtectToggle is a write and is not probed).
 */
async function optionalActions(client: RegistrarClient): Promise<Check[]> {
  const out: Check[] = [];
  const offered = async (action: string, read: () => Promise<string | null>) => {
    try {
      const detail = await read();
      out.push(
        detail === null
          ? { level: "note", check: action, detail: "not offered by this endpoint (beyond the reference)" }
          : { level: "ok", check: action, detail },
      );
    } catch (e) {
      out.push({ level: "fail", check: action, detail: e instanceof Error ? e.message : String(e) });
    }
  };
  await offered("CreditAmount", async () => {
    const b = await client.creditAmount();
    return b && `balance ${formatAmount(b.amount)}`;
  });
  await offered("GetPricing", async () => {
    const p = await client.getPricing();
    return p && `prices for ${Object.keys(p).length} TLD(s): plans show each purchase's price`;
  });
  await offered("GetDomainFields", async () => {
    const f = await client.getDomainFields("se");
    return (
      f && `.se asks for ${f.length} field(s) (provisional shape): purchases' domainfields are checked against them`
    );
  });
  out.push({ level: "note", check: "IDProtectToggle", detail: "not probed (a write)" });
  return out;
}

/** A client with the other auth field if one read succeeds with it, else undefined (and closed). */
async function tryOtherAuthField(conn: ClientOptions, tried: AuthField): Promise<RegistrarClient | undefined> {
  const other = new RegistrarClient({ ...conn, authField: tried === "email" ? "authemail" : "email" });
  try {
    await other.checkAvailability(PROBE_NAME);
    return other;
  } catch {
    await other.close();
    return undefined;
  }
}

/** The domain's DS at the parent against the DNSKEY sets its nameservers serve now: broken today fails. */
async function dnssecState(ace: string, ns: string[] | undefined, o: DnssecOptions): Promise<Check> {
  const check = "DNSSEC";
  if (!o.resolver)
    return { level: "note", check, detail: "unknown: no resolver (none in /etc/resolv.conf; use --resolver)" };
  if (!ns?.length) return { level: "note", check, detail: "unknown: the nameservers could not be read" };
  const c = await checkDnssec(ace, ns, { ...o, resolver: o.resolver });
  switch (c.verdict) {
    case "unsigned":
      return { level: "ok", check, detail: "unsigned (no DS at the parent)" };
    case "safe":
      return { level: "ok", check, detail: `signed: DS ${c.ds.join(", ")}; every nameserver serves a matching DNSKEY` };
    case "would break":
      return { level: "fail", check, detail: `broken today: DS ${c.ds.join(", ")}; ${c.reason}` };
    case "unknown":
      return { level: "note", check, detail: `unknown: ${c.reason}` };
  }
}

export const doctorCommand = defineCommand({
  ...ABOUT.doctor,
  options: withConnection({
    probeRate: {
      flags: "--probe-rate [max]",
      description: "probe the rate the registrar accepts (at most 100 reads, up to MAX req/s) and remember it",
      parse: (raw: string | boolean | undefined) => (raw === true ? "" : typeof raw === "string" ? raw : undefined),
    },
    quiet: flag("--quiet", "print the verdict line only"),
    resolver: RESOLVER,
  }),
  validate(_args, flags) {
    // Checked before anything is sent: a bad value must not cost five reads first.
    if (flags.probeRate !== undefined) probeMax(flags.probeRate);
  },
  async handler(ctx, [domain], flags) {
    if (domain) domainParams(domain);
    const checks: Check[] = [];
    const conn = await resolveConnection(flags, ctx.io.env);
    const url = new URL(conn.endpoint ?? "");
    const endpoint: Check =
      url.protocol === "https:"
        ? { level: "ok", check: "endpoint", detail: `${url.origin} over TLS` }
        : { level: "note", check: "endpoint", detail: `${url.origin} in plain HTTP (loopback only)` };
    checks.push(endpoint);
    let client = await openClient(ctx, flags);
    try {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        try {
          await client.checkAvailability(PROBE_NAME);
          ms.push(performance.now() - t0);
        } catch (e) {
          const detail = e instanceof Error ? e.message : String(e);
          if (i === 0 && e instanceof AuthError) {
            // Resellers of the same product name the login e-mail differently: try the other name once.
            const other = await tryOtherAuthField(conn, client.authField);
            if (other) {
              await closeClient(ctx, client);
              client = other;
              rememberAuthField(client.endpoint, client.authField, ctx.io.env);
              checks.push({
                level: "note",
                check: "auth field",
                detail: `the login was refused with "${other.authField === "email" ? "authemail" : "email"}" and accepted with "${other.authField}": --auth-field ${other.authField} (remembered for this endpoint)`,
              });
              i--;
              continue;
            }
          }
          // No answer at all (refused, TLS, timeout) says nothing about the credentials.
          if (isEndpointProblem(e)) Object.assign(endpoint, { level: "fail", detail: `${url.origin}: ${detail}` });
          else
            checks.push({
              level: "fail",
              check: i === 0 ? "credentials" : "latency",
              detail: `${detail}${i === 0 && e instanceof AuthError ? " (refused with authemail and with email)" : ""}`,
            });
          break;
        }
      }
      if (ms.length === 5) {
        checks.push({ level: "ok", check: "credentials", detail: "a read was answered (the token and e-mail work)" });
        checks.push({ level: "ok", check: "auth field", detail: `the login e-mail is sent as "${client.authField}"` });
        checks.push({
          level: "ok",
          check: "latency",
          detail: `median ${median(ms).toFixed(0)} ms, 95th percentile ${p95(ms).toFixed(0)} ms (5 reads)`,
        });
      }
      if (ms.length === 5) checks.push(...(await optionalActions(client)));
      if (domain && ms.length === 5) {
        const { sld, tld, ace } = domainParams(domain);
        let nameservers: string[] | undefined;
        for (const action of [
          "GetNameservers",
          "DomainGetLockingStatus",
          "GetContactDetails",
          "GetDNS",
          "GetEmailForwarding",
          "Sync",
        ]) {
          try {
            const read = inspect(action, await client.call(action, { sld, tld }, ace), ace);
            if (read.nameservers) nameservers = read.nameservers;
            checks.push(...read.checks);
          } catch (e) {
            checks.push({ level: "fail", check: action, detail: e instanceof Error ? e.message : String(e) });
          }
        }
        checks.push(await dnssecState(ace, nameservers, dnssecOptions(flags.resolver, ctx.io.env)));
      }
      if (flags.probeRate !== undefined && ms.length === 5) {
        const max = probeMax(flags.probeRate);
        const probe = new RegistrarClient({ ...conn, rate: { max } });
        try {
          await Promise.all(
            Array.from({ length: 100 }, () => probe.checkAvailability(PROBE_NAME).catch(() => undefined)),
          );
          const found = probe.scheduler.limiter.auto?.ceiling;
          if (found !== undefined) {
            rememberRate(probe.accountKey, found, ctx.io.env);
            checks.push({
              level: "ok",
              check: "rate",
              detail: `the registrar accepted ~${found.toFixed(1)} req/s (remembered for --rate auto)`,
            });
          } else
            checks.push({
              level: "ok",
              check: "rate",
              detail: `no push-back up to ~${probe.scheduler.limiter.rate.toFixed(1)} req/s in 100 reads`,
            });
        } finally {
          await probe.close();
        }
      }
    } finally {
      await closeClient(ctx, client);
    }
    const failed = checks.filter((c) => c.level === "fail");
    const verdict = failed.length ? `doctor: ${failed.length} check(s) failed` : "doctor: all good";
    if (ctx.json()) ctx.io.stdout.write(`${JSON.stringify({ checks, verdict, ok: failed.length === 0 }, null, 2)}\n`);
    else {
      if (!flags.quiet)
        for (const c of checks) ctx.io.stdout.write(`${c.level.padEnd(4)}  ${c.check.padEnd(22)}  ${c.detail}\n`);
      ctx.io.stdout.write(`${verdict}\n`);
    }
    return failed.length ? ExitCode.failed : ExitCode.ok;
  },
});
