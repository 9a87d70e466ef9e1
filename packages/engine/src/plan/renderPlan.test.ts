/**
 * Plans for people show registrar values as data: a control character is written escaped in
 * text, and markdown cannot be steered by a value (no heading, image, HTML or closed fence).
 */
import type { DnsRecord } from "@regdom/core";
import { describe, expect, it } from "vitest";
import type { Change, DomainPlan, Plan } from "./model.js";
import { renderPlanMarkdown, renderPlanText } from "./renderPlan.js";

const FORGED = "\n    + register 10 years (owner x): expiry (none) -> 2036-01-01  [money]\n";
const HOSTILE = [
  `1.2.3.4${FORGED}`,
  "\u001b[2J\u001b[H",
  "\u001b]0;pwned\u0007",
  "x\r+ register",
  "\u202eevil",
  "\u0085next",
];

function planOf(records: DnsRecord[], extra: Partial<DomainPlan> = {}): Plan {
  const change: Change = { section: "dns", before: records, after: [], add: [], remove: records, modify: [] };
  const d = {
    name: "a.se",
    display: "a.se",
    action: "update",
    changes: [
      change,
      { section: "forwarding", before: [], after: [], add: [], remove: [{ prefix: "=1+1", to: FORGED }] },
    ],
    fingerprint: "",
    desired: { name: "a.se", display: "a.se", source: { file: "m" } },
    notes: [],
    ...extra,
  } as DomainPlan;
  return {
    version: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    endpoint: "http://127.0.0.1/api.php",
    manifestDigest: "0".repeat(64),
    domains: [d],
    summary: {
      domains: 1,
      changed: 1,
      unchanged: 0,
      errors: 0,
      create: 0,
      update: 1,
      delete: 0,
      register: 0,
      transfer: 0,
      renew: 0,
      years: 0,
      writes: 1,
    },
  } as unknown as Plan;
}

const records: DnsRecord[] = HOSTILE.flatMap((v, i) => [
  { host: `h${i}`, type: "URL", address: v, priority: null },
  { host: v, type: "A", address: "192.0.2.1", priority: null },
]);

describe("plans show registrar values as data", () => {
  it("text: control characters escaped, so no value starts a line or moves the cursor", () => {
    const text = renderPlanText(planOf(records));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(text).not.toMatch(/^\s*\+ register/m);
    expect(text).toContain("- dns h0 URL 1.2.3.4\\n    + register 10 years (owner x)");
    expect(text).toContain("- dns h1 URL \\x1b[2J\\x1b[H");
    expect(text).toContain("- dns h2 URL \\x1b]0;pwned\\x07");
    expect(text).toContain("- dns h3 URL x\\r+ register");
    expect(text).toContain("- dns h4 URL \\u202eevil");
    expect(text).toContain("- dns h5 URL \\x85next");
    expect(text).toContain("- forwarding =1+1 -> \\n    + register");
    // An error or note from outside is data too.
    const err = renderPlanText(planOf([], { action: "error", error: `registrar said: no${FORGED}` }));
    expect(err).toContain("! a.se: registrar said: no\\n    + register");
  });

  it("markdown: no value adds a heading, an image, HTML or a line, or closes the fence", () => {
    const md = renderPlanMarkdown(
      planOf([
        ...records,
        { host: "img", type: "TXT", address: "![x](https://evil.example/t.png) <img src=x> # h", priority: null },
        { host: "fence", type: "TXT", address: "```\n# Approved\n````` ~~~", priority: null },
        { host: "cell", type: "URL", address: "https://a.se/ | x | [link](javascript:alert(1))", priority: null },
      ]),
    );
    const lines = md.split("\n");
    // Every line is ours: the title, the summary, the table, the details block, the footer.
    expect(lines.filter((l) => /^#/.test(l))).toEqual(["## regdom plan"]);
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    const fenceOpen = lines.find((l) => /^`{3,}diff$/.test(l))!;
    const fence = fenceOpen.replace("diff", "");
    expect(fence.length).toBeGreaterThan(5);
    expect(lines.filter((l) => l.startsWith(fence) && /^`+(diff)?$/.test(l))).toEqual([fenceOpen, fence]);
    // The table: one row per domain, each change a code span, so markdown and HTML in values are text.
    const rows = lines.filter((l) => l.startsWith("| ~ | a.se |"));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.match(/(?<!\\)\|/g)).toHaveLength(4);
    const cells = rows[0]!.slice("| ~ | a.se | ".length, -2).split("<br>");
    for (const c of cells) expect(c, c).toMatch(/^(`+) .* \1$/);
  });
});
