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
    z.push(`${name},@,A,192.0.2.${i % 250},`, `${name},www,CNAME,${name},`, `${name},@,MX,mx${i % 5}.host.se,10`, `${name},@,TXT,"v=spf1 mx -all",`, `${name},v6,AAAA,2001:db8::${(i % 65535).toString(16)},`);
  }
  writeFileSync(join(dir, "domains.csv"), `${d.join("\n")}\n`);
  writeFileSync(join(dir, "dns.csv"), `${z.join("\n")}\n`);
}
