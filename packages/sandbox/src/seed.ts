/**
 * A deterministic, realistic portfolio: .se, .nu and .com, IDNs with åäö, zones of 0-30 records of
 * every type, forwardings and contacts with åäö. The same seed gives the same books on any day.
 * Some values are stored the way real zones drift (trailing dots, upper case, quoted TXT) so that
 * tests prove the client's normalization.
 */
import { domainToASCII } from "node:url";
import { prng } from "./faults.js";
import type { SandboxDnsRecord, SandboxDomain, SandboxState } from "./state.js";

const WORDS = [
  "norr",
  "söder",
  "älv",
  "fjäll",
  "sjö",
  "skog",
  "äng",
  "hav",
  "berg",
  "dal",
  "ö",
  "å",
  "strand",
  "hamn",
  "bro",
];
const ASCII = [
  "nord",
  "sol",
  "vind",
  "ek",
  "lind",
  "alg",
  "bergs",
  "data",
  "moln",
  "net",
  "web",
  "shop",
  "bygg",
  "konsult",
];
const TLDS = ["se", "se", "se", "nu", "com"];
const NAMES = ["Anna Berg", "Örjan Åkesson", "Märta Öhman", "Lars Ek", "Sofia Strömberg", "Åsa Lindqvist"];
const CITIES = ["Göteborg", "Malmö", "Umeå", "Västerås", "Örebro", "Stockholm"];

export function seededDomainNames(count: number, seed = 1): string[] {
  const rnd = prng(seed * 7919 + 1);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const idn = i % 5 === 1;
    const word = idn ? WORDS[Math.floor(rnd() * WORDS.length)]! : ASCII[Math.floor(rnd() * ASCII.length)]!;
    const tld = TLDS[i % TLDS.length]!;
    names.push(`${word}${idn ? "-" : ""}${i + 1}.${tld}`);
  }
  return names;
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

function ip4(rnd: () => number): string {
  return `192.0.2.${1 + Math.floor(rnd() * 250)}`;
}

function zone(rnd: () => number, ace: string): SandboxDnsRecord[] {
  const n = Math.floor(rnd() * 31);
  const out: SandboxDnsRecord[] = [];
  const hosts = ["@", "www", "mail", "shop", "api", "*", "blogg", "_dmarc"];
  for (let k = 0; k < n; k++) {
    const host = k < hosts.length ? hosts[k]! : `h${k}`;
    const kind = k % 8;
    const cname = host !== "@" && host !== "_dmarc" && kind === 4;
    if (cname) {
      // A CNAME stands alone at its host.
      if (out.some((r) => r.hostname === host)) continue;
      out.push({ hostname: host, type: "CNAME", address: rnd() < 0.3 ? `${ace}.` : ace, priority: null });
      continue;
    }
    if (out.some((r) => r.hostname === host && r.type === "CNAME")) continue;
    switch (kind) {
      case 0:
      case 4:
        out.push({ hostname: host, type: "A", address: ip4(rnd), priority: null });
        break;
      case 1:
        out.push({ hostname: host, type: "AAAA", address: `2001:db8::${(k + 1).toString(16)}`, priority: null });
        break;
      case 2:
        out.push({
          hostname: host,
          type: "MX",
          address: rnd() < 0.3 ? `MX${k}.${ace}.` : `mx${k}.${ace}`,
          priority: String(10 * (1 + (k % 3))),
        });
        break;
      case 3:
        out.push({
          hostname: host,
          type: "TXT",
          address: rnd() < 0.3 ? `"v=spf1 mx -all"` : `v=spf1 a mx ip4:${ip4(rnd)} -all`,
          priority: null,
        });
        break;
      case 5:
        out.push({ hostname: host, type: "MXE", address: ip4(rnd), priority: String(20 + k) });
        break;
      case 6:
        out.push({ hostname: host, type: "URL", address: `https://www.${ace}/sida-${k}`, priority: null });
        break;
      case 7:
        out.push({ hostname: host, type: "FRAME", address: `http://example.com/ram/${k}`, priority: null });
        break;
    }
  }
  return out;
}

export function seedDomains(state: SandboxState, count: number, seed = 1): void {
  const rnd = prng(seed);
  for (const unicode of seededDomainNames(count, seed)) {
    const ace = domainToASCII(unicode);
    const person = pick(rnd, NAMES);
    const year = 2027 + Math.floor(rnd() * 3);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const fwd = Math.floor(rnd() * 4);
    const d: SandboxDomain = {
      name: ace,
      status: "Active",
      expiryDate: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
      nameservers:
        rnd() < 0.5
          ? ["ns1.registrera-doman.se", "ns2.registrera-doman.se"]
          : ["ns1.loopia.se", "ns2.loopia.se", "ns3.loopia.se"],
      locked: rnd() < 0.6,
      autorenew: rnd() < 0.5,
      registrant: {
        Name: person,
        Company: rnd() < 0.5 ? `${person.split(" ")[1]} & Söner AB` : "",
        Address: `Storgatan ${1 + Math.floor(rnd() * 90)}`,
        City: pick(rnd, CITIES),
        Country: "SE",
        Zip_Code: `${100 + Math.floor(rnd() * 800)} ${10 + Math.floor(rnd() * 89)}`,
        Email: `info@${ace}`,
        Telephone: `+46.70${String(1000000 + Math.floor(rnd() * 8999999))}`,
      },
      dns: zone(rnd, ace),
      forwarding: Array.from({ length: fwd }, (_, i) => ({
        prefix: ["info", "kontakt", "faktura", "support"][i]!,
        forwardto: `${person
          .split(" ")[0]!
          .toLowerCase()
          .normalize("NFD")
          .replace(/[^a-z]/g, "")}@example.se`,
      })),
      eppcode: `epp-${Math.floor(rnd() * 1e12).toString(36)}`,
      childNameservers: {},
    };
    state.domains.set(ace, d);
  }
}
