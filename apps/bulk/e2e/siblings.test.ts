/**
 * When one read of a domain fails, its sibling reads are not left behind (issue 31): they end
 * before the domain is reported, so none retries on a closed connection pool after the summary.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir } from "./env.js";
import { answeringProxy } from "./proxy.js";

let sb: Sandbox | undefined;
let closeProxy: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeProxy?.();
  await sb?.close();
  sb = undefined;
  closeProxy = undefined;
});

describe("a domain that fails takes its sibling requests with it", () => {
  it("no request is retried after the summary, and no UND_ERR_ line is printed", async () => {
    sb = await sandbox({ seed: 3 });
    const [d0, d1] = [...sb.state.domains.keys()] as [string, string];
    // d0's lock is refused at once; its zone answers a proxy's 500 page twice (read again with
    // backoff), then the registrar's answer.
    const dnsTries = new Map<string, number>();
    const proxy = await answeringProxy(sb.url, (form) => {
      const domain = `${form.get("sld")}.${form.get("tld")}`;
      const action = form.get("action")?.toLowerCase();
      if (domain !== d0) return undefined;
      if (action === "domaingetlockingstatus")
        return { status: 200, type: "application/json", text: '{"result":"error","msg":"Lock service unavailable"}' };
      if (action === "getdns") {
        const n = (dnsTries.get(domain) ?? 0) + 1;
        dnsTries.set(domain, n);
        if (n <= 2)
          return { status: 500, type: "text/html", text: "<html><body>500 Internal Server Error</body></html>" };
      }
      return undefined;
    });
    closeProxy = proxy.close;
    const dir = await tempDir();
    const m = join(dir, "m.yaml");
    writeFileSync(
      m,
      `version: 1\ndomains:\n  ${d0}:\n    lock: true\n    dns: [{host: "@", type: A, address: 192.0.2.1}]\n  ${d1}:\n    lock: true\n`,
    );
    for (const args of [
      ["plan", m, "--verbose"],
      ["apply", m, "--yes", "--verbose", "--run-dir", join(dir, "run")],
    ]) {
      dnsTries.clear();
      const r = await bulk(sb, args, { env: { REGDOM_ENDPOINT: proxy.url } });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/Lock service unavailable/);
      expect(r.stderr).not.toMatch(/UND_ERR|closed|destroyed/i);
      // The zone read of the failed domain ran to its end (the registrar's answer) before the
      // command closed its connections.
      expect(dnsTries.get(d0)).toBe(3);
    }
  });
});
