import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { phpAvailable, phpRequired, runPhp } from "../test-support/php.js";
import {
  decodePhpBase64,
  encodePhpBase64,
  PhpSerializeError,
  type PhpValue,
  phpSerialize,
  phpUnserialize,
} from "./phpSerialize.js";

describe("phpSerialize", () => {
  it("counts UTF-8 bytes, as PHP does", () => {
    expect(phpSerialize(["räksmörgås"])).toBe('a:1:{i:0;s:13:"räksmörgås";}');
  });
  it("matches the reference's SaveDNS example", () => {
    const rec = [{ hostname: "*", type: "A", address: "0.0.0.0", priority: "N/A", recid: "" }];
    expect(phpSerialize(rec)).toBe(
      'a:1:{i:0;a:5:{s:8:"hostname";s:1:"*";s:4:"type";s:1:"A";s:7:"address";s:7:"0.0.0.0";s:8:"priority";s:3:"N/A";s:5:"recid";s:0:"";}}',
    );
  });
  it("refuses serialized objects instead of building them", () => {
    expect(() => phpUnserialize('O:8:"stdClass":1:{s:1:"a";i:1;}')).toThrow(PhpSerializeError);
    expect(() => phpUnserialize('C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}')).toThrow(PhpSerializeError);
  });
  it("refuses invalid base64", () => {
    expect(() => decodePhpBase64("@@@not-base64")).toThrow(PhpSerializeError);
  });
});

const str = fc.string({ unit: "grapheme", maxLength: 30 });
const value: fc.Arbitrary<PhpValue> = fc.letrec<{ v: PhpValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    str,
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.boolean(),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.stringMatching(/^[a-zåäö_"{};:]{1,8}$/), tie("v"), { maxKeys: 4 }),
  ),
})).v;

/** PHP has one array type: an empty map and an empty list are the same value. */
const asPhpSeesIt = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, (_k, x) =>
      x && typeof x === "object" && !Array.isArray(x) && Object.keys(x).length === 0 ? [] : x,
    ),
  );

describe("round trip", () => {
  it("unserialize(serialize(x)) is x", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), (v) => {
        expect(decodePhpBase64(encodePhpBase64(v))).toEqual(asPhpSeesIt(v));
      }),
      { numRuns: 1000 },
    );
  });
});

describe.skipIf(!phpAvailable && !phpRequired)("PHP unserializes what we serialize", () => {
  const php = `$v = unserialize(base64_decode(trim(file_get_contents("php://stdin")))); if ($v === false) { fwrite(STDERR, "unserialize failed"); exit(3); } echo json_encode($v, JSON_UNESCAPED_UNICODE);`;
  it("UTF-8 lengths, nesting, numeric-string keys, quotes and braces", () => {
    const data = {
      "0": { hostname: "räksmörgås", type: "TXT", address: 'v="spf1" {x};:', priority: "N/A" },
      "15": ["å", "ä", "ö", "😀"],
      nested: { deep: { deeper: ['s:3:"x";'] } },
    };
    const out = JSON.parse(runPhp(php, encodePhpBase64(data)));
    expect(out).toEqual(data);
  });
  it("random values", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), (v) => {
        const out = JSON.parse(runPhp(php, encodePhpBase64(v)));
        expect(out).toEqual(asPhpSeesIt(v));
      }),
      { numRuns: 25 },
    );
  });
});
