/**
 * The sandbox's DNS: a resolver on loopback that holds no DS records, so every sandbox domain is
 * `unsigned` to the DNSSEC guard (NOERROR with no answer, over UDP, to every question), except
 * the `signed` ones: they have a DS (of a key no server serves: a nameserver move would break them).
 * The e2e kit points REGDOM_RESOLVER at it, so tests never wait on the machine's resolver.
 *
 * Given `delegations` (a sandbox's books), it is also the parent of every TLD, publishing what a
 * registry would from those books, read at each question (so what an apply changed shows at once):
 * `TLD NS` names `a.nic.TLD`, whose A is the stub's own address (so the parent is asked on the
 * stub's port); `DOMAIN NS`, asked of the parent, is a referral to the domain's nameservers with
 * glue (A/AAAA) for those of them the domain holds as child nameservers; a name under no domain of
 * the books is an authoritative NXDOMAIN. Everything else is answered as without it.
 */
import { createSocket, type Socket } from "node:dgram";
import * as dnsPacket from "dns-packet";
import type { SandboxState } from "./state.js";

export interface DnsStub {
  /** `127.0.0.1:PORT`, for --resolver or REGDOM_RESOLVER. */
  address: string;
  close(): Promise<void>;
}

export interface DnsStubOptions {
  /** ACE names that have a DS record at the parent. */
  signed?: string[];
  /** Books whose delegations and glue the stub publishes as the parent of every TLD. */
  delegations?: SandboxState;
}

const HOST = "127.0.0.1";
type Answer = Pick<dnsPacket.Packet, "answers" | "authorities" | "additionals"> & { aa?: boolean; nxdomain?: boolean };

/** The parent's answer to `name type` from the books, or undefined when the books do not speak to it. */
function fromBooks(state: SandboxState, question: dnsPacket.Question): Answer | undefined {
  const name = question.name.toLowerCase().replace(/\.$/, "");
  const labels = name.split(".");
  const tld = labels[labels.length - 1]!;
  if (name === "" || (labels.length === 1 && question.type !== "NS")) return undefined;
  if (labels.length === 1) return { aa: true, answers: [{ type: "NS", name, ttl: 60, data: `a.nic.${tld}` }] };
  if (name === `a.nic.${tld}`)
    return { aa: true, answers: question.type === "A" ? [{ type: "A", name, ttl: 60, data: HOST }] : [] };
  // The domain of the books the name is at or under: its delegation.
  const domain = labels.map((_, i) => labels.slice(i).join(".")).find((n) => state.get(n));
  const d = domain ? state.get(domain) : undefined;
  if (!d) {
    const soa: dnsPacket.Answer = {
      type: "SOA",
      name: tld,
      ttl: 60,
      data: {
        mname: `a.nic.${tld}`,
        rname: `hostmaster.nic.${tld}`,
        serial: 1,
        refresh: 3600,
        retry: 600,
        expire: 86400,
        minimum: 60,
      },
    };
    return { aa: true, nxdomain: true, authorities: [soa] };
  }
  const hosts = d.nameservers.map((n) => n.toLowerCase().replace(/\.$/, ""));
  return {
    authorities: hosts.map((data) => ({ type: "NS" as const, name: d.name, ttl: 60, data })),
    additionals: hosts.flatMap((host) =>
      (d.childNameservers[host] ?? []).map((address) =>
        address.includes(":")
          ? { type: "AAAA" as const, name: host, ttl: 60, data: address }
          : { type: "A" as const, name: host, ttl: 60, data: address },
      ),
    ),
  };
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
      const question = q.questions?.[0];
      const books =
        o.delegations && question && question.type !== "DS" ? fromBooks(o.delegations, question) : undefined;
      const rd = (q.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
      const answer = books
        ? dnsPacket.encode({
            type: "response",
            id: q.id ?? 0,
            // dns-packet takes the rcode from the flags' low bits: 3 is NXDOMAIN.
            flags:
              rd |
              dnsPacket.RECURSION_AVAILABLE |
              (books.aa ? dnsPacket.AUTHORITATIVE_ANSWER : 0) |
              (books.nxdomain ? 3 : 0),
            questions: q.questions ?? [],
            answers: books.answers ?? [],
            authorities: books.authorities ?? [],
            additionals: books.additionals ?? [],
          })
        : dnsPacket.encode({
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
    sock.bind(0, HOST, () => {
      sock.unref();
      resolve({
        address: `127.0.0.1:${sock.address().port}`,
        close: () => new Promise<void>((r) => sock.close(() => r())),
      });
    });
  });
}
