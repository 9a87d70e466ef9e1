/**
 * The named helper itself: a republished parent zone is served by the same named (reloaded in
 * place, its address:53 never let go for a second named to race for), at the new serial, as soon
 * as reload() resolves. Address 127.0.0.32 is this file's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { query } from "@regdom/engine";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./env.js";
import { loopbackAddress, type Named, parentZone, startNamed, withNamed } from "./named.js";

const ADDRESS = "127.0.0.32";

describe.skipIf(!withNamed)("named, reloaded", () => {
  let named: Named | undefined;
  const cleanups: (() => void)[] = [];
  afterAll(async () => {
    await named?.stop();
    for (const c of cleanups) c();
  });

  it("serves the rewritten zone at its new serial once reload() resolves, from the same process", async () => {
    const dir = await tempDir();
    cleanups.push(loopbackAddress(ADDRESS));
    const zone = parentZone(dir, "se", ["acme IN NS ns1.acme.se.", "ns1.acme IN A 192.0.2.1"], ADDRESS);
    named = await startNamed(dir, ADDRESS, { se: zone });
    const server = { host: ADDRESS, port: 53 };
    const serial = async () => {
      const a = await query(server, "se", "SOA", { recursion: false });
      return (a.answers ?? []).flatMap((r) => (r.type === "SOA" ? [r.data.serial] : []));
    };
    const pid = () => readFileSync(join(dir, `named-${ADDRESS}`, "named.pid"), "utf8").trim();
    expect(await serial()).toEqual([1]);
    const before = pid();
    for (const n of [2, 3]) {
      parentZone(dir, "se", ["acme IN NS ns1.acme.se.", `ns1.acme IN A 192.0.2.${n}`], ADDRESS);
      await named.reload();
      expect(await serial()).toEqual([n]);
      const glue = await query(server, "acme.se", "NS", { recursion: false });
      expect((glue.additionals ?? []).flatMap((r) => (r.type === "A" ? [r.data] : []))).toEqual([`192.0.2.${n}`]);
    }
    expect(pid()).toBe(before);
  });
});
