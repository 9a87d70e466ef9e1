/**
 * The sandbox's DNS: a resolver on loopback that holds no DS records, so every sandbox domain is
 * `unsigned` to the DNSSEC guard (NOERROR with no answer, over UDP, to every question), except
 * the `signed` ones: they have a DS (of a key no server serves: a nameserver move would break them).
 * The e2e kit points REGDOM_RESOLVER at it, so tests never wait on the machine's resolver.
 */
import { createSocket, type Socket } from "node:dgram";
import * as dnsPacket from "dns-packet";

export interface DnsStub {
  /** `127.0.0.1:PORT`, for --resolver or REGDOM_RESOLVER. */
  address: string;
  close(): Promise<void>;
}

export interface DnsStubOptions {
  /** ACE names that have a DS record at the parent. */
  signed?: string[];
}

export function startDnsStub(o: DnsStubOptions = {}): Promise<DnsStub> {
  const signed = new Set((o.signed ?? []).map((n) => n.toLowerCase()));
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
        answers: (q.questions ?? []).flatMap((question) =>
          question.type === "DS" && signed.has(question.name.toLowerCase())
            ? [
                {
                  type: "DS" as const,
                  name: question.name,
                  ttl: 3600,
                  data: { keyTag: 12345, algorithm: 13, digestType: 2, digest: Buffer.alloc(32, 0xab) },
                },
              ]
            : [],
        ),
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
