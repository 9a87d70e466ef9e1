import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { domainToASCII } from "node:url";
import type { Sandbox } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir, writesIn } from "./env.js";

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const OWNERS = `owners:
  acme: {firstname: Anna, lastname: Berg, address1: Storgatan 1, city: Umeå, postcode: "903 25", country: SE, phone: "+46.701234567", email: anna@acme.se}
`;

async function setup(yaml: string, seed = 6) {
  sb = await sandbox({ seed });
  const dir = await tempDir();
  const file = join(dir, "m.yaml");
  writeFileSync(file, yaml);
  return { sb, dir, file, names: [...sb.state.domains.keys()] };
}

describe("safety rules: refused without their flag, nothing sent", () => {
  it("purchases need --allow-purchases", async () => {
    const { sb, file } = await setup(
      `version: 1\n${OWNERS}domains:\n  nytt.se:\n    register: {years: 1, owner: acme}\n`,
    );
    const r = await bulk(sb, ["apply", file, "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/need --allow-purchases/);
    expect(writesIn(sb)).toHaveLength(0);
  });
  it("renewals are purchases too", async () => {
    const { sb, file, names } = await setup("");
    writeFileSync(file, `version: 1\ndomains:\n  ${names[0]}:\n    expires_not_before: 2033-01-01\n`);
    const r = await bulk(sb, ["apply", file, "--yes"]);
    expect(r.code).toBe(3);
    expect(writesIn(sb)).toHaveLength(0);
  });
  it("deletions need --allow-delete", async () => {
    const { sb, file, names } = await setup("");
    writeFileSync(file, `version: 1\ndomains:\n  ${names[0]}:\n    state: deleted\n`);
    const r = await bulk(sb, ["apply", file, "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/need --allow-delete/);
    expect(writesIn(sb)).toHaveLength(0);
    const ok = await bulk(sb, ["apply", file, "--yes", "--allow-delete"]);
    expect(ok.code).toBe(0);
    expect(sb.state.get(names[0]!)).toBeUndefined();
  });
  it("a zone losing more than --max-delete-pct of 10+ records is refused unless --force", async () => {
    const { sb, file, names } = await setup("");
    const d = sb.state.get(names[0]!)!;
    d.dns = Array.from({ length: 12 }, (_, i) => ({
      hostname: `h${i}`,
      type: "A",
      address: `192.0.2.${i + 1}`,
      priority: null,
    }));
    writeFileSync(
      file,
      `version: 1\ndomains:\n  ${d.name}:\n    dns:\n${d.dns
        .slice(0, 6)
        .map((r) => `      - {host: ${r.hostname}, type: A, address: ${r.address}}`)
        .join("\n")}\n`,
    );
    const r = await bulk(sb, ["apply", file, "--yes"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/would lose 6 of 12 entries \(over 30%\)/);
    expect(writesIn(sb)).toHaveLength(0);
    expect((await bulk(sb, ["apply", file, "--yes", "--max-delete-pct", "60"])).code).toBe(0);
    expect(d.dns).toHaveLength(6);
  });
  it("without a TTY, --yes is required", async () => {
    const { sb, file, names } = await setup("");
    writeFileSync(file, `version: 1\ndomains:\n  ${names[0]}:\n    nameservers: [ns1.ny.se, ns2.ny.se]\n`);
    const r = await bulk(sb, ["apply", file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/pass --yes/);
    expect(writesIn(sb)).toHaveLength(0);
  });
  it("a saved plan whose domain changed since is refused for that domain; the rest is applied", async () => {
    const { sb, dir, file, names } = await setup("");
    writeFileSync(
      file,
      `version: 1\ndomains:\n  ${names[0]}:\n    lock: true\n    nameservers: [ns1.ny.se, ns2.ny.se]\n  ${names[1]}:\n    nameservers: [ns1.ny.se, ns2.ny.se]\n`,
    );
    const planFile = join(dir, "plan.json");
    expect((await bulk(sb, ["plan", file, "--out", planFile])).code).toBe(0);
    expect(statSync(planFile).mode & 0o777).toBe(0o600);
    sb.state.get(names[0]!)!.nameservers = ["ns.someone-else.se"];
    const r = await bulk(sb, ["apply", "--plan", planFile, "--yes", "--run-dir", join(dir, "run")]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`Stale (refused, plan again): ${names[0]}`);
    expect(sb.state.get(names[0]!)!.nameservers).toEqual(["ns.someone-else.se"]);
    expect(sb.state.get(names[1]!)!.nameservers).toEqual(["ns1.ny.se", "ns2.ny.se"]);
  });
});

describe("apply", () => {
  it("writes one call per changed section, journals intent and outcome, and plans empty afterwards", async () => {
    const { sb, dir, file, names } = await setup("");
    const d = sb.state.get(names[2]!)!;
    d.locked = false;
    writeFileSync(
      file,
      `version: 1\n${OWNERS}domains:\n  ${d.name}:\n    lock: true\n    nameservers: [ns1.ny.se, ns2.ny.se]\n    forwarding: [{prefix: info, to: a@b.se}]\n    autorenew: true\n  köpt.se:\n    register: {years: 2, owner: acme}\n    dns: [{host: "@", type: A, address: 192.0.2.7}]\n`,
    );
    const runDir = join(dir, "run");
    const r = await bulk(sb, ["apply", file, "--yes", "--allow-purchases", "--run-dir", runDir]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const writes = writesIn(sb)
      .map((w) => `${w.domain} ${w.action}`)
      .sort();
    expect(writes).toEqual(
      [
        `${d.name} domainupdatelockingstatus`,
        `${d.name} savenameservers`,
        `${d.name} saveemailforwarding`,
        `${d.name} setautorenew`,
        `${domainToASCII("köpt.se")} registerdomain`,
        `${domainToASCII("köpt.se")} savedns`,
      ].sort(),
    );
    const lines = readFileSync(join(runDir, "journal.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.phase === "intent")).toHaveLength(6);
    expect(lines.filter((l) => l.phase === "ok")).toHaveLength(6);
    expect(lines[0]).toMatchObject({ seq: 1, phase: "intent" });
    const report = JSON.parse(readFileSync(join(runDir, "report.json"), "utf8"));
    expect(report.money).toEqual([{ domain: "köpt.se", section: "register", years: 2, outcome: "ok" }]);
    expect(r.stdout).toMatch(/Domains: 2 ok, 0 failed/);
    const again = await bulk(sb, ["plan", file, "--detailed-exitcode"]);
    expect(again.stdout).toBe("No changes.\n");
    expect(again.code).toBe(0);
  });
  it("--detailed-exitcode exits 4 on drift", async () => {
    const { sb, file, names } = await setup("");
    writeFileSync(file, `version: 1\ndomains:\n  ${names[0]}:\n    nameservers: [ns1.drift.se, ns2.drift.se]\n`);
    const r = await bulk(sb, ["plan", file, "--detailed-exitcode"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^~ /m);
    const j = await bulk(sb, ["plan", file, "--format", "json"]);
    expect(JSON.parse(j.stdout).summary.changed).toBe(1);
  });
  it("rollback puts back the before-state and lists purchases as not reversible", async () => {
    const { sb, dir, file, names } = await setup("");
    const d = sb.state.get(names[0]!)!;
    const before = { ns: [...d.nameservers], dns: structuredClone(d.dns) };
    writeFileSync(
      file,
      `version: 1\n${OWNERS}domains:\n  ${d.name}:\n    nameservers: [ns1.ny.se, ns2.ny.se]\n    dns: [{host: "@", type: A, address: 192.0.2.99}]\n  extra.se:\n    register: {years: 1, owner: acme}\n`,
    );
    const runDir = join(dir, "run");
    expect(
      (await bulk(sb, ["apply", file, "--yes", "--allow-purchases", "--max-delete-pct", "100", "--run-dir", runDir]))
        .code,
    ).toBe(0);
    expect(d.nameservers).toEqual(["ns1.ny.se", "ns2.ny.se"]);
    const r = await bulk(sb, ["rollback", runDir, "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Restored 2 section\(s\)/);
    expect(r.stdout).toMatch(/not reversible: xn--|not reversible: extra.se register/);
    expect(d.nameservers).toEqual(before.ns);
    expect([...d.dns].sort((a, b) => (a.address < b.address ? -1 : 1))).toEqual(
      [...before.dns].sort((a, b) => (a.address < b.address ? -1 : 1)),
    );
    expect(readdirSync(join(runDir, "rollback"))).toContain("journal.jsonl");
  });
  it("a second apply is refused while the first holds the lock", async () => {
    const { sb, dir, file, names } = await setup("");
    writeFileSync(
      file,
      `version: 1\ndomains:\n${names
        .slice(0, 4)
        .map((n) => `  ${n}:\n    lock: true\n    nameservers: [ns1.x.se, ns2.x.se]\n`)
        .join("")}`,
    );
    // The first apply is held at its first write (answers wait), so it provably holds the lock.
    const release = sb.hold("SaveNameservers");
    const held = sb.nextRequest({ action: "SaveNameservers" }, "held");
    const first = bulk(sb, ["apply", file, "--yes", "--run-dir", join(dir, "runs", "a")]);
    await held;
    try {
      const second = await bulk(sb, ["apply", file, "--yes", "--run-dir", join(dir, "runs", "b")]);
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/another apply to this account \(pid \d+/);
    } finally {
      release();
    }
    expect((await first).code).toBe(0);
  });
});

describe("signals and transfers", () => {
  it("SIGTERM stops new domains, lets those in flight finish, writes journal and report, exits 1", async () => {
    const { sb, dir, file, names } = await setup("", 40);
    sb.faults.latencyMs = 40;
    writeFileSync(
      file,
      `version: 1\ndomains:\n${names.map((n) => `  ${n}:\n    nameservers: [ns1.sig.se, ns2.sig.se]\n`).join("")}`,
    );
    const runDir = join(dir, "run");
    // SIGTERM lands while a write is held at the sandbox (in flight by construction); the write is
    // let through once the CLI has said it is finishing, so nothing new can have started since.
    const release = sb.hold("SaveNameservers");
    const inFlight = sb.nextRequest({ action: "SaveNameservers" }, "held");
    const r = await bulk(sb, ["apply", file, "--yes", "--rate", "20", "--concurrency", "2", "--run-dir", runDir], {
      onSpawn: (child) => {
        let said = "";
        child.stderr?.on("data", (d: Buffer | string) => {
          said += String(d);
          if (said.includes("SIGTERM: finishing")) release();
        });
        void inFlight.then(() => child.kill("SIGTERM"));
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SIGTERM: finishing the domains in flight/);
    const report = JSON.parse(readFileSync(join(runDir, "report.json"), "utf8"));
    expect(report.interrupted).toBe(true);
    expect(report.domains["not-started"]).toBeGreaterThan(0);
    const journal = readFileSync(join(runDir, "journal.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // Every intent has its outcome: nothing was left in flight.
    expect(journal.filter((l) => l.phase === "intent").length).toBe(journal.filter((l) => l.phase !== "intent").length);
    expect(journal.filter((l) => l.phase === "ok").length).toBe(writesIn(sb).length);
  });
  /** Sends SIGINT once a held write has reached the sandbox; `then` runs once the CLI has said it stops. */
  function interruptWhileHeld(sb: Sandbox, action: string, then: (child: ChildProcess) => void) {
    return (child: ChildProcess) => {
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => {
        const seen = /SIGINT/.test(stderr);
        stderr += d.toString();
        if (!seen && /SIGINT/.test(stderr)) then(child);
      });
      const timer = setInterval(() => {
        if (sb.requests.some((x) => x.action === action)) {
          clearInterval(timer);
          child.kill("SIGINT");
        }
      }, 5);
      child.on("exit", () => clearInterval(timer));
    };
  }
  it("Ctrl-C: no new write starts after it, the writes in flight finish, journal and report are written, exit 130", async () => {
    const { sb, dir, file, names } = await setup("", 16);
    writeFileSync(
      file,
      `version: 1\ndomains:\n${names.map((n) => `  ${n}:\n    nameservers: [ns1.int.se, ns2.int.se]\n`).join("")}`,
    );
    const runDir = join(dir, "run");
    // The first write is held at the sandbox: provably in flight when SIGINT arrives.
    const release = sb.hold("SaveNameservers");
    const r = await bulk(sb, ["apply", file, "--yes", "--concurrency", "1", "--run-dir", runDir], {
      onSpawn: interruptWhileHeld(sb, "savenameservers", () => release()),
    });
    expect(r.code, r.stderr).toBe(130);
    expect(sb.requests.filter((x) => x.action === "savenameservers")).toHaveLength(1);
    const journal = readFileSync(join(runDir, "journal.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // One intent: the write in flight. Queued writes were never journaled, nor sent.
    expect(journal.filter((l) => l.phase === "intent")).toHaveLength(1);
    expect(journal.filter((l) => l.phase === "ok")).toHaveLength(1);
    const report = JSON.parse(readFileSync(join(runDir, "report.json"), "utf8"));
    expect(report.interrupted).toBe(true);
    expect(report.writes).toBe(1);
    expect(r.stdout).toMatch(/15 not started \(interrupted\)/);
  });
  it("a second Ctrl-C exits at once; the journal stays readable and --resume finishes the run", async () => {
    const { sb, dir, file, names } = await setup("", 16);
    writeFileSync(
      file,
      `version: 1\ndomains:\n${names.map((n) => `  ${n}:\n    nameservers: [ns1.int.se, ns2.int.se]\n`).join("")}`,
    );
    const runDir = join(dir, "run");
    const release = sb.hold("SaveNameservers");
    try {
      const r = await bulk(sb, ["apply", file, "--yes", "--concurrency", "1", "--run-dir", runDir], {
        onSpawn: interruptWhileHeld(sb, "savenameservers", (child) => child.kill("SIGINT")),
      });
      // Gone while its write is still held at the sandbox.
      expect(r.signal ?? r.code, r.stderr).toMatch(/SIGINT|130/);
      expect(sb.requests.filter((x) => x.action === "savenameservers")).toHaveLength(1);
    } finally {
      release();
    }
    const lines = readFileSync(join(runDir, "journal.jsonl"), "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l).phase)).toEqual(["intent"]);
    const resumed = await bulk(sb, ["apply", "--resume", runDir, "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const again = await bulk(sb, ["plan", file, "--detailed-exitcode"]);
    expect(again.stdout).toBe("No changes.\n");
    expect(again.code).toBe(0);
  });
  it("a pending transfer defers the domain's other sections and says so", async () => {
    sb = await sandbox({ seed: 2, manualTransfers: true });
    const dir = await tempDir();
    const file = join(dir, "m.yaml");
    writeFileSync(
      file,
      `version: 1\n${OWNERS}domains:\n  flytt.se:\n    transfer: {years: 1, owner: acme, authcode: abc}\n    dns: [{host: "@", type: A, address: 192.0.2.1}]\n`,
    );
    const r = await bulk(sb, ["apply", file, "--yes", "--allow-purchases", "--run-dir", join(dir, "run")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 deferred/);
    // The summary names what the deferred domain waits for, and what waits with it.
    expect(r.stdout).toMatch(/^Deferred: flytt\.se waits for its transfer to complete \(then: dns\)/m);
    expect(sb.executed("TransferDomain", "flytt.se")).toBe(1);
    expect(sb.requests.some((x) => x.action === "savedns")).toBe(false);
    // Drift detection sees the sections that wait: not "No changes.", and exit 4.
    const plan = await bulk(sb, ["plan", file, "--detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(4);
    expect(plan.stdout).not.toMatch(/No changes\./);
    expect(plan.stdout).toMatch(/flytt\.se[^\n]*\n\s+deferred until its transfer completes: dns/);
    // An apply with nothing to send now says what waits, and for what.
    const idle = await bulk(sb, ["apply", file, "--yes", "--allow-purchases", "--run-dir", join(dir, "run2")]);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toMatch(/^Deferred: flytt\.se waits for its transfer to complete \(then: dns\)/m);
    expect(JSON.parse((await bulk(sb, ["plan", file, "--json"])).stdout).domains[0].notes[0]).toMatch(
      /Pending Transfer/,
    );
  });
});

describe("check and run", () => {
  it("check prints domain,status using DASSE, DASNU and DAS", async () => {
    const { sb, names } = await setup("");
    const r = await bulk(sb, ["check", names[0]!, "ledig.se", "ledig.nu", "taken-x.com"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`domain,status\n${names[0]},occupied\nledig.se,free\nledig.nu,free\ntaken-x.com,occupied\n`);
    expect(sb.requests.map((x) => x.action)).toEqual(expect.arrayContaining(["dasse", "dasnu", "das"]));
  });
  it("run executes one action per row and a rerun skips rows already done", async () => {
    const { sb, dir, names } = await setup("");
    const ops = join(dir, "ops.csv");
    writeFileSync(
      ops,
      `action,domain,nameserver,ipaddress\nRegisterNameserver,${names[0]},ns1.${names[0]},192.0.2.1\nGetEPPCode,${names[0]},,\n`,
    );
    const runDir = join(dir, "ops-run");
    const r = await bulk(sb, ["run", ops, "--run-dir", runDir, "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Done 2, skipped 0/);
    expect(sb.state.get(names[0]!)!.childNameservers).toEqual({ [`ns1.${names[0]}`]: ["192.0.2.1"] });
    const again = await bulk(sb, ["run", ops, "--run-dir", runDir, "--yes"]);
    expect(again.stdout).toMatch(/Done 0, skipped 2/);
    expect(sb.requests.filter((x) => x.action === "registernameserver")).toHaveLength(1);
  });
  it("run refuses money rows without --allow-purchases", async () => {
    const { sb, dir, names } = await setup("");
    const ops = join(dir, "ops.csv");
    writeFileSync(ops, `action,domain,regperiod\nRenewDomain,${names[0]},1\n`);
    const r = await bulk(sb, ["run", ops, "--run-dir", join(dir, "r")]);
    expect(r.code).toBe(3);
    expect(sb.requests).toHaveLength(0);
  });
});
