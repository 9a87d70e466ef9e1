import { emptyManifest, Problems, readCsvManifest } from "@regdom/manifest";
import { describe, expect, it } from "vitest";
import { planDomain } from "./planDomain.js";

async function csv(text: string) {
  const m = emptyManifest();
  await readCsvManifest(Buffer.from(text), "x.csv", new Problems(), m);
  return { m };
}

describe("plan notes the marks a spreadsheet leaves", () => {
  it("notes a host that lost its leading zeros against the live zone", async () => {
    const { m } = await csv("domain,host,type,address,priority\nex.se,7,A,192.0.2.1,\n");
    const live = { exists: true, dns: [{ host: "007", type: "A", address: "192.0.2.1", priority: null }] };
    const plan = planDomain(m.domains.get("ex.se")!, live, {});
    expect(plan.notes.join("\n")).toMatch(/host "7" may be the live "007"/);
  });
});
