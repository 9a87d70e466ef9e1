// Writes the validation benchmark's manifest: N domains and 5N DNS rows as spreadsheet CSV.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function writeBigManifest(dir, domains) {
  mkdirSync(dir, { recursive: true });
  const d = ["domain,ns1,ns2,lock,autorenew"];
  const z = ["domain,host,type,address,priority"];
  for (let i = 0; i < domains; i++) {
    const name = i % 10 === 0 ? `bänk-${i}.se` : `bench-${i}.${i % 3 === 0 ? "nu" : "se"}`;
    d.push(`${name},ns1.host.se,ns2.host.se,${i % 2 ? "true" : "false"},`);
    z.push(
      `${name},@,A,192.0.2.${i % 250},`,
      `${name},www,CNAME,${name},`,
      `${name},@,MX,mx${i % 5}.host.se,10`,
      `${name},@,TXT,"v=spf1 mx -all",`,
      `${name},v6,AAAA,2001:db8::${(i % 65535).toString(16)},`,
    );
  }
  writeFileSync(join(dir, "domains.csv"), `${d.join("\n")}\n`);
  writeFileSync(join(dir, "dns.csv"), `${z.join("\n")}\n`);
}

/** The same portfolio as writeBigManifest, as one YAML manifest (flow records, as exports write them). */
export function writeBigYaml(file, domains) {
  const out = ["version: 1", "domains:"];
  for (let i = 0; i < domains; i++) {
    const name = i % 10 === 0 ? `bänk-${i}.se` : `bench-${i}.${i % 3 === 0 ? "nu" : "se"}`;
    out.push(
      `  ${name}:`,
      "    nameservers: [ns1.host.se, ns2.host.se]",
      `    lock: ${i % 2 ? "true" : "false"}`,
      "    dns:",
      `      - {host: "@", type: A, address: 192.0.2.${i % 250}}`,
      `      - {host: www, type: CNAME, address: ${name}}`,
      `      - {host: "@", type: MX, address: mx${i % 5}.host.se, priority: 10}`,
      `      - {host: "@", type: TXT, address: "v=spf1 mx -all"}`,
      `      - {host: v6, type: AAAA, address: "2001:db8::${(i % 65535).toString(16)}"}`,
    );
  }
  writeFileSync(file, `${out.join("\n")}\n`);
}
