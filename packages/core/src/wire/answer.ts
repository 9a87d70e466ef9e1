/**
 * Reads an answer body whatever the HTTP status says: JSON with `result`, JSON after junk (PHP
 * warnings before it), an `errors` array, or no JSON at all (HTML from a proxy). Everything that is
 * not a success becomes an ApiError or RateLimitedError with a short excerpt.
 */
import {
  ApiError,
  AuthError,
  isAuthMessage,
  isRateLimitMessage,
  RateLimitedError,
  type RequestContext,
} from "../errors.js";

export type Answer = Record<string, unknown>;

const EXCERPT = 160;

export function excerptOf(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Finds the JSON object in a body, also when junk stands before it (one module searches for `{"result"`). */
export function extractJson(body: string): Answer | undefined {
  const whole = tryJson(body.trim());
  if (whole && typeof whole === "object" && !Array.isArray(whole)) return whole as Answer;
  let from = body.indexOf("{");
  // Bounded: at most a few candidate starts, so a hostile body cannot make this quadratic.
  for (let tries = 0; from !== -1 && tries < 8; tries++) {
    const candidate = tryJson(body.slice(from).trim());
    if (candidate && typeof candidate === "object" && !Array.isArray(candidate)) return candidate as Answer;
    from = body.indexOf("{", from + 1);
  }
  return undefined;
}

/** Actions beyond the reference whose answer carries no `result`. */
const ANSWERS_WITHOUT_RESULT = new Set(["CreditAmount"]);

/** Actions whose `result: "empty"` (nothing to change) is a success. */
const EMPTY_IS_SUCCESS = new Set(["DomainUpdateLockingStatus"]);

export function parseAnswer(body: string, ctx: RequestContext & { status?: number }): Answer {
  const json = extractJson(body);
  if (!json) {
    // A proxy's page for "429 Too Many Requests" can arrive with another status.
    if (body.length < 2000 && isRateLimitMessage(body))
      throw new RateLimitedError({ ...ctx, registrarMessage: excerptOf(body) });
    if (ctx.status === 401 || ctx.status === 403) throw new AuthError({ ...ctx, registrarMessage: excerptOf(body) });
    throw new ApiError(
      `answer is not JSON${ctx.status ? ` (HTTP ${ctx.status})` : ""}: ${excerptOf(body) || "(empty body)"}`,
      {
        ...ctx,
        excerpt: excerptOf(body),
        // A garbled answer to a read can be asked again; a write's answer may hide a done change.
        retrySafe: true,
      },
    );
  }
  const result = typeof json.result === "string" ? json.result.toLowerCase() : undefined;
  const errors = Array.isArray(json.errors) ? json.errors.map(String) : [];
  if (result === "success" && errors.length === 0) return json;
  // CreditAmount answers `{"value": "150.50"}` with no result (as the public client modules read it).
  if (result === undefined && errors.length === 0 && ANSWERS_WITHOUT_RESULT.has(ctx.action) && "value" in json)
    return json;
  // "Nothing to change", as the public client modules read it: the state asked for already holds.
  if (result === "empty" && errors.length === 0 && EMPTY_IS_SUCCESS.has(ctx.action)) return json;
  const msg =
    (typeof json.msg === "string" && json.msg) ||
    (typeof json.message === "string" && json.message) ||
    errors.join("; ") ||
    (result ? `result: ${result}` : "answer has no result");
  const registrarMessage =
    (typeof json.msg === "string" && json.msg) ||
    (typeof json.message === "string" && json.message) ||
    errors.join("; ");
  if (isRateLimitMessage(msg)) throw new RateLimitedError({ ...ctx, registrarMessage });
  if (isAuthMessage(msg) || ctx.status === 401 || ctx.status === 403) throw new AuthError({ ...ctx, registrarMessage });
  throw new ApiError(msg, { ...ctx, excerpt: excerptOf(body), registrarMessage });
}

/** Lists come back as objects with numeric keys beside `result`, counted from "0" or "1". */
export function numericList(answer: Answer): unknown[] {
  const keys = Object.keys(answer).filter((k) => /^\d+$/.test(k));
  keys.sort((a, b) => Number(a) - Number(b));
  const list = keys.map((k) => answer[k]);
  // Some deployments nest the list under a key instead.
  if (list.length === 0) {
    for (const k of ["records", "dns", "data", "forwardings"]) {
      const v = answer[k];
      if (Array.isArray(v)) return v;
      if (v && typeof v === "object") return numericList(v as Answer);
    }
  }
  return list;
}

/** `priority` is null, a number, a numeric string, or "N/A". */
export function parsePriority(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  const s = String(v).trim();
  if (/^\d+$/.test(s)) return Number(s);
  return null;
}

export function writePriority(p: number | null): string {
  return p === null ? "N/A" : String(p);
}
