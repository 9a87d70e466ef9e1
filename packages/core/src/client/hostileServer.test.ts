/**
 * Small raw servers that misbehave as real ones do. Each misbehaviour must become a typed error
 * within the timeout, and no write may be sent twice where that is unsafe.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ApiError, EndpointUnreachableError, InternalError, OutcomeUnknownError, TransportError } from "../errors.js";
import { RegistrarClient } from "./registrarClient.js";

async function withServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  fn: (url: string, hits: () => number) => Promise<void>,
): Promise<void> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api.php`;
  try {
    await fn(url, () => hits);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

const client = (url: string, extra: Partial<ConstructorParameters<typeof RegistrarClient>[0]> = {}) =>
  new RegistrarClient({
    endpoint: url,
    token: "t0ken-hostile",
    authEmail: "e@x.se",
    timeoutMs: 800,
    retries: 1,
    minBackoffMs: 1,
    rate: 1000,
    maxBodyBytes: 64 * 1024,
    ...extra,
  });

describe("hostile or broken servers", () => {
  it("a request asked after close is refused at once: never sent, never retried on the closed pool", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"result":"success","lockstatus":"locked"}');
      },
      async (url, hits) => {
        const c = client(url, { retries: 6 });
        expect(await c.getLock("a.se")).toBe(true);
        await c.close();
        const e = await c.getLock("a.se").catch((x: unknown) => x);
        expect(e).toBeInstanceOf(InternalError);
        expect((e as Error).message).toMatch(/DomainGetLockingStatus a\.se was asked after the client closed/);
        expect(hits()).toBe(1);
      },
    );
  });
  it("an endless body stops at the size cap", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200);
        const chunk = "x".repeat(16 * 1024);
        const pump = () => {
          while (res.write(chunk)) {
            /* fill */
          }
        };
        res.on("drain", pump);
        pump();
      },
      async (url) => {
        // A timeout far beyond the test's: only the size cap can end this read.
        const c = client(url, { timeoutMs: 3_600_000 });
        const e = await c.getDns("a.se").catch((x: unknown) => x);
        expect(e).toBeInstanceOf(TransportError);
        expect((e as Error).message).toMatch(/larger than 65536 bytes/);
        await c.close();
      },
    );
  });
  it("a server that stalls mid-answer times out", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"result":"succ');
      },
      async (url, hits) => {
        const c = client(url);
        const e = await c.getLock("a.se").catch((x: unknown) => x);
        // The client's own timeout ended it (the server never would): a read is tried again once.
        expect(e).toBeInstanceOf(TransportError);
        expect((e as Error).message).toMatch(/no complete answer within 800 ms/);
        expect(hits()).toBe(2);
        await c.close();
      },
    );
  });
  it("a stalled money action is outcome-unknown and sent once", async () => {
    await withServer(
      () => {
        /* never answers */
      },
      async (url, hits) => {
        const c = client(url, { retries: 5 });
        const e = await c.renewDomain("a.se", 1).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(OutcomeUnknownError);
        expect(hits()).toBe(1);
        await c.close();
      },
    );
  });
  it("invalid JSON and deep nesting are ApiErrors", async () => {
    for (const body of ["{not json", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, "<html>502</html>"]) {
      await withServer(
        (_req, res) => res.end(body),
        async (url) => {
          const c = client(url, { retries: 0, maxBodyBytes: 1024 * 1024 });
          const e = await c.getDns("a.se").catch((x: unknown) => x);
          expect(e).toBeInstanceOf(ApiError);
          await c.close();
        },
      );
    }
  });
  it("a redirect to another host is refused, not followed", async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(302, { location: "https://evil.example/steal?token=x" });
        res.end();
      },
      async (url, hits) => {
        const c = client(url);
        const e = await c.saveNameservers("a.se", ["ns1.a.se"]).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(TransportError);
        expect((e as Error).message).toMatch(/HTTP 302 redirect to https:\/\/evil.example\/steal refused/);
        expect((e as Error).message).not.toContain("token");
        expect(hits()).toBe(2);
        await c.close();
      },
    );
  });
  it("a TLS error (https to a plain server) is a TransportError", async () => {
    await withServer(
      (_req, res) => res.end("{}"),
      async (url) => {
        const c = client(url.replace("http://", "https://"));
        const e = await c.getDns("a.se").catch((x: unknown) => x);
        expect(e).toBeInstanceOf(TransportError);
        await c.close();
      },
    );
  });
  it("a refused connection is safe to retry, even for money, and says so", async () => {
    const c = client("http://127.0.0.1:1/api.php", { retries: 1 });
    const e = await c.registerDomain("a.se", { years: 1, owner: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransportError);
    expect((e as TransportError).reachedServer).toBe(false);
    expect((e as TransportError).unreachable).toBe(true);
    await c.close();
  });
  it("a refused connection, again and again, stops the client: nothing more is sent", async () => {
    const c = client("http://127.0.0.1:1/api.php", { retries: 6 });
    const e = await c.registerDomain("a.se", { years: 1, owner: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EndpointUnreachableError);
    expect((e as Error).cause).toBeInstanceOf(TransportError);
    const again = await c.getLock("a.se").catch((x: unknown) => x);
    expect(again).toBe(e);
    await c.close();
  });
  it("CreditAmount and GetPricing answers that cannot be read are errors, never a default", async () => {
    const answers = [
      '{"value": "lots"}',
      '{"result": "success"}',
      '{"result": "success", "pricing": []}',
      '{"result": "success", "pricing": {"se": {"register": {"one": "99.00"}}}}',
      '{"result": "success", "pricing": {"se": {"register": {"1": "free"}}}}',
    ];
    let i = 0;
    await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(answers[i++]);
      },
      async (url) => {
        const c = client(url);
        await expect(c.creditAmount()).rejects.toThrow(/the balance cannot be read/);
        for (let n = 0; n < 4; n++) await expect(c.getPricing()).rejects.toThrow(/the price list cannot be read/);
        await c.close();
      },
    );
  });
});
