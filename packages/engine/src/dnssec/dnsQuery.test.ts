import { createSocket, type RemoteInfo } from "node:dgram";
import type { AddressInfo } from "node:net";
import * as dnsPacket from "dns-packet";
import { afterEach, describe, expect, it, vi } from "vitest";
import { query } from "./dnsQuery.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("query's default wait", () => {
  it("waits for a busy server's answer 4 s into an attempt, as dig and the C library's resolver would", async () => {
    // The clock is the test's: 4 s pass between the question and the answer, however fast the machine.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const server = createSocket("udp4");
    await new Promise<void>((r) => server.bind(0, "127.0.0.1", r));
    const asked = new Promise<{ q: dnsPacket.Packet; from: RemoteInfo }>((r) =>
      server.once("message", (msg, from) => r({ q: dnsPacket.decode(msg), from })),
    );
    try {
      const answer = query({ host: "127.0.0.1", port: (server.address() as AddressInfo).port }, "se", "SOA", {
        recursion: false,
        retries: 0,
      });
      const { q, from } = await asked;
      await vi.advanceTimersByTimeAsync(4000);
      const reply = dnsPacket.encode({ type: "response", id: q.id ?? 0, questions: q.questions ?? [], answers: [] });
      server.send(reply, from.port, from.address);
      expect((await answer).id).toBe(q.id);
    } finally {
      server.close();
    }
  });
});
