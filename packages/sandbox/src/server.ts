/**
 * The sandbox registrar: an HTTP server that answers every action of the reference, records every
 * request, and injects the faults a real registrar and the network between produce.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ActionContext,
  ActionError,
  type Dialect,
  domainName,
  HANDLERS,
  MODULES_ONLY_ACTIONS,
} from "./actions.js";
import { type Faults, faultDraws, type InjectedFault, NO_FAULTS, prng, RateGate } from "./faults.js";
import { Account, defaultPrices, parseCents, type SandboxPrices } from "./money.js";
import { type PostArray, parsePost } from "./phpForm.js";
import { phpJsonEncode } from "./phpJson.js";
import { seedDomains } from "./seed.js";
import { loadState, SandboxState, StateSaver } from "./state.js";

export interface SandboxOptions {
  host?: string;
  port?: number;
  /** Load from and save to this file. */
  statePath?: string;
  /** Create this many domains when the state is new. */
  seed?: number;
  /** Seed of the random generator (domains and faults). */
  randomSeed?: number;
  /** When set, requests must carry this token and auth e-mail. */
  token?: string;
  authEmail?: string;
  faults?: Partial<Faults>;
  /** How long a transfer stays pending, ms. */
  transferDelayMs?: number;
  /**
   * Transfers stay pending until `settleTransfers` is called (`transferDelayMs` is then unused):
   * a test decides when a transfer completes or fails, not the machine's speed.
   */
  manualTransfers?: boolean;
  /**
   * How the random faults (500s, resets, garbage) are drawn: "sequence", one random stream in the
   * order requests arrive (the default); or "hashed", each request's draws from a hash of (random
   * seed, action, domain, attempt), so the same seed gives the same faults whatever order concurrent
   * workers send in. Attempts count the requests for that action and domain that got past the rate
   * limit (a 429 depends on timing, so it does not shift the draws that follow).
   */
  faultDraws?: "sequence" | "hashed";
  /** Largest body read, bytes. */
  maxBodyBytes?: number;
  /** The registrar's clock (tests move it). */
  now?: () => number;
  /** Keep the parameters of each request in the log (off saves memory in benchmarks). */
  recordParams?: boolean;
  /** How the server speaks (see Dialect). Default `reference`. */
  dialect?: Dialect;
  /** The name it reads the login e-mail under: `authemail` (the reference's default) or `email` (the modules'). */
  authField?: "authemail" | "email";
  /**
   * The account balance ("500.00"): purchases draw it down and one beyond it is refused. Without
   * it purchases are not charged (the modules dialect starts at 10000.00).
   */
  balance?: string;
  /** The price list (default: a yearly price per TLD times the years; see defaultPrices). */
  prices?: SandboxPrices;
}

export interface RecordedRequest {
  seq: number;
  at: number;
  action: string;
  domain?: string;
  /** Without the token and the login e-mail. */
  params?: PostArray;
  outcome: "success" | "error" | "fault";
  /** Whether the books changed. */
  changed: boolean;
  fault?: InjectedFault;
  error?: string;
}

/** Which requests a hold or a wait applies to: an action (any case), a domain, or both. */
interface RequestMatch {
  action?: string;
  domain?: string;
}

export interface Sandbox {
  url: string;
  state: SandboxState;
  /** The balance (hundredths; undefined: purchases are not charged) and the price list. */
  account: Account;
  requests: RecordedRequest[];
  faults: Faults;
  /** How many requests of this action changed the books (answer lost or not), optionally for one domain. */
  executed(action: string, domain?: string): number;
  /**
   * Holds answers until the returned function is called (every answer, those of one action, or of
   * one action for one domain): lets a test act while a client is provably in the middle of a run,
   * without timing.
   */
  hold(action?: string, domain?: string): () => void;
  /**
   * The next request from now on that matches, once it has been answered (`at: "answered"`, the
   * default) or once it is waiting at a hold (`at: "held"`): the event a test waits for instead of
   * sleeping or polling.
   */
  nextRequest(
    match?: RequestMatch | ((r: RecordedRequest) => boolean),
    at?: "answered" | "held",
  ): Promise<RecordedRequest>;
  /**
   * Ends pending transfers now (all, or one domain's): each completes, or fails with its reason if
   * its auth code was one the losing registrar turns down. Returns the domains it settled, sorted.
   */
  settleTransfers(domain?: string): string[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const loaded = opts.statePath ? await loadState(opts.statePath) : undefined;
  const state = loaded ?? new SandboxState();
  if (!loaded && opts.seed) seedDomains(state, opts.seed, opts.randomSeed ?? 1);
  const saver = opts.statePath ? new StateSaver(opts.statePath, state) : undefined;
  if (saver && !loaded) {
    // A new (perhaps seeded) state is on disk before the first request is answered.
    saver.markDirty();
    await saver.flush();
  }

  // The modules dialect names the login e-mail `email`, as the resellers that speak it do.
  const authField = opts.authField ?? (opts.dialect === "modules" ? "email" : "authemail");
  const secretParams = new Set(["token", authField]);
  const faults: Faults = { ...NO_FAULTS, ...opts.faults };
  let held: { promise: Promise<void>; release: () => void; match: RequestMatch } | undefined;
  const waiters: {
    at: "answered" | "held";
    test: (r: RecordedRequest) => boolean;
    resolve: (r: RecordedRequest) => void;
  }[] = [];
  const notify = (at: "answered" | "held", record: RecordedRequest) => {
    for (const w of waiters.filter((x) => x.at === at && x.test(record))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(record);
    }
  };
  const rnd = prng((opts.randomSeed ?? 1) * 31 + 7);
  const draws = faultDraws(opts.faultDraws ?? "sequence", opts.randomSeed ?? 1, rnd);
  const window = new RateGate();
  const requests: RecordedRequest[] = [];
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  let eppCounter = 0;
  const dialect = opts.dialect ?? "reference";
  const balance =
    opts.balance !== undefined ? parseCents(opts.balance, "balance") : dialect === "modules" ? 1_000_000 : undefined;
  const ctx: ActionContext = {
    dialect,
    account: new Account(balance, opts.prices ?? defaultPrices()),
    state,
    now: opts.now ?? Date.now,
    transferDelayMs: opts.manualTransfers ? "manual" : (opts.transferDelayMs ?? 0),
    newEppCode: () => `epp-${(++eppCounter).toString(36)}-${Math.floor(rnd() * 1e9).toString(36)}`,
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(body);
  };

  const readBody = (req: IncomingMessage): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > maxBody) {
          resolve(undefined);
          req.removeAllListeners("data");
          req.resume();
          return;
        }
        chunks.push(c);
      });
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<RecordedRequest> => {
    const body = await readBody(req);
    const seq = requests.length + 1;
    const record: RecordedRequest = { seq, at: Date.now(), action: "", outcome: "error", changed: false };
    requests.push(record);
    if (body === undefined) {
      record.error = "body too large";
      send(res, 413, phpJsonEncode({ result: "error", msg: "Request body too large" }), { connection: "close" });
      return record;
    }
    const post = parsePost(body);
    const action = typeof post.action === "string" ? post.action.toLowerCase() : "";
    record.action = action;
    try {
      if (typeof post.sld === "string" && typeof post.tld === "string")
        record.domain = `${post.sld}.${post.tld}`.toLowerCase();
    } catch {
      /* recorded as it came */
    }
    if (opts.recordParams !== false) {
      record.params = Object.fromEntries(Object.entries(post).filter(([k]) => !secretParams.has(k)));
    }

    const delay = faults.latencyMs + (faults.jitterMs > 0 ? rnd() * faults.jitterMs : 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const h = held;
    if (h && matches(h.match, record)) {
      notify("held", record);
      await h.promise;
    }

    const fault = (f: InjectedFault) => {
      record.outcome = "fault";
      record.fault = f;
    };
    const gate = window.allow(faults);
    if (!gate.ok) {
      fault("rate-limited");
      send(res, 429, phpJsonEncode({ result: "error", msg: "Too many requests, rate limit exceeded" }), {
        "retry-after": String(gate.retryAfterS),
      });
      return record;
    }
    const draw = draws(action, record.domain ?? "");
    if (faults.failRate > 0 && draw() < faults.failRate) {
      fault("fail");
      res.writeHead(500, { "content-type": "text/html" });
      res.end("<html><body><h1>500 Internal Server Error</h1></body></html>");
      return record;
    }
    let resetAfter = false;
    if (faults.resetRate > 0 && draw() < faults.resetRate) {
      if (draw() < 0.5) {
        fault("reset-before");
        req.socket.destroy();
        return record;
      }
      resetAfter = true;
    }
    let garbage: InjectedFault | undefined;
    if (faults.garbageRate > 0 && draw() < faults.garbageRate) {
      garbage = draw() < 0.5 ? "garbage-warning" : "garbage-html";
      if (garbage === "garbage-html") {
        fault(garbage);
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
        return record;
      }
    }

    let answer: Record<string, unknown>;
    let status = 200;
    if (
      opts.token !== undefined &&
      (post.token !== opts.token || (opts.authEmail !== undefined && post[authField] !== opts.authEmail))
    ) {
      answer = { result: "error", msg: "Authentication failed: bad token or e-mail" };
      record.error = "bad credentials";
    } else {
      const handler = HANDLERS[action];
      try {
        const refusal = faults.failActions?.[action];
        if (refusal !== undefined) throw new ActionError(refusal);
        // The reference dialect has none of the actions beyond the reference.
        if (!handler || (ctx.dialect === "reference" && MODULES_ONLY_ACTIONS.has(action)))
          throw new ActionError(action ? `Unknown action: ${action}` : "Missing parameter: action");
        if (action !== "das" && action !== "dasse" && action !== "dasnu" && post.sld !== undefined) domainName(post);
        const result = handler(post, ctx);
        answer = result.answer;
        record.outcome = "success";
        record.changed = result.changed;
        if (result.changed) saver?.markDirty();
      } catch (e) {
        if (!(e instanceof ActionError)) {
          status = 500;
        }
        answer = { result: "error", msg: e instanceof Error ? e.message : String(e) };
        record.error = String(answer.msg);
      }
    }
    if (resetAfter) {
      fault("reset-after");
      req.socket.destroy();
      return record;
    }
    let text = phpJsonEncode(answer);
    if (garbage === "garbage-warning") {
      fault(garbage);
      record.outcome = record.error ? "error" : "success";
      text = `<br />\n<b>Warning</b>:  Undefined array key "x" in <b>/var/www/api.php</b> on line 42<br />\n${text}`;
    }
    send(res, status, text);
    return record;
  };

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    if (req.method !== "POST") {
      send(res, 405, phpJsonEncode({ result: "error", msg: "Use POST" }));
      req.resume();
      return;
    }
    handle(req, res).then(
      (record) => notify("answered", record),
      (e: unknown) => {
        if (!res.headersSent) send(res, 500, phpJsonEncode({ result: "error", msg: `internal: ${String(e)}` }));
      },
    );
  });
  server.headersTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}/domainsResellerAPI/api.php`;

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await saver?.flush();
  };

  return {
    url,
    state,
    account: ctx.account,
    requests,
    faults,
    executed(actionName: string, domain?: string) {
      const a = actionName.toLowerCase();
      return requests.filter((r) => r.action === a && r.changed && (domain === undefined || r.domain === domain))
        .length;
    },
    hold(action?: string, domain?: string) {
      let release!: () => void;
      const promise = new Promise<void>((r) => (release = r));
      const h = { promise, release, match: { action, domain } };
      held = h;
      return () => {
        if (held === h) held = undefined;
        h.release();
      };
    },
    nextRequest(match = {}, at = "answered") {
      const test = typeof match === "function" ? match : (r: RecordedRequest) => matches(match, r);
      return new Promise<RecordedRequest>((resolve) => waiters.push({ at, test, resolve }));
    },
    settleTransfers(domain?: string) {
      const settled: string[] = [];
      for (const d of state.domains.values()) {
        if (d.status !== "Pending Transfer" || (domain !== undefined && d.name !== domain.toLowerCase())) continue;
        d.status = d.transferFailReason ? "Transfer Failed" : "Active";
        delete d.transferCompletesAt;
        settled.push(d.name);
      }
      if (settled.length) saver?.markDirty();
      return settled.sort();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function matches(m: RequestMatch, r: RecordedRequest): boolean {
  return (
    (m.action === undefined || m.action.toLowerCase() === r.action) &&
    (m.domain === undefined || m.domain.toLowerCase() === r.domain)
  );
}
