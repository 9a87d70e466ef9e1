/** Zone files as manifests, through the built CLI: refused types name file:line (exit 2, nothing sent). */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bulk, FIXTURES, sandbox } from "./env.js";

describe("zone files through regdom-bulk", () => {
  it("a type the registrar does not offer: exit 2 with file:line, nothing sent; --skip-unsupported lists it", async () => {
    const sb = await sandbox({ seed: 1 });
    try {
      const zone = join(FIXTURES, "zones", "pdnsutil.zone");
      const refused = await bulk(sb, ["plan", zone]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/pdnsutil\.zone:8:\d+: SRV records are not offered by the registrar/);
      expect(sb.requests).toHaveLength(0);
      const skipped = await bulk(sb, ["validate", zone, "--skip-unsupported"]);
      expect(skipped.code).toBe(0);
      expect(skipped.stderr).toMatch(/pdnsutil\.zone:8:\d+: warning: skipped SRV record at "_sip._tcp"/);
      expect(skipped.stderr).toMatch(/pdnsutil\.zone:1:1: warning: SOA and apex NS records skipped/);
    } finally {
      await sb.close();
    }
  });
  it("a folder of zone files is a portfolio of zones", async () => {
    const r = await bulk(undefined, ["validate", join(FIXTURES, "zones"), "--skip-unsupported"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Valid: 4 domain\(s\) in 4 file\(s\); 0 owner\(s\); zones 4/);
  });
});
