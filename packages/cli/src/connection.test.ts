import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accountKeyOf } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { CONNECTION_OPTIONS } from "./connection.js";
import { rememberRate } from "./rateMemory.js";
import { resolveConnection } from "./resolveConnection.js";

const ENDPOINT = "http://127.0.0.1:9/api.php";
const EMAIL = "ops@example.se";

/** The connection as a command sees it when --rate is not given, in a state folder of its own. */
async function withoutRateFlag(remembered?: number) {
  const env = { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), "regdom-rate-")), REGDOM_TOKEN: "t" };
  if (remembered !== undefined) rememberRate(accountKeyOf(ENDPOINT, EMAIL), remembered, env);
  const flags = {
    endpoint: ENDPOINT,
    tokenFile: undefined,
    authEmail: EMAIL,
    authField: undefined,
    rate: CONNECTION_OPTIONS.rate.parse(undefined, "--rate"),
    concurrency: 4,
    timeout: 30,
  };
  return (await resolveConnection(flags, env)).rate;
}

describe("the default --rate", () => {
  it("is auto:20: found, never above 20 req/s unless asked", async () => {
    expect(CONNECTION_OPTIONS.rate.defaultValue).toBe("auto:20");
    expect(CONNECTION_OPTIONS.rate.parse(undefined, "--rate")).toEqual({ auto: true, max: 20 });
    expect(await withoutRateFlag()).toEqual({ max: 20 });
  });
  it("starts from the ceiling an earlier run measured (AutoRate keeps the rate under 20)", async () => {
    expect(await withoutRateFlag(12.5)).toEqual({ max: 20, ceiling: 12.5 });
    expect(await withoutRateFlag(55)).toEqual({ max: 20, ceiling: 55 });
  });
  it("gives way to what is asked", () => {
    expect(CONNECTION_OPTIONS.rate.parse("5", "--rate")).toBe(5);
    expect(CONNECTION_OPTIONS.rate.parse("auto", "--rate")).toEqual({ auto: true, max: 100 });
    expect(CONNECTION_OPTIONS.rate.parse("auto:40", "--rate")).toEqual({ auto: true, max: 40 });
  });
});
