import { mkdtempSync, writeFileSync } from "node:fs";
import { startSandbox } from "@regdom/sandbox";
import { binPath, runCli } from "@regdom/sandbox/testing";

const sb = await startSandbox({
  seed: 120,
  token: "t0ken",
  authEmail: "e@x.se",
  recordParams: false,
  faults: { latencyMs: 20, rateLimit: 10, limitShape: process.argv[2] ?? "sliding" },
});
const names = [...sb.state.domains.keys()];
writeFileSync(
  "/tmp/rp.yaml",
  `version: 1\ndomains:\n${names.map((n) => `  ${n}:\n    nameservers: [a.b.se, c.d.se]\n`).join("")}`,
);
const t0 = Date.now();
const r = await runCli(
  binPath("@regdom/bulk", "bin.js", "file:///work/main/apps/bulk/package.json"),
  ["plan", "/tmp/rp.yaml", "--rate", process.argv[3] ?? "auto", "--concurrency", "8", "-v"],
  {
    env: {
      REGDOM_ENDPOINT: sb.url,
      REGDOM_TOKEN: "t0ken",
      REGDOM_AUTH_EMAIL: "e@x.se",
      XDG_STATE_HOME: mkdtempSync("/tmp/st-"),
    },
  },
);
console.log(
  r.stderr
    .split("\n")
    .filter((l) => /rate|429|rate limited/.test(l))
    .slice(0, 30)
    .join("\n"),
);
console.log(
  "wall",
  (Date.now() - t0) / 1000,
  "calls",
  sb.requests.length,
  "429",
  sb.requests.filter((x) => x.fault === "rate-limited").length,
);
await sb.close();
