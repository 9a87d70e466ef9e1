/**
 * One self-contained HTML page: inline CSS, a little inline JavaScript allowed by its hash in a
 * Content-Security-Policy, nothing fetched. Everything that came from a manifest or a registrar
 * goes through `esc`, and the policy would stop an injected script even if something slipped.
 */
import { createHash } from "node:crypto";

/** Text for HTML: & < > " ' escaped. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const CSS = `
:root { --add: #1a7f37; --mod: #9a6700; --del: #cf222e; --dim: #57606a; --line: #d0d7de; font-family: system-ui, sans-serif; }
body { margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta { color: var(--dim); font-size: .9rem; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; } .card { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; }
.card b { display: block; font-size: 1.3rem; }
.add { color: var(--add); } .mod { color: var(--mod); } .del { color: var(--del); } .err { color: var(--del); font-weight: bold; }
details.domain { border-bottom: 1px solid var(--line); padding: .2rem 0; } details.domain summary { cursor: pointer; font-family: ui-monospace, monospace; }
pre.lines { margin: .3rem 0 .5rem 1.5rem; font-size: .9rem; white-space: pre-wrap; word-break: break-all; }
.controls { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid var(--line); display: flex; gap: 1rem; align-items: center; }
.controls input[type=search] { flex: 1; padding: .3rem; }
.hidden { display: none; } .note { color: var(--dim); }
svg text { font-size: 10px; fill: #1f2328; } svg rect.bar { fill: #0969da; }
table.sortable th { cursor: pointer; user-select: none; } th[data-dir=asc]::after { content: " ▲"; } th[data-dir=desc]::after { content: " ▼"; }
#all-domains td { white-space: nowrap; }
.outcome { font-family: system-ui, sans-serif; font-size: .8rem; border: 1px solid currentColor; border-radius: 4px; padding: 0 .3rem; }
@media (max-width: 40rem) { body { margin: 1rem auto; } .controls { flex-wrap: wrap; } table { display: block; overflow-x: auto; } td, th { white-space: nowrap; } }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; } .controls { display: none; } details.domain.hidden { display: block; }
  details.domain { break-inside: avoid; } details.domain > summary { list-style: none; }
  h2 { break-after: avoid; } a { color: inherit; text-decoration: none; }
}
`;

/** A whole page. `script` runs under the page's policy (allowed by its sha256, nothing else). */
export function page(title: string, body: string, script = ""): string {
  const hash = createHash("sha256").update(script).digest("base64");
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
${script ? `<script>${script}</script>` : ""}
</body>
</html>
`;
}
