import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InputProblem } from "@regdom/core/data";
import { UserError } from "@regdom/core/data";
import { describe, expect, it } from "vitest";
import { Assembly, type ReadSink } from "./assemble.js";
import { readCsv } from "./csvRead.js";
import { loadManifests } from "./load.js";
import { formatProblem } from "./place.js";
import { readYaml } from "./yamlRead.js";
import { readZone } from "./zoneRead.js";

const said = (ps: readonly InputProblem[]) => ps.map(formatProblem);

describe("readers hand what they read to one assembler, and return their problems", () => {
  it("a reader returns its file's problems as a value; the assembly holds the manifest", async () => {
    const a = new Assembly();
    const problems = await readCsv(
      Buffer.from("domain,ns1,ns2,lock\nexempel.se,ns1.a.se,ns2.a.se,true\nandra.se,ns1.a.se,,maybe\n"),
      "d.csv",
      a,
    );
    expect(said(problems)).toEqual([
      'd.csv:3:4: lock "maybe" is not a boolean: use true/false, yes/no, ja/nej, 1/0 or x',
      "d.csv:3:2: warning: only one nameserver: most registries want at least two",
    ]);
    expect(a.errors).toEqual([]);
    expect(a.manifest.domains.get("exempel.se")).toMatchObject({ nameservers: ["ns1.a.se", "ns2.a.se"], lock: true });
  });

  it("a reader only calls its sink: a zone file is one whole domain, a YAML file its domains and owners", () => {
    const calls: string[] = [];
    const sink = new Proxy(new Assembly(), {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        return typeof v === "function"
          ? (...args: unknown[]) => {
              calls.push(String(key));
              return v.apply(target, args);
            }
          : v;
      },
    }) as ReadSink;
    expect(readZone("$ORIGIN exempel.se.\n@ IN A 192.0.2.1\n", "exempel.se.zone", sink)).toEqual([]);
    expect(calls).toEqual(["domain"]);
    calls.length = 0;
    const yaml = "version: 1\nowners:\n  acme: {firstname: A}\ndomains:\n  andra.se: {lock: true}\n";
    const problems = readYaml(yaml, "m.yaml", sink);
    expect(calls).toEqual(["ownerNamed", "owner", "domain"]);
    expect(problems.length).toBeGreaterThan(0); // the owner profile is incomplete: said by the reader
  });

  it("a section another file gave is refused in its place among the file's own problems", async () => {
    const dir = await mkdtemp(join(tmpdir(), "assemble-"));
    await writeFile(join(dir, "a.yaml"), "version: 1\ndomains:\n  exempel.se:\n    lock: true\n");
    await writeFile(
      join(dir, "b.yaml"),
      "version: 1\ndomains:\n  andra.se:\n    lock: maybe\n  exempel.se:\n    lock: false\n  tredje.se:\n    autorenew: maybe\n",
    );
    const e = (await loadManifests([dir]).catch((x: unknown) => x)) as UserError;
    expect(e).toBeInstanceOf(UserError);
    expect(said(e.problems ?? [])).toEqual([
      `${join(dir, "b.yaml")}:4:11: lock "maybe" is not a boolean: use true/false, yes/no, ja/nej, 1/0 or x`,
      `${join(dir, "b.yaml")}:5:3: the lock of exempel.se is already given by an earlier file (the domain is first named at ${join(dir, "a.yaml")}:3); give each section of a domain once`,
      `${join(dir, "b.yaml")}:8:16: autorenew "maybe" is not a boolean: use true/false, yes/no, ja/nej, 1/0 or x`,
    ]);
  });
});
