/**
 * Fuzzing the wire decoders with fast-check (10,000 cases each): arbitrary bytes and structured
 * mutations of valid input. Each may only answer with a typed error: never a crash or a hang.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError, AuthError, RateLimitedError } from "../errors.js";
import { parseAnswer } from "./answer.js";
import { decodePhpBase64, encodePhpBase64, PhpSerializeError, phpUnserialize } from "./phpSerialize.js";

const RUNS = 10_000;

/** Valid input, then a few random edits: delete, insert or replace a slice. */
function mutated(seeds: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ maxLength: 6, unit: "binary" })), { maxLength: 4 }),
    )
    .map(([s, edits]) =>
      edits.reduce((acc, [at, del, ins]) => {
        const i = acc.length ? at % acc.length : 0;
        return acc.slice(0, i) + ins + acc.slice(i + del);
      }, s),
    );
}

describe("fuzz: PHP serialize decoder", () => {
  const seeds = [
    encodePhpBase64([{ hostname: "räksmörgås", type: "A", address: "1.2.3.4", priority: "N/A" }]),
    encodePhpBase64({ a: [1, 2, { b: true }], "5": null }),
  ].map((b) => Buffer.from(b, "base64").toString("utf8"));
  it("throws only PhpSerializeError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), mutated(seeds)), (text) => {
        try {
          phpUnserialize(text);
        } catch (e) {
          expect(e).toBeInstanceOf(PhpSerializeError);
        }
        try {
          decodePhpBase64(Buffer.from(text, "utf8").toString("base64"));
        } catch (e) {
          expect(e).toBeInstanceOf(PhpSerializeError);
        }
      }),
      { numRuns: RUNS },
    );
  });
  it("refuses deep nesting without a crash", () => {
    const deep = `${"a:1:{i:0;".repeat(20_000)}i:1;${"}".repeat(20_000)}`;
    expect(() => phpUnserialize(deep)).toThrow(PhpSerializeError);
  });
});

describe("fuzz: answer parser", () => {
  const seeds = [
    '{"result":"success","0":{"hostname":"*","type":"A","address":"0.0.0.0","priority":null}}',
    '{"result":"error","msg":"Domain not found"}',
    '<b>Warning</b>{"result":"success"}',
  ];
  it("returns an object or throws ApiError / RateLimitedError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), mutated(seeds), fc.json()), (body) => {
        try {
          const a = parseAnswer(body, { action: "GetDNS", domain: "a.se" });
          expect(typeof a).toBe("object");
        } catch (e) {
          expect(e instanceof ApiError || e instanceof RateLimitedError || e instanceof AuthError).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
  it("survives deeply nested JSON", () => {
    const body = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    expect(() => parseAnswer(body, { action: "GetDNS" })).toThrow(ApiError);
  });
});
