import { afterEach, describe, expect, it } from "vitest";
import { phpAvailable, runPhp } from "./php.js";

describe("runPhp", () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });
  it("says php is missing when it is, rather than `php failed (null)`", () => {
    process.env.PATH = "/nonexistent";
    expect(() => runPhp("echo 1;", "")).toThrow(/^php is not installed \(apt-get install php-cli\)/);
  });
  it.skipIf(!phpAvailable)("names the exit status and PHP's own message when a script fails", () => {
    expect(() => runPhp('fwrite(STDERR, "boom"); exit(3);', "")).toThrow("php failed (exit 3): boom");
  });
});
