/** `--resolver HOST[:PORT]` and the system's resolver from resolv.conf. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "@regdom/core";
import { describe, expect, it } from "vitest";
import { chosenResolver, parseResolver, systemResolver } from "./resolver.js";

describe("resolvers", () => {
  it("reads HOST, HOST:PORT, a bare IPv6 address and [IPv6]:PORT", () => {
    expect(parseResolver("127.0.0.2")).toEqual({ host: "127.0.0.2", port: 53 });
    expect(parseResolver("127.0.0.2:5353")).toEqual({ host: "127.0.0.2", port: 5353 });
    expect(parseResolver("::1")).toEqual({ host: "::1", port: 53 });
    expect(parseResolver("[2001:db8::53]:5300")).toEqual({ host: "2001:db8::53", port: 5300 });
  });
  it("refuses what is not HOST[:PORT] as bad input", () => {
    for (const bad of ["127.0.0.1:0", "127.0.0.1:70000", "a b", "http://x/"])
      expect(() => parseResolver(bad), bad).toThrow(UserError);
  });
  it("takes the first nameserver of resolv.conf, and --resolver over REGDOM_RESOLVER over it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "regdom-resolv-")), "resolv.conf");
    writeFileSync(file, "# comment\nsearch example.se\nnameserver fe80::1%eth0\nnameserver 192.0.2.53\n");
    expect(systemResolver(file)).toEqual({ host: "fe80::1", port: 53 });
    expect(systemResolver(join(file, "missing"))).toBeUndefined();
    expect(chosenResolver("127.0.0.3", { REGDOM_RESOLVER: "127.0.0.4" })).toEqual({ host: "127.0.0.3", port: 53 });
    expect(chosenResolver(undefined, { REGDOM_RESOLVER: "127.0.0.4:54" })).toEqual({ host: "127.0.0.4", port: 54 });
  });
});
