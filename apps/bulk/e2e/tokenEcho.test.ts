/**
 * A registrar (or a proxy before it) that echoes the token back: in an HTML 500 page, in a JSON
 * `msg`, in a 403 body. The token's value is replaced wherever that text is shown or stored:
 * stderr, --verbose, plan lines, plan JSON, journal.jsonl and report.json.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { bulk, sandbox, TOKEN, tempDir } from "./env.js";
import { answeringProxy } from "./proxy.js";

let sb: Sandbox | undefined;
let closeProxy: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeProxy?.();
  await sb?.close();
  sb = undefined;
  closeProxy = undefined;
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? allFiles(p) : [p];
  });
}

describe("a token the registrar echoes back is shown and stored nowhere", () => {
  it("HTML 500 page, msg, 403 body: stderr, --verbose, plan lines and JSON, journal, report", async () => {
    sb = await sandbox({ seed: 4 });
    const [d0, d1, d2] = [...sb.state.domains.keys()];
    let pages = 0;
    const proxy = await answeringProxy(sb.url, (form, body) => {
      const domain = `${form.get("sld")}.${form.get("tld")}`;
      const action = form.get("action")?.toLowerCase();
      // Every other read of d0's nameservers: a proxy's 500 page (read again, as a retry shows).
      if (action === "getnameservers" && domain === d0 && pages++ % 2 === 0)
        return {
          status: 500,
          type: "text/html",
          text: `<html><body><h1>500</h1><p>POST ${body}</p><p>token: ${form.get("token")}</p></body></html>`,
        };
      if (action === "domaingetlockingstatus" && domain === d1)
        return {
          status: 200,
          type: "application/json",
          text: JSON.stringify({
            result: "error",
            msg: `Invalid request from ${form.get("token")} (token) for ${domain}`,
          }),
        };
      if (action === "savenameservers" && domain === d2)
        return {
          status: 200,
          type: "application/json",
          text: JSON.stringify({ result: "error", msg: `cannot save: ${body}` }),
        };
      if (action === "dasse")
        return { status: 403, type: "text/plain", text: `Forbidden: token ${form.get("token")} is not allowed` };
      return undefined;
    });
    closeProxy = proxy.close;
    const url = proxy.url;
    const dir = await tempDir();
    const m = join(dir, "m.yaml");
    writeFileSync(
      m,
      `version: 1\ndomains:\n  ${d0}:\n    nameservers: [ns1.e.se, ns2.e.se]\n  ${d1}:\n    lock: true\n  ${d2}:\n    nameservers: [ns1.e.se, ns2.e.se]\n`,
    );
    const env = { env: { REGDOM_ENDPOINT: url } };
    const outputs = [
      await bulk(sb, ["plan", m, "--verbose", "--out", join(dir, "plan.json")], env),
      await bulk(sb, ["plan", m, "--format", "json"], env),
      await bulk(sb, ["apply", m, "--yes", "--verbose", "--run-dir", join(dir, "run")], env),
      await bulk(sb, ["apply", m, "--yes", "--json", "--run-dir", join(dir, "run2")], env),
      await bulk(sb, ["check", "echo.se", "--verbose"], env),
    ];
    const text = outputs.map((o) => o.stdout + o.stderr).join("\n");
    // The echoes reached the outputs (so the scan below means something), with the token replaced.
    expect(text).toMatch(/Invalid request from \[token\]/);
    expect(text).toMatch(/retry GetNameservers .*token: \[token\]/);
    expect(text).toMatch(/Forbidden: token \[token\]/);
    expect(outputs[4]!.code).toBe(1);
    expect(text).not.toContain(TOKEN);
    const files = allFiles(dir);
    expect(files.some((f) => f.endsWith("journal.jsonl"))).toBe(true);
    expect(readFileSync(join(dir, "run", "report.json"), "utf8")).toMatch(/cannot save/);
    for (const f of files) expect(readFileSync(f, "utf8"), f).not.toContain(TOKEN);
  });
});
