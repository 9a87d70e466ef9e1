/**
 * One bad value per section, read from YAML, CSV, XLSX and (for dns) a zone file: every format
 * says the same thing about it, only the place differs (one validator per section, see sections/).
 */
import { utils, write } from "@e965/xlsx";
import type { InputProblem } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readCsvManifest } from "./csvRead.js";
import { emptyManifest } from "./model.js";
import { Problems } from "./problems.js";
import { readXlsxManifest } from "./xlsxRead.js";
import { readYamlManifest } from "./yamlRead.js";
import { readZoneManifest } from "./zoneRead.js";

/** What a problem says, without where (each is located: a line, or a sheet's row). */
function said(ps: InputProblem[]): string[] {
  for (const x of ps) expect(x.line, `${x.message} has no line`).toBeGreaterThan(0);
  return ps.map((x) => `${x.severity}: ${x.message}`);
}

const yamlText = (domain: string): string =>
  `version: 1\ndomains:\n  exempel.se:\n${domain
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}\n`;

function yaml(domain: string): string[] {
  const p = new Problems();
  readYamlManifest(yamlText(domain), "m.yaml", p, emptyManifest());
  return said([...p.errors, ...p.warnings]);
}

/** The same manifest as JSON (read by the YAML reader, whose places are JSON's lines). */
function json(domain: string): string[] {
  const p = new Problems();
  readYamlManifest(JSON.stringify(parse(yamlText(domain)), null, 2), "m.json", p, emptyManifest());
  return said([...p.errors, ...p.warnings]);
}

async function csv(tables: string[][][]): Promise<string[]> {
  const p = new Problems();
  const m = emptyManifest();
  for (const [i, rows] of tables.entries())
    await readCsvManifest(Buffer.from(rows.map((r) => r.join(",")).join("\n")), `t${i}.csv`, p, m);
  return said([...p.errors, ...p.warnings]);
}

function xlsx(tables: string[][][]): string[] {
  const wb = utils.book_new();
  for (const [i, rows] of tables.entries()) utils.book_append_sheet(wb, utils.aoa_to_sheet(rows), `Sheet${i + 1}`);
  const p = new Problems();
  readXlsxManifest(write(wb, { type: "buffer", bookType: "xlsx" }) as Uint8Array, "m.xlsx", p, emptyManifest());
  return said([...p.errors, ...p.warnings]);
}

function zone(records: string): string[] {
  const p = new Problems();
  readZoneManifest(`$ORIGIN exempel.se.\n${records}\n`, "exempel.se.zone", p, emptyManifest());
  return said([...p.errors, ...p.warnings]);
}

interface Case {
  name: string;
  yaml: string;
  tables: string[][][];
  zone?: string;
  /** What the one message says, when the case checks it. */
  says?: RegExp;
}

const DNS = ["domain", "host", "type", "address", "priority"];
const GLUE = ["domain", "nameserver", "address"];
const CASES: Case[] = [
  {
    name: "a bad nameserver",
    yaml: "nameservers: [ns1..host.se, ns2.host.se]",
    tables: [
      [
        ["domain", "ns1", "ns2"],
        ["exempel.se", "ns1..host.se", "ns2.host.se"],
      ],
    ],
  },
  {
    name: "a nameserver listed twice",
    yaml: "nameservers: [ns1.host.se, ns1.host.se]",
    tables: [
      [
        ["domain", "ns1", "ns2"],
        ["exempel.se", "ns1.host.se", "ns1.host.se"],
      ],
    ],
  },
  {
    name: "only one nameserver",
    yaml: "nameservers: [ns1.host.se]",
    tables: [
      [
        ["domain", "ns1"],
        ["exempel.se", "ns1.host.se"],
      ],
    ],
  },
  {
    name: "an MX without a priority",
    yaml: "dns:\n  - {host: '@', type: MX, address: mx.host.se}",
    tables: [[DNS, ["exempel.se", "@", "MX", "mx.host.se", ""]]],
  },
  {
    name: "a duplicate record",
    yaml: "dns:\n  - {host: www, type: A, address: 192.0.2.1}\n  - {host: www, type: A, address: 192.0.2.1}",
    tables: [[DNS, ["exempel.se", "www", "A", "192.0.2.1", ""], ["exempel.se", "www", "A", "192.0.2.1", ""]]],
    zone: "www A 192.0.2.1\nwww A 192.0.2.1",
  },
  {
    name: "a bad dns_ignore type",
    yaml: "dns_ignore:\n  - {host: _acme*, type: BOGUS}",
    tables: [
      [
        ["domain", "ignore_host", "ignore_type"],
        ["exempel.se", "_acme*", "BOGUS"],
      ],
    ],
  },
  {
    name: "a bad expires_not_before",
    yaml: "expires_not_before: 2028-13-01",
    tables: [
      [
        ["domain", "expires_not_before"],
        ["exempel.se", "2028-13-01"],
      ],
    ],
  },
  {
    name: "a bad idprotection value",
    yaml: "idprotection: sometimes",
    tables: [
      [
        ["domain", "idprotection"],
        ["exempel.se", "sometimes"],
      ],
    ],
  },
  {
    name: "a bad registrant telephone",
    yaml: "registrant: {name: Anna, telephone: '0701234567'}",
    tables: [
      [
        ["domain", "name", "telephone"],
        ["exempel.se", "Anna", "0701234567"],
      ],
    ],
  },
  {
    name: "an authcode on a register",
    yaml: "register: {years: 1, owner: acme, authcode: abc}",
    tables: [
      [
        ["domain", "operation", "years", "owner", "authcode"],
        ["exempel.se", "register", "1", "acme", "abc"],
      ],
    ],
  },
  {
    name: "a bad IP in an A record",
    yaml: "dns:\n  - {host: www, type: A, address: 300.1.2.3}",
    tables: [[DNS, ["exempel.se", "www", "A", "300.1.2.3", ""]]],
    zone: "www A 300.1.2.3",
  },
  {
    name: "an unknown record type",
    yaml: "dns:\n  - {host: www, type: FOO, address: x}",
    tables: [[DNS, ["exempel.se", "www", "FOO", "x", ""]]],
    zone: "www FOO x",
  },
  {
    name: "a bad URL record",
    yaml: "dns:\n  - {host: www, type: URL, address: ftp://exempel.se}",
    tables: [[DNS, ["exempel.se", "www", "URL", "ftp://exempel.se", ""]]],
    zone: "www URL ftp://exempel.se",
  },
  {
    name: "a bad forwarding address",
    yaml: "forwarding:\n  - {prefix: info, to: not-an-address}",
    tables: [
      [
        ["domain", "prefix", "to"],
        ["exempel.se", "info", "not-an-address"],
      ],
    ],
  },
  {
    name: "a forwarding prefix given twice",
    yaml: "forwarding:\n  - {prefix: info, to: a@b.se}\n  - {prefix: info, to: c@b.se}",
    tables: [
      [
        ["domain", "prefix", "to"],
        ["exempel.se", "info", "a@b.se"],
        ["exempel.se", "info", "c@b.se"],
      ],
    ],
  },
  {
    name: "a bad registrant country and e-mail",
    yaml: "registrant: {name: Anna, country: XX, email: anna}",
    tables: [
      [
        ["domain", "name", "country", "email"],
        ["exempel.se", "Anna", "XX", "anna"],
      ],
    ],
  },
  {
    name: "a bad lock value",
    yaml: "lock: maybe",
    tables: [
      [
        ["domain", "lock"],
        ["exempel.se", "maybe"],
      ],
    ],
  },
  {
    name: "an unknown state",
    yaml: "state: gone",
    tables: [
      [
        ["domain", "state"],
        ["exempel.se", "gone"],
      ],
    ],
  },
  {
    name: "bad years",
    yaml: "register: {years: 11, owner: acme}",
    tables: [
      [
        ["domain", "operation", "years", "owner"],
        ["exempel.se", "register", "11", "acme"],
      ],
    ],
  },
  {
    name: "a purchase without an owner",
    yaml: "transfer: {years: 1, authcode: abc}",
    tables: [
      [
        ["domain", "operation", "years", "authcode"],
        ["exempel.se", "transfer", "1", "abc"],
      ],
    ],
  },
  {
    name: "a glue host outside the domain",
    yaml: "glue: {ns1.other.se: [192.0.2.53]}",
    tables: [[GLUE, ["exempel.se", "ns1.other.se", "192.0.2.53"]]],
    says: /^error: glue host ns1\.other\.se is not under exempel\.se/,
  },
  {
    name: "a bad glue address",
    yaml: "glue: {ns1.exempel.se: [192.0.2.300]}",
    tables: [[GLUE, ["exempel.se", "ns1.exempel.se", "192.0.2.300"]]],
    says: /^error: glue address "192\.0\.2\.300" of ns1\.exempel\.se is not an IPv4 or IPv6 address/,
  },
];

describe("one validator per section: the same messages from every format", () => {
  for (const c of CASES)
    it(c.name, async () => {
      const fromYaml = yaml(c.yaml);
      expect(fromYaml.length).toBeGreaterThan(0);
      if (c.says) expect(fromYaml).toEqual([expect.stringMatching(c.says)]);
      expect({ json: json(c.yaml), csv: await csv(c.tables), xlsx: xlsx(c.tables) }).toEqual({
        json: fromYaml,
        csv: fromYaml,
        xlsx: fromYaml,
      });
      if (c.zone) expect(zone(c.zone)).toEqual(fromYaml);
    });
});
