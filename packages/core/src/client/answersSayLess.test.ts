/**
 * Answers that say less than a getter needs (issue 31): a success answer without the field is an
 * ApiError for that domain, never a default ("unlocked", no nameservers, the apex, no expiry).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ApiError } from "../errors.js";
import { RegistrarClient } from "./registrarClient.js";

/** A registrar that answers every request with `answer` (HTTP 200). */
async function answering(answer: unknown, fn: (c: RegistrarClient) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const c = new RegistrarClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api.php`,
    token: "t0ken-less",
    authEmail: "e@x.se",
    retries: 0,
    rate: 1000,
  });
  try {
    await fn(c);
  } finally {
    await c.close();
    server.closeAllConnections();
    server.close();
  }
}

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  const e = await p.then(
    (v) => v,
    (x: unknown) => x,
  );
  expect(e, JSON.stringify(e)).toBeInstanceOf(ApiError);
  expect((e as Error).message).toMatch(message);
  expect((e as Error).message).toContain("a.se");
}

describe("a success answer without the field a getter needs is an error for the domain", () => {
  it("DomainGetLockingStatus without lockstatus (or an empty one) is not 'unlocked'", async () => {
    await answering({ result: "success" }, (c) =>
      refused(c.getLock("a.se"), /DomainGetLockingStatus a\.se: answered without lockstatus/),
    );
    await answering({ result: "success", lockstatus: "" }, (c) =>
      refused(c.getLock("a.se"), /answered without lockstatus/),
    );
    await answering({ result: "success", lockstatus: "unlocked" }, async (c) => {
      expect(await c.getLock("a.se")).toBe(false);
    });
  });
  it("GetNameservers without any nameserver field is not an empty list", async () => {
    await answering({ result: "success" }, (c) =>
      refused(c.getNameservers("a.se"), /GetNameservers a\.se: answered without nameservers/),
    );
    await answering({ result: "success", ns1: "ns1.x.se", ns2: "" }, async (c) => {
      expect(await c.getNameservers("a.se")).toEqual(["ns1.x.se"]);
    });
  });
  it("a GetDNS record without hostname or address, or an MX without priority, is not the apex or empty", async () => {
    await answering({ result: "success", 0: { type: "A", address: "192.0.2.1", priority: null } }, (c) =>
      refused(c.getDns("a.se"), /GetDNS a\.se: a zone element has no hostname/),
    );
    await answering({ result: "success", 0: { hostname: "www", type: "A", priority: null } }, (c) =>
      refused(c.getDns("a.se"), /a zone element has no address/),
    );
    await answering({ result: "success", 0: { hostname: "@", type: "MX", address: "mx.a.se" } }, (c) =>
      refused(c.getDns("a.se"), /a zone element of type MX has no priority/),
    );
    await answering(
      { result: "success", 0: { hostname: "@", type: "MX", address: "mx.a.se", priority: "10" } },
      async (c) => {
        expect(await c.getDns("a.se")).toEqual([{ host: "@", type: "MX", address: "mx.a.se", priority: 10 }]);
      },
    );
  });
  it("a GetEmailForwarding element without prefix or forwardto is not skipped nor half read", async () => {
    await answering({ result: "success", 1: { prefix: "info" } }, (c) =>
      refused(c.getEmailForwarding("a.se"), /GetEmailForwarding a\.se: a forwarding element has no forwardto/),
    );
    await answering({ result: "success", 1: { forwardto: "x@y.se" } }, (c) =>
      refused(c.getEmailForwarding("a.se"), /a forwarding element has no prefix/),
    );
    await answering({ result: "success", 1: {} }, (c) =>
      refused(c.getEmailForwarding("a.se"), /a forwarding element has no prefix/),
    );
  });
  it("a Sync expiry that cannot be read is an error, and an eppcode that is not text is not '[object Object]'", async () => {
    await answering({ result: "success", status: "Active", expirydate: "soon" }, (c) =>
      refused(c.sync("a.se"), /Sync a\.se: expirydate "soon" is not a date/),
    );
    await answering({ result: "success", eppcode: { code: "x" } }, (c) =>
      refused(c.getEppCode("a.se"), /GetEPPCode a\.se: eppcode is not text/),
    );
    await answering({ result: "success", 0: { hostname: "@", type: "A", address: "192.0.2.1" } }, (c) =>
      refused(c.getContacts("a.se"), /no Registrant contact/),
    );
  });
});
