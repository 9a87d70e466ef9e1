import { describe, expect, it } from "vitest";
import { buildQuery } from "./formEncode.js";
import { REDACTED_TOKEN, redactor } from "./redact.js";

describe("redactor", () => {
  const token = "AaLc8e/NZ+Ws Zt&Wl<T9>\"é'";
  const redact = redactor(token);
  it("replaces the token raw, form-encoded as sent, json-escaped (PHP and JS) and HTML-escaped", () => {
    const echoes = [
      token,
      buildQuery({ token, action: "GetDNS" }),
      JSON.stringify({ msg: token }),
      JSON.stringify({ msg: token }).replace(/\//g, "\\/").replace("é", "\\u00e9"),
      "&lt;p&gt;AaLc8e/NZ+Ws Zt&amp;Wl&lt;T9&gt;&quot;é&#039;",
      encodeURIComponent(token),
    ];
    for (const e of echoes) {
      const out = redact(`before ${e} after`);
      expect(out, e).toContain(REDACTED_TOKEN);
      expect(out, e).not.toContain("NZ");
    }
  });
  it("leaves other text alone, and does not search for a token too short to tell from text", () => {
    expect(redact("nothing secret here")).toBe("nothing secret here");
    expect(redactor("t")("result: success")).toBe("result: success");
  });
});
