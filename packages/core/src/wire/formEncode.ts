/**
 * PHP `http_build_query` and its reader (`parse_str`, which is also how PHP fills `$_POST`).
 *
 * PHP's `urlencode` leaves only `A-Za-z0-9-_.` alone and writes a space as `+`, so a literal `+`
 * (phone numbers: `+46.70…`) must go out as `%2B` or the server reads a space.
 */
export type FormValue = string | number | boolean | null | undefined | FormValue[] | { [k: string]: FormValue };
export type FormInput = Record<string, FormValue>;

export function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

export function phpUrldecode(s: string): string {
  const spaced = s.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // PHP decodes what it can and keeps malformed escapes as they are.
    return spaced.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
      try {
        return decodeURIComponent(m);
      } catch {
        return m;
      }
    });
  }
}

function scalar(v: string | number | boolean): string {
  if (typeof v === "boolean") return v ? "1" : "0";
  return String(v);
}

/** Encodes like PHP's `http_build_query($data)`: nested arrays as `a[b][0]=…`, null skipped. */
export function buildQuery(data: FormInput): string {
  const parts: string[] = [];
  const walk = (key: string, v: FormValue): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) walk(`${key}[${i}]`, item);
    } else if (typeof v === "object") {
      for (const [k, item] of Object.entries(v)) walk(`${key}[${k}]`, item);
    } else {
      parts.push(`${phpUrlencode(key)}=${phpUrlencode(scalar(v))}`);
    }
  };
  for (const [k, v] of Object.entries(data)) walk(k, v);
  return parts.join("&");
}

export type ParsedForm = { [k: string]: string | ParsedForm };

/**
 * Reads a body as PHP's `parse_str` does: `+` is a space, brackets (raw or percent-encoded) nest,
 * `a[]` appends, a later duplicate wins. Depth is capped as PHP's `max_input_nesting_level` (64).
 */
export function parseQuery(body: string, maxDepth = 64): ParsedForm {
  const out: ParsedForm = Object.create(null) as ParsedForm;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = phpUrldecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : phpUrldecode(pair.slice(eq + 1));
    const open = rawKey.indexOf("[");
    const base = open > 0 ? rawKey.slice(0, open) : rawKey;
    if (base === "") continue;
    const path: string[] = [];
    if (open > 0) {
      const re = /\[([^\]]*)\]/y;
      re.lastIndex = open;
      let m: RegExpExecArray | null;
      while ((m = re.exec(rawKey)) !== null) path.push(m[1] ?? "");
    }
    if (path.length > maxDepth) continue;
    let node: ParsedForm = out;
    let key = base;
    for (const seg of path) {
      let child = node[key];
      if (typeof child !== "object") {
        child = Object.create(null) as ParsedForm;
        node[key] = child;
      }
      node = child;
      key = seg === "" ? String(nextIndex(node)) : seg;
    }
    node[key] = value;
  }
  return out;
}

function nextIndex(node: ParsedForm): number {
  let max = -1;
  for (const k of Object.keys(node)) if (/^(0|[1-9]\d*)$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}
