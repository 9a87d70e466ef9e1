/**
 * `--with-glue`: each domain's live glue, read from the parent's referral through the resolver (the
 * sandbox's DNS stub publishing the sandbox's books as the parent of every TLD), is written in every
 * format that holds it, so the export plans to No changes with the same resolver. A glue read that
 * fails is a warning naming the domain and the export carries no glue for it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Sandbox, startDnsStub } from "@regdom/sandbox";
import { describe, expect, it } from "vitest";
import { bulk, exporter, sandbox, tempDir } from "./env.js";

/** Two domains: `a` delegated to its own nameservers with glue (and one child nameserver it does not use), `b` not. */
function portfolio(sb: Sandbox): { a: string; b: string } {
  const [a, b] = [...sb.state.domains.keys()].filter((n) => /^[a-z0-9.-]+$/.test(n));
  const d = sb.state.get(a!)!;
  d.nameservers = [`ns1.${a}`, `ns2.${a}`];
  d.childNameservers = {
    [`ns1.${a}`]: ["2001:db8::53", "192.0.2.53"],
    [`ns2.${a}`]: ["192.0.2.54"],
    // Registered but named by no nameserver of the domain: the parent publishes no glue for it.
    [`ns9.${a}`]: ["192.0.2.99"],
  };
  sb.state.get(b!)!.nameservers = ["ns1.example.net", "ns2.example.net"];
  return { a: a!, b: b! };
}

describe("regdom-export --with-glue", () => {
  it("writes the glue the parent publishes in YAML, JSON, CSV and XLSX; each plans to No changes with the same resolver", async () => {
    const sb = await sandbox({ seed: 6 });
    const stub = await startDnsStub({ delegations: sb.state });
    try {
      const { a, b } = portfolio(sb);
      const dir = await tempDir();
      const dns = ["--resolver", stub.address];
      for (const [out, format] of [
        ["p.yaml", "yaml"],
        ["p.json", "json"],
        ["csv", "csv"],
        ["p.xlsx", "xlsx"],
      ] as const) {
        const e = await exporter(sb, [a, b, "--out", join(dir, out), "--format", format, "--with-glue", ...dns]);
        expect(e.code, e.stderr).toBe(0);
        expect(e.stderr).not.toMatch(/warning/);
        const p = await bulk(sb, ["plan", join(dir, out), ...dns]);
        expect(p.stdout, `${format}: ${p.stderr}`).toBe("No changes.\n");
      }
      const yaml = readFileSync(join(dir, "p.yaml"), "utf8");
      expect(yaml).toContain(`    glue:\n      ns1.${a}: [192.0.2.53, 2001:db8::53]\n      ns2.${a}: [192.0.2.54]\n`);
      expect(yaml.match(/glue:/g)).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(dir, "p.json"), "utf8")).domains[a].glue).toEqual({
        [`ns1.${a}`]: ["192.0.2.53", "2001:db8::53"],
        [`ns2.${a}`]: ["192.0.2.54"],
      });
      const csv = readdirSync(join(dir, "csv")).find((f) => f.startsWith("glue"));
      expect(readFileSync(join(dir, "csv", csv!), "utf8")).toBe(
        `domain,nameserver,address\n${a},ns1.${a},192.0.2.53\n${a},ns1.${a},2001:db8::53\n${a},ns2.${a},192.0.2.54\n`,
      );

      // The glue is managed now: a change at the registry shows as a glue change.
      sb.state.get(a)!.childNameservers[`ns2.${a}`] = ["192.0.2.60"];
      const changed = await bulk(sb, ["plan", join(dir, "p.yaml"), ...dns]);
      expect(changed.stdout).toContain(`~ glue ns2.${a} 192.0.2.60 -> 192.0.2.54`);
    } finally {
      await stub.close();
      await sb.close();
    }
  });

  it("a glue read that fails: a warning naming the domain, and the export is the one without --with-glue", async () => {
    const sb = await sandbox({ seed: 6 });
    try {
      const { a, b } = portfolio(sb);
      const dir = await tempDir();
      const plain = await exporter(sb, [a, b, "--out", join(dir, "plain.yaml")]);
      expect(plain.code, plain.stderr).toBe(0);
      // Port 1 of loopback: nobody listens, every attempt is refused at once.
      const e = await exporter(sb, [a, b, "--out", join(dir, "glue.yaml"), "--with-glue", "--resolver", "127.0.0.1:1"]);
      expect(e.code, e.stderr).toBe(0);
      for (const n of [a, b])
        expect(e.stderr).toContain(`warning: ${n}: glue left out (unmanaged): the glue of ${n} could not be read`);
      expect(readFileSync(join(dir, "glue.yaml"))).toEqual(readFileSync(join(dir, "plain.yaml")));
    } finally {
      await sb.close();
    }
  });

  it("refuses --format bind (exit 2, nothing sent): glue is the parent zone's", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const name = [...sb.state.domains.keys()][0]!;
      const e = await exporter(sb, [name, "--out", join(await tempDir(), "z"), "--format", "bind", "--with-glue"]);
      expect(e.code).toBe(2);
      expect(e.stderr).toMatch(/--with-glue cannot go with --format bind/);
      expect(sb.requests).toHaveLength(0);
    } finally {
      await sb.close();
    }
  });
});
