/**
 * The body as PHP fills `$_POST`: `+` is a space, `%XX` escapes, brackets raw or percent-encoded
 * nest arrays, `a[]` appends, nesting deeper than PHP's `max_input_nesting_level` (64) drops the
 * variable. Written apart from the client's encoder on purpose, so one bug cannot hide in both.
 */
export type PostValue = string | PostArray;
export interface PostArray {
  [key: string]: PostValue;
}

const MAX_NESTING = 64;
const MAX_VARS = 1000; // PHP's max_input_vars

function urldecode(s: string): string {
  const spaced = s.replaceAll("+", " ");
  if (!spaced.includes("%")) return spaced;
  const bytes: number[] = [];
  for (let i = 0; i < spaced.length; i++) {
    const c = spaced[i]!;
    const hex = spaced.slice(i + 1, i + 3);
    if (c === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, "utf8")) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

export function parsePost(body: string): PostArray {
  const out: PostArray = Object.create(null) as PostArray;
  let vars = 0;
  for (const pair of body.split("&")) {
    if (!pair) continue;
    if (++vars > MAX_VARS) break;
    const eq = pair.indexOf("=");
    const key = urldecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : urldecode(pair.slice(eq + 1));
    const first = key.indexOf("[");
    const name = first > 0 ? key.slice(0, first) : key;
    if (!name) continue;
    const segments: string[] = [];
    let rest = first > 0 ? key.slice(first) : "";
    while (rest.startsWith("[")) {
      const close = rest.indexOf("]");
      if (close < 0) break;
      segments.push(rest.slice(1, close));
      rest = rest.slice(close + 1);
    }
    if (segments.length >= MAX_NESTING) continue;
    let node = out;
    let slot = name;
    for (const seg of segments) {
      const existing = node[slot];
      const child: PostArray = typeof existing === "object" ? existing : (Object.create(null) as PostArray);
      node[slot] = child;
      node = child;
      slot = seg === "" ? String(Object.keys(child).filter((k) => /^\d+$/.test(k)).length) : seg;
    }
    node[slot] = value;
  }
  return out;
}
