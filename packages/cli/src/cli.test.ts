import { PassThrough } from "node:stream";
import { SafetyError, UserError } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { defineCommand, runProgram } from "./command.js";
import { ExitCode, exitCodeOf } from "./exitCode.js";
import type { Io } from "./io.js";
import { choice, flag, numberWithDefault, text } from "./options.js";

function io(): Io & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  return { stdout, stderr, stdin: new PassThrough(), env: {}, out: () => out, err: () => err };
}

const seen: unknown[] = [];
const demo = defineCommand({
  name: "demo",
  summary: "a command for tests",
  args: "<thing...>",
  options: {
    yes: flag("--yes", "say yes"),
    format: choice("--format <f>", "format", ["text", "json"], "text"),
    pct: numberWithDefault("--pct <n>", "a share", "30", { min: 0, max: 100 }),
    out: text("--out <file>", "where"),
  },
  validate(args) {
    if (args.includes("bad")) throw new UserError("bad thing");
  },
  async handler(_ctx, args, o) {
    seen.push({ args, ...o });
    return ExitCode.ok;
  },
});

describe("declared commands", () => {
  it("hand the handler typed, parsed options and their defaults", async () => {
    seen.length = 0;
    const x = io();
    expect(
      await runProgram(
        { name: "t", description: "t", version: "1.2.3", commands: [demo] },
        ["demo", "a", "--yes", "--pct", "12"],
        x,
      ),
    ).toBe(0);
    expect(seen).toEqual([{ args: ["a"], yes: true, format: "text", pct: 12, out: undefined }]);
  });
  it("refuse a bad value with exit 2 naming the flag, before the handler runs", async () => {
    seen.length = 0;
    const x = io();
    expect(
      await runProgram(
        { name: "t", description: "t", version: "1", commands: [demo] },
        ["demo", "a", "--pct", "130"],
        x,
      ),
    ).toBe(2);
    expect(x.err()).toMatch(/--pct must be a number from 0 to 100, got "130"/);
    expect(
      await runProgram({ name: "t", description: "t", version: "1", commands: [demo] }, ["demo", "bad"], io()),
    ).toBe(2);
    expect(seen).toEqual([]);
  });
  it("print the one JSON error shape on stdout with --json, for unknown options too", async () => {
    const x = io();
    expect(
      await runProgram(
        { name: "t", description: "t", version: "1", commands: [demo] },
        ["demo", "a", "--nope", "--json"],
        x,
      ),
    ).toBe(2);
    expect(JSON.parse(x.out()).error).toMatchObject({ type: "UserError", fault: "user" });
    const y = io();
    expect(
      await runProgram(
        { name: "t", description: "t", version: "1", commands: [demo] },
        ["demo", "a", "--format", "xml", "--json"],
        y,
      ),
    ).toBe(2);
    expect(JSON.parse(y.out()).error.message).toMatch(/--format must be text, json/);
  });
});

describe("exit codes", () => {
  it("map errors by kind, not by message", () => {
    expect(exitCodeOf(new UserError("x"))).toBe(ExitCode.usage);
    expect(exitCodeOf(new SafetyError("x"))).toBe(ExitCode.refused);
    expect(exitCodeOf(new Error("usage"))).toBe(ExitCode.failed);
  });
});
