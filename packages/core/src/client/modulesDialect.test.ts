/**
 * What a server that speaks as the public client modules do reads from regdom's requests, read
 * by real PHP's parse_str ($_POST): the lock from `lockenabled`, the release tag from
 * `transfertag`, and under the `email` auth dialect the login from `email` with no `authemail`
 * beside it (skipped without php unless REQUIRE_PHP=1).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { phpAvailable, phpRequired, runPhp } from "../test-support/php.js";
import { RegistrarClient } from "./registrarClient.js";

const READ = `parse_str(file_get_contents("php://stdin"), $p); echo json_encode([
  "action" => $p["action"], "email" => $p["email"] ?? null, "authemail" => $p["authemail"] ?? null,
  "lockenabled" => $p["lockenabled"] ?? null, "transfertag" => $p["transfertag"] ?? null]);`;

describe("the modules dialect, as PHP reads it", () => {
  it.skipIf(!phpAvailable && !phpRequired)("lockenabled, transfertag, and the login as email only", async () => {
    const bodies: string[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        bodies.push(body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(bodies.length === 1 ? '{"result":"empty"}' : '{"result":"success"}');
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = new RegistrarClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api.php`,
      token: "t0ken-modules",
      authEmail: "ops@example.se",
      authField: "email",
      rate: 1000,
    });
    try {
      await client.setLock("las.se", true);
      await client.setLock("las.se", false);
      await client.releaseDomain("las.se", "NEWTAG");
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
    const read = bodies.map((b) => JSON.parse(runPhp(READ, b)));
    expect(read).toEqual([
      {
        action: "DomainUpdateLockingStatus",
        email: "ops@example.se",
        authemail: null,
        lockenabled: "locked",
        transfertag: null,
      },
      {
        action: "DomainUpdateLockingStatus",
        email: "ops@example.se",
        authemail: null,
        lockenabled: "unlocked",
        transfertag: null,
      },
      { action: "ReleaseDomain", email: "ops@example.se", authemail: null, lockenabled: null, transfertag: "NEWTAG" },
    ]);
  });
});
