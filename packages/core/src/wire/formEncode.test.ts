import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { phpAvailable, phpRequired, runPhp } from "../test-support/php.js";
import { buildQuery, parseQuery, phpUrlencode } from "./formEncode.js";

describe("buildQuery", () => {
  it("percent-encodes + so PHP does not read a space", () => {
    expect(buildQuery({ phonenumber: "+46.701234567" })).toBe("phonenumber=%2B46.701234567");
  });
  it("writes spaces as + and UTF-8 as bytes", () => {
    expect(buildQuery({ city: "Göteborg C" })).toBe("city=G%C3%B6teborg+C");
  });
  it("nests arrays in bracket form", () => {
    expect(buildQuery({ contactdetails: { Registrant: { Name: "A B" } }, list: ["x", "y"] })).toBe(
      "contactdetails%5BRegistrant%5D%5BName%5D=A+B&list%5B0%5D=x&list%5B1%5D=y",
    );
  });
  it("skips null and undefined like http_build_query", () => {
    expect(buildQuery({ a: null, b: undefined, c: "" })).toBe("c=");
  });
  it("encodes like PHP urlencode for reserved characters", () => {
    expect(phpUrlencode("a-b_c.d~e*f'g(h)!")).toBe("a-b_c.d%7Ee%2Af%27g%28h%29%21");
  });
});

describe("parseQuery", () => {
  it("reads raw and percent-encoded brackets alike", () => {
    expect(parseQuery("c[R][Name]=John%20Doe&d%5BR%5D%5BCity%5D=G%C3%B6teborg")).toEqual({
      c: { R: { Name: "John Doe" } },
      d: { R: { City: "Göteborg" } },
    });
  });
  it("appends with []", () => {
    expect(parseQuery("a[]=1&a[]=2")).toEqual({ a: { "0": "1", "1": "2" } });
  });
});

const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const leaf = fc.string({ unit: "grapheme", maxLength: 20 });
const tree: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  key,
  fc.oneof(
    leaf,
    fc.dictionary(key, fc.oneof(leaf, fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 3 })), {
      minKeys: 1,
      maxKeys: 3,
    }),
  ),
  { maxKeys: 5 },
);

describe("round trip", () => {
  it("parseQuery(buildQuery(x)) is x for nested string maps", () => {
    fc.assert(
      fc.property(tree, (data) => {
        const parsed = parseQuery(buildQuery(data as never));
        expect(JSON.parse(JSON.stringify(parsed))).toEqual(data);
      }),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(!phpAvailable && !phpRequired)("PHP reads our form bodies", () => {
  const php = `parse_str(file_get_contents("php://stdin"), $o); echo json_encode($o, JSON_UNESCAPED_UNICODE);`;
  it("brackets, +, åäö and quotes", () => {
    const data = {
      phonenumber: "+46.701234567",
      contactdetails: { Registrant: { Name: "Örjan Åkesson", Company: `"Ab" & {Co}`, Zip_Code: "411 01" } },
      nameserver1: "ns1.xn--rksmrgs-5wao1o.se",
    };
    const out = JSON.parse(runPhp(php, buildQuery(data)));
    expect(out).toEqual(data);
  });
  it("random nested data, as PHP reads it", () => {
    fc.assert(
      fc.property(tree, (data) => {
        const out = JSON.parse(runPhp(php, buildQuery(data as never)) || "{}");
        const expected = Object.keys(data).length === 0 ? [] : data;
        expect(out).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
