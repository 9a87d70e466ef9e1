// Load from a second process: N requests over C keep-alive connections to the sandbox.
import { Pool } from "undici";

const [url, n, c, domain] = process.argv.slice(2);
const u = new URL(url);
const pool = new Pool(u.origin, { connections: Number(c), pipelining: 1 });
const dot = domain.indexOf(".");
const body = `token=T&authemail=e%40x.se&action=GetNameservers&sld=${domain.slice(0, dot)}&tld=${domain.slice(dot + 1)}`;
let next = 0;
let ok = 0;
const t0 = performance.now();
async function worker() {
  while (next < Number(n)) {
    next++;
    const res = await pool.request({
      path: u.pathname,
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const text = await res.body.text();
    if (text.includes('"success"')) ok++;
  }
}
await Promise.all(Array.from({ length: Number(c) }, worker));
const seconds = (performance.now() - t0) / 1000;
await pool.close();
process.stdout.write(JSON.stringify({ requests: ok, seconds }));
