/** DNSKEY key tags and DS digests (RFC 4034 section 5.1.4 and appendix B, RFC 4509, RFC 6605). */
import { createHash } from "node:crypto";

export interface Dnskey {
  flags: number;
  /** Always 3 (RFC 4034 section 2.1.2). */
  protocol?: number;
  algorithm: number;
  key: Uint8Array;
}

/** The DS digest types regdom computes, by their IANA number. */
export const DIGEST_TYPES: Readonly<Record<number, string>> = { 1: "sha1", 2: "sha256", 4: "sha384" };

/** A DNSKEY's RDATA on the wire: flags, protocol, algorithm, public key. */
export function dnskeyRdata(k: Dnskey): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(k.flags, 0);
  head.writeUInt8(k.protocol ?? 3, 2);
  head.writeUInt8(k.algorithm, 3);
  return Buffer.concat([head, Buffer.from(k.key)]);
}

/** A domain name in canonical wire form (RFC 4034 section 6.2): lower-case labels, each length-prefixed. */
export function nameWire(name: string): Buffer {
  const labels = name
    .replace(/\.$/, "")
    .split(".")
    .filter((l) => l.length > 0);
  const parts: Buffer[] = [];
  for (const l of labels) {
    const b = Buffer.from(l.toLowerCase(), "ascii");
    if (b.length > 63) throw new Error(`label too long in ${name}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** RFC 4034 appendix B: the key tag of a DNSKEY (not for algorithm 1, RSA/MD5, which no one signs with). */
export function keyTag(k: Dnskey): number {
  const rdata = dnskeyRdata(k);
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

/** The DS digest of a DNSKEY: digest(owner name wire | DNSKEY RDATA); undefined for an unknown digest type. */
export function dsDigest(owner: string, k: Dnskey, digestType: number): Buffer | undefined {
  const alg = DIGEST_TYPES[digestType];
  if (!alg) return undefined;
  return createHash(alg)
    .update(Buffer.concat([nameWire(owner), dnskeyRdata(k)]))
    .digest();
}

/** The key is a zone key (flags bit 7): only those can match a DS. */
export function isZoneKey(k: Dnskey): boolean {
  return (k.flags & 0x0100) !== 0;
}
