/** `--resolver HOST[:PORT]`, or the system's first nameserver from /etc/resolv.conf. */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { UserError } from "@regdom/core";
import type { DnsServer } from "./dnsQuery.js";

export function parseResolver(raw: string): DnsServer {
  const s = raw.trim();
  let host = s;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if (isIP(s) !== 6) {
    const m = /^([^:]+):(\d+)$/.exec(s);
    if (m) {
      host = m[1]!;
      port = Number(m[2]);
    }
  }
  if (!isIP(host) && !/^[a-z0-9.-]+$/i.test(host))
    throw new UserError(`--resolver must be HOST[:PORT] (an address, e.g. 127.0.0.1:53), got "${raw}"`);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UserError(`--resolver port must be 1..65535, got "${raw}"`);
  return { host, port };
}

/** `--resolver`, else REGDOM_RESOLVER, else the system's (undefined: none, so every verdict is unknown). */
export function chosenResolver(
  flag: string | undefined,
  env: Record<string, string | undefined>,
): DnsServer | undefined {
  const raw = flag ?? env.REGDOM_RESOLVER;
  return raw ? parseResolver(raw) : systemResolver();
}

/** The system's resolver: the first `nameserver` of /etc/resolv.conf; undefined when there is none. */
export function systemResolver(file = "/etc/resolv.conf"): DnsServer | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && isIP(m[1]!.replace(/%.*$/, ""))) return { host: m[1]!.replace(/%.*$/, ""), port: 53 };
  }
  return undefined;
}
