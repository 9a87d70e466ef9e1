/**
 * One keep-alive undici pool per endpoint origin. Reads every answer body whatever its status,
 * caps its size, and bounds the whole exchange by one timeout. Never puts the request body
 * (which holds the token) into an error.
 */
import type { Pool } from "undici";
import { RateLimitedError, type RequestContext, TransportError } from "../errors.js";

export interface TransportOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  connections: number;
  /** Removes the token from outside text (a redirect's Location). */
  redact?: (text: string) => string;
}

export interface RawAnswer {
  status: number;
  body: string;
}

const NOT_DELIVERED = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** TLS refused before the request was written: a certificate or handshake problem. */
function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT)/.test(
    code,
  );
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function parseRetryAfter(v: string | string[] | undefined, now = Date.now()): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) return undefined;
  if (/^\d+(\.\d+)?$/.test(s.trim())) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

export class Transport {
  // undici is loaded on the first request: it is a tenth of a second of start-up that offline
  // commands (validate) never need.
  #pool: Promise<Pool> | undefined;
  readonly #origin: string;
  readonly #path: string;
  readonly #opts: TransportOptions;

  constructor(endpoint: URL, opts: TransportOptions) {
    this.#origin = endpoint.origin;
    this.#path = endpoint.pathname + endpoint.search;
    this.#opts = opts;
  }

  #getPool(): Promise<Pool> {
    this.#pool ??= import("undici").then((undici) => {
      // Node names a CommonJS module's exports; in a bundle (the CLIs' bins) they are its default.
      const { Pool } = "Pool" in undici ? undici : (undici as { default: typeof undici }).default;
      return new Pool(this.#origin, {
        connections: this.#opts.connections,
        pipelining: 1,
        keepAliveTimeout: 10_000,
        connect: { timeout: Math.min(this.#opts.timeoutMs, 10_000) },
      });
    });
    return this.#pool;
  }

  async post(form: string, ctx: RequestContext): Promise<RawAnswer> {
    const signal = AbortSignal.timeout(this.#opts.timeoutMs);
    let status = 0;
    try {
      const pool = await this.#getPool();
      const res = await pool.request({
        path: this.#path,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "user-agent": "regdom/0.1",
        },
        body: form,
        signal,
        headersTimeout: this.#opts.timeoutMs,
        bodyTimeout: this.#opts.timeoutMs,
      });
      status = res.statusCode;
      if (status === 429 || status === 503) {
        await res.body.dump().catch(() => undefined);
        throw new RateLimitedError({ ...ctx, status, retryAfterMs: parseRetryAfter(res.headers["retry-after"]) });
      }
      if (status >= 300 && status < 400) {
        await res.body.dump().catch(() => undefined);
        const loc = res.headers.location;
        throw new TransportError(
          `HTTP ${status} redirect${loc ? ` to ${(this.#opts.redact ?? String)(String(loc).replace(/\?.*$/, ""))}` : ""} refused`,
          {
            ...ctx,
            reachedServer: true,
          },
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.#opts.maxBodyBytes) {
          res.body.destroy();
          throw new TransportError(`answer larger than ${this.#opts.maxBodyBytes} bytes`, {
            ...ctx,
            reachedServer: true,
          });
        }
        chunks.push(chunk as Buffer);
      }
      return { status, body: Buffer.concat(chunks).toString("utf8") };
    } catch (e) {
      if (e instanceof RateLimitedError || e instanceof TransportError) throw e;
      const code = errorCode(e);
      const timedOut = signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code));
      const tls = code !== undefined && isTlsCode(code);
      const notDelivered = (code !== undefined && NOT_DELIVERED.has(code)) || tls;
      const what = timedOut
        ? `no complete answer within ${this.#opts.timeoutMs} ms`
        : `${code ?? "network error"}${e instanceof Error && e.message && !e.message.includes("=") ? `: ${e.message}` : ""}`;
      throw new TransportError(what, {
        ...ctx,
        reachedServer: !notDelivered,
        // Refused, not resolved, TLS or silent: the endpoint, not this request, is the problem.
        unreachable: notDelivered || timedOut,
        cause: e,
      });
    }
  }

  async close(): Promise<void> {
    if (this.#pool) await (await this.#pool).close();
  }
}
