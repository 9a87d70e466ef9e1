/**
 * A section is one module plus its registration: a test-only section ("hosts", shaped as glue is:
 * `{ns1.exempel.se: [192.0.2.1]}` in YAML, `domain,hostname,ip` rows in a table), registered
 * beside the real ones, is read from YAML, CSV and XLSX with no change to any reader, and its
 * validator's messages are the same from each.
 */
import { isIPv4 } from "node:net";
import { utils, write } from "@e965/xlsx";
import type { InputProblem } from "@regdom/core";
import { describe, expect, it, vi } from "vitest";
import { readCsvManifest } from "../csvRead.js";
import { emptyManifest } from "../model.js";
import { Problems } from "../problems.js";
import { readXlsxManifest } from "../xlsxRead.js";
import { readYamlManifest } from "../yamlRead.js";

const read = vi.hoisted(() => new Map<string, string[]>());

vi.mock("./index.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./index.js")>();
  const { checked } = await import("./located.js");
  // The whole module of the section: its validator, and where its value goes.
  const HOSTS = real.define({
    key: "hosts",
    // Claims "each section once" under a name the model has (a real section adds its own to SECTION_FIELDS).
    section: "dns_ignore",
    shape: "rows",
    keys: ["hostname", "ip"],
    keyed: true,
    table: { columns: ["hostname", "ip"] },
    validate: (rows) =>
      checked((p) =>
        rows.flatMap((r) => {
          const ip = String(r.fields.ip ?? "");
          if (isIPv4(ip)) return [`${String(r.fields.hostname)} ${ip}`];
          p.error(r.at("ip"), `the address "${ip}" of ${String(r.fields.hostname)} must be an IPv4 address`);
          return [];
        }),
      ),
    assign: (d, v: string[]) => {
      read.set(d.name, v);
    },
  });
  const DOMAIN_SECTIONS = [...real.DOMAIN_SECTIONS, HOSTS];
  return { ...real, DOMAIN_SECTIONS, SECTION_BY_KEY: new Map(DOMAIN_SECTIONS.map((s) => [s.key, s])) };
});

const said = (ps: InputProblem[]) => ps.map((x) => `${x.severity}: ${x.message}`);
const ROWS = [
  ["domain", "hostname", "ip"],
  ["exempel.se", "ns1.exempel.se", "192.0.2.1"],
  ["exempel.se", "ns1.exempel.se", "192.0.2.300"],
  ["exempel.se", "ns2.exempel.se", "192.0.2.2"],
];
const GOOD = ["ns1.exempel.se 192.0.2.1", "ns2.exempel.se 192.0.2.2"];
const BAD = ['error: the address "192.0.2.300" of ns1.exempel.se must be an IPv4 address'];

describe("a test-only section, registered and nothing else", () => {
  it("is read from YAML, placed at its value", () => {
    read.clear();
    const p = new Problems();
    const yaml =
      "version: 1\ndomains:\n  exempel.se:\n    hosts:\n      ns1.exempel.se: [192.0.2.1, 192.0.2.300]\n      ns2.exempel.se: 192.0.2.2\n";
    readYamlManifest(yaml, "m.yaml", p, emptyManifest());
    expect(said(p.errors)).toEqual(BAD);
    expect(p.errors[0]).toMatchObject({ line: 5, column: 35 });
    expect(read.get("exempel.se")).toEqual(GOOD);
  });

  it("is read from a CSV table known by its columns, with the same messages", async () => {
    read.clear();
    const p = new Problems();
    const m = emptyManifest();
    await readCsvManifest(Buffer.from(ROWS.map((r) => r.join(",")).join("\n")), "hosts.csv", p, m);
    expect(said(p.errors)).toEqual(BAD);
    expect(p.errors[0]).toMatchObject({ line: 3, column: 3 });
    expect(read.get("exempel.se")).toEqual(GOOD);
  });

  it("is read from a workbook's sheet, with the same messages", () => {
    read.clear();
    const wb = utils.book_new();
    utils.book_append_sheet(wb, utils.aoa_to_sheet(ROWS), "Hosts");
    const p = new Problems();
    readXlsxManifest(write(wb, { type: "buffer", bookType: "xlsx" }) as Uint8Array, "m.xlsx", p, emptyManifest());
    expect(said(p.errors)).toEqual(BAD);
    expect(p.errors[0]).toMatchObject({ sheet: "Hosts", line: 3, column: 3 });
    expect(read.get("exempel.se")).toEqual(GOOD);
  });
});
