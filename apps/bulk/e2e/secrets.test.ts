import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordingProxy } from "@regdom/sandbox/testing";
import { describe, expect, it } from "vitest";
import { bulk, exporter, sandbox, TOKEN, tempDir } from "./env.js";

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? allFiles(p) : e.isFile() ? [p] : [];
  });
}

describe("the token appears nowhere", () => {
  it("after an end-to-end run with --verbose: outputs, run folders, reports, plans, exports", async () => {
    const sb = await sandbox({ seed: 12, faults: { failRate: 0.2, garbageRate: 0.1 }, randomSeed: 3 });
    // Every CLI talks through a proxy that keeps the raw bytes each request put on the socket.
    const proxy = await recordingProxy(sb.url);
    const endpoint = { REGDOM_ENDPOINT: proxy.url };
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const tokenFile = join(dir, "token");
      writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\ndomains:\n${names.map((n) => `  ${n}:\n    nameservers: [ns1.s.se, ns2.s.se]\n`).join("")}  saknas.se:\n    lock: true\n`,
      );
      const env = { REGDOM_TOKEN: "", ...endpoint };
      const outputs = [
        await bulk(sb, ["plan", m, "--token-file", tokenFile, "--out", join(dir, "plan.json"), "-v", "--rate", "500"], {
          env,
        }),
        await bulk(
          sb,
          ["apply", m, "--token-file", tokenFile, "--yes", "--run-dir", join(dir, "run"), "--verbose", "--rate", "500"],
          { env },
        ),
        await bulk(sb, ["rollback", join(dir, "run"), "--token-file", tokenFile, "--yes", "--json", "--rate", "500"], {
          env,
        }),
        await bulk(sb, ["check", "a.se", "b.nu", "--token-file", tokenFile, "-v"], { env }),
        await exporter(
          sb,
          [
            ...names,
            "--token-file",
            tokenFile,
            "--out",
            join(dir, "exp.yaml"),
            "--with-epp",
            "--verbose",
            "--rate",
            "500",
          ],
          { env },
        ),
        await exporter(
          sb,
          [...names, "--token-file", tokenFile, "--backup-dir", join(dir, "bk"), "--format", "csv", "--rate", "500"],
          { env },
        ),
        await bulk(sb, ["plan", m, "--endpoint", "http://192.0.2.1/api.php", "--token-file", tokenFile], { env }),
      ];
      expect(outputs[1]!.stderr).toMatch(/\[regdom\] SaveNameservers/);
      for (const o of outputs) {
        expect(o.stdout).not.toContain(TOKEN);
        expect(o.stderr).not.toContain(TOKEN);
      }
      const files = allFiles(dir).filter((f) => f !== tokenFile);
      expect(files.length).toBeGreaterThan(8);
      for (const f of files) expect(readFileSync(f, "utf8"), f).not.toContain(TOKEN);
      expect(statSync(join(dir, "exp.yaml")).mode & 0o777).toBe(0o600);
      // The token reached the socket (so the scan below can see it), and only where it belongs:
      // once per request, as the form field `token=` in the body; never in the path or a header.
      const requests = proxy
        .sent()
        .flatMap((c) => c.toString("latin1").split(/(?=POST \/)/))
        .filter((r) => r.startsWith("POST "));
      expect(requests.length).toBeGreaterThan(50);
      for (const req of requests) {
        const [head, body = ""] = req.split("\r\n\r\n");
        expect(head).not.toContain(TOKEN);
        expect(body.split("&").filter((kv) => kv.includes(TOKEN))).toEqual([`token=${TOKEN}`]);
      }
    } finally {
      await proxy.close();
      await sb.close();
    }
  });
  it("http:// to a non-loopback host is refused before any connection (exit 2)", async () => {
    // 192.0.2.1 (TEST-NET) never answers: a client that tried it would end unreachable (exit 1),
    // not with this usage error.
    const r = await bulk(undefined, ["check", "a.se", "--endpoint", "http://192.0.2.1/api.php"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing http:\/\/ endpoint 192\.0\.2\.1/);
    expect(r.stderr).not.toMatch(/unreachable|timed out|ETIMEDOUT|ECONNREFUSED/i);
  });
  it("a missing token is a clear usage error", async () => {
    const r = await bulk(undefined, ["check", "a.se"], { env: { REGDOM_TOKEN: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no API token: set REGDOM_TOKEN or use --token-file PATH/);
  });
});
