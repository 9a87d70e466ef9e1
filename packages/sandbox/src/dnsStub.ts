/**
 * The sandbox's DNS: a resolver on loopback that holds no DS records, so every sandbox domain is
 * `unsigned` to the DNSSEC guard (NOERROR with no answer, over UDP, to every question).
 * The e2e kit points REGDOM_RESOLVER at it, so tests never wait on the machine's resolver.
 */
import { createSocket, type Socket } from "node:dgram";
import * as dnsPacket from "dns-packet";

export interface DnsStub {
  /** `127.0.0.1:PORT`, for --resolver or REGDOM_RESOLVER. */
  address: string;
  close(): Promise<void>;
}

export function startDnsStub(): Promise<DnsStub> {
  return new Promise((resolve, reject) => {
    const sock: Socket = createSocket("udp4");
    sock.on("error", reject);
    sock.on("message", (buf, from) => {
      let q: dnsPacket.Packet;
      try {
        q = dnsPacket.decode(buf);
      } catch {
        return;
      }
      const answer = dnsPacket.encode({
        type: "response",
        id: q.id ?? 0,
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
        questions: q.questions ?? [],
        answers: [],
      });
      sock.send(answer, from.port, from.address);
    });
    sock.bind(0, "127.0.0.1", () => {
      sock.unref();
      resolve({
        address: `127.0.0.1:${sock.address().port}`,
        close: () => new Promise<void>((r) => sock.close(() => r())),
      });
    });
  });
}
