/**
 * One DNS question to one server: UDP (EDNS, 1232 bytes), again over TCP when the answer comes
 * truncated, with a timeout per attempt and retries of its own (apart from the registrar's rate limit).
 */
import { createSocket } from "node:dgram";
import { connect, isIPv6 } from "node:net";
import * as dnsPacket from "dns-packet";

export interface DnsServer {
  host: string;
  port: number;
}

export interface QueryOptions {
  /** Recursion desired: true through a resolver, false when asking an authoritative server. */
  recursion: boolean;
  timeoutMs?: number;
  /** Further attempts after a timeout or a network error. */
  retries?: number;
}

/** Per attempt: dig's and the C library's resolver wait 5 s too; 2 s failed a loaded (busy, not broken) server. */
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_RETRIES = 2;

/** A server that did not answer (timeout, refused connection, unreadable answer). */
export class DnsNoAnswer extends Error {}

export async function query(
  server: DnsServer,
  name: string,
  type: dnsPacket.RecordType,
  opts: QueryOptions,
): Promise<dnsPacket.Packet> {
  const attempts = 1 + (opts.retries ?? DEFAULT_RETRIES);
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const id = Math.floor(Math.random() * 0x10000);
      const q: dnsPacket.Packet = {
        type: "query",
        id,
        flags: opts.recursion ? dnsPacket.RECURSION_DESIRED : 0,
        questions: [{ type, name, class: "IN" }],
        additionals: [{ type: "OPT", name: ".", udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK } as never],
      };
      const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const udp = await exchangeUdp(server, dnsPacket.encode(q), id, timeout);
      if (((udp.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) === 0) return udp;
      return await exchangeTcp(server, dnsPacket.streamEncode(q), id, timeout);
    } catch (e) {
      last = e;
    }
  }
  throw new DnsNoAnswer(
    `${server.host}${server.port === 53 ? "" : `:${server.port}`} did not answer ${type} ${name}: ${last instanceof Error ? last.message : String(last)}`,
  );
}

function exchangeUdp(server: DnsServer, msg: Buffer, id: number, timeoutMs: number): Promise<dnsPacket.Packet> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(server.host) ? "udp6" : "udp4");
    const done = (fn: () => void) => {
      clearTimeout(timer);
      sock.close();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error("timed out"))), timeoutMs);
    sock.on("error", (e) => done(() => reject(e)));
    sock.on("message", (buf) => {
      let p: dnsPacket.Packet;
      try {
        p = dnsPacket.decode(buf);
      } catch {
        return; // not an answer: keep waiting for one
      }
      if (p.id !== id) return;
      done(() => resolve(p));
    });
    // Connected, so that a port with nobody on it is an error now rather than a timeout.
    sock.connect(server.port, server.host, () => sock.send(msg));
  });
}

function exchangeTcp(server: DnsServer, msg: Buffer, id: number, timeoutMs: number): Promise<dnsPacket.Packet> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: server.host, port: server.port });
    let buf = Buffer.alloc(0);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      sock.destroy();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(new Error("timed out over TCP"))), timeoutMs);
    sock.on("error", (e) => done(() => reject(e)));
    sock.on("connect", () => sock.write(msg));
    sock.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      try {
        const p = dnsPacket.streamDecode(buf);
        done(() => (p.id === id ? resolve(p) : reject(new Error("answer for another question"))));
      } catch (e) {
        done(() => reject(e));
      }
    });
    sock.on("end", () => done(() => reject(new Error("connection closed before the answer"))));
  });
}

/** The answer's rcode ("NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", …). */
export function rcodeOf(p: dnsPacket.Packet): string {
  return (p as { rcode?: string }).rcode ?? "NOERROR";
}
