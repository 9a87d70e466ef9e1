import { describe, expect, it } from "vitest";
import { emptyManifest } from "./model.js";
import { Problems } from "./problems.js";
import { readYamlManifest } from "./yamlRead.js";
import { writeYamlManifest } from "./yamlWrite.js";

describe("writeYamlManifest", () => {
  it("keeps a TXT record holding U+2028/U+2029 (line breaks to a JS regex, not to YAML) as it was", () => {
    const m = emptyManifest();
    const address = "a\u2029b\u2028c";
    m.domains.set("a.se", {
      name: "a.se",
      display: "a.se",
      source: { file: "gen" },
      dns: [{ host: "@", type: "TXT", address, priority: null }],
    });
    const back = emptyManifest();
    const p = new Problems();
    readYamlManifest(writeYamlManifest(m), "m.yaml", p, back);
    expect(p.errors).toEqual([]);
    expect(back.domains.get("a.se")!.dns![0]!.address).toBe(address);
  });
});
