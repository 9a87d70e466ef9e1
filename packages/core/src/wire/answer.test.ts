import { describe, expect, it } from "vitest";
import { ApiError, RateLimitedError } from "../errors.js";
import { numericList, parseAnswer, parsePriority } from "./answer.js";

const ctx = { action: "GetDNS", domain: "a.se" };

describe("parseAnswer", () => {
  it("returns a success object", () => {
    expect(parseAnswer('{"result":"success","ns1":"a"}', ctx)).toEqual({ result: "success", ns1: "a" });
  });
  it("turns result error into ApiError with msg, action and domain", () => {
    const e = (() => {
      try {
        parseAnswer('{"result":"error","msg":"Domain not found"}', ctx);
      } catch (err) {
        return err;
      }
    })() as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe("GetDNS a.se: Domain not found");
    expect(e.isNotFound).toBe(true);
  });
  it("reads an errors array", () => {
    expect(() => parseAnswer('{"result":"success","errors":["bad record","bad ttl"]}', ctx)).toThrow(
      /bad record; bad ttl/,
    );
  });
  it("finds JSON after PHP warnings", () => {
    const body = '<br />\n<b>Warning</b>: Undefined index in api.php<br />\n{"result":"success","lockstatus":"locked"}';
    expect(parseAnswer(body, ctx).lockstatus).toBe("locked");
  });
  it("makes a non-JSON body an ApiError with a short excerpt", () => {
    const html = `<html>${"x".repeat(5000)}</html>`;
    try {
      parseAnswer(html, { ...ctx, status: 502 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).excerpt.length).toBeLessThanOrEqual(161);
      expect((e as ApiError).message).toContain("HTTP 502");
    }
  });
  it("recognizes a rate-limit message", () => {
    expect(() => parseAnswer('{"result":"error","msg":"Too many requests"}', ctx)).toThrow(RateLimitedError);
  });
});

describe("numericList", () => {
  it("reads lists counted from 0 or from 1, in key order", () => {
    expect(numericList({ "1": "b", "0": "a", result: "success" })).toEqual(["a", "b"]);
    expect(numericList({ "2": "y", "1": "x", result: "success" })).toEqual(["x", "y"]);
    expect(numericList({ "10": "k", "9": "j" })).toEqual(["j", "k"]);
  });
});

describe("parsePriority", () => {
  it("reads null, numbers, numeric strings and N/A", () => {
    expect(parsePriority(null)).toBeNull();
    expect(parsePriority(10)).toBe(10);
    expect(parsePriority("20")).toBe(20);
    expect(parsePriority("N/A")).toBeNull();
  });
});
