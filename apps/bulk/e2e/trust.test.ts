/**
 * Regressions of the "Trust" and "Backups and rollbacks you can rely on" reviews, through the
 * built CLI against a sandbox. Each failed on the code before its fix.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { accountKeyOf } from "@regdom/core";
import { FileLock } from "@regdom/files";
import type { Sandbox } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { BULK, bulk, EMAIL, exporter, sandbox, TOKEN, tempDir, writesIn } from "./env.js";

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function setup(seed = 6) {
  sb = await sandbox({ seed });
  const dir = await tempDir();
  return { sb, dir, names: [...sb.state.domains.keys()] };
}

const line = (e: object) => `${JSON.stringify(e)}\n`;

describe("saved plans are decoded, sealed and re-planned", () => {
  it("a plan.json edited by hand is refused (exit 2) and nothing is sent", async () => {
    const { sb, dir, names } = await setup();
    const m = join(dir, "m.yaml");
    writeFileSync(m, `version: 1\ndomains:\n  ${names[0]}:\n    dns: [{host: "@", type: A, address: 192.0.2.7}]\n`);
    const planFile = join(dir, "plan.json");
    expect((await bulk(sb, ["plan", m, "--out", planFile])).code).toBe(0);
    writeFileSync(planFile, readFileSync(planFile, "utf8").replaceAll("192.0.2.7", "203.0.113.66"));
    const r = await bulk(sb, ["apply", "--plan", planFile, "--yes", "--max-delete-pct", "100", "--force"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/checksum does not match its content/);
    expect(writesIn(sb)).toHaveLength(0);
  });
  it("a plan file that is not a plan names the file and the field", async () => {
    const { sb, dir } = await setup();
    const planFile = join(dir, "plan.json");
    writeFileSync(planFile, JSON.stringify({ version: 1, domains: "x" }));
    const r = await bulk(sb, ["apply", "--plan", planFile, "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(planFile);
  });
});

describe("one apply at a time per account", () => {
  it("an apply from another folder is refused while the account's lock is held (exit 3), and runs once it is free", async () => {
    const { sb, dir, names } = await setup();
    const m = join(dir, "m.yaml");
    writeFileSync(m, `version: 1\ndomains:\n  ${names[0]}:\n    lock: true\n`);
    const state = join(dir, "state");
    const locks = join(state, "regdom", "locks");
    mkdirSync(locks, { recursive: true });
    // Held the way a live apply in another folder holds it (this process is alive).
    const held = FileLock.acquire(
      join(locks, `account-${accountKeyOf(sb.url, EMAIL)}.lock`),
      "another apply to this account",
    );
    try {
      const r = await bulk(sb, ["apply", m, "--yes", "--run-dir", join(dir, "elsewhere")], {
        env: { XDG_STATE_HOME: state },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/another apply to this account \(pid \d+/);
      expect(writesIn(sb)).toHaveLength(0);
    } finally {
      held.release();
    }
    expect(
      (await bulk(sb, ["apply", m, "--yes", "--run-dir", join(dir, "elsewhere")], { env: { XDG_STATE_HOME: state } }))
        .code,
    ).toBe(0);
    expect(readdirSync(locks)).toEqual([]);
  });
});

describe("a wrong token stops the run at once", () => {
  it("40 domains: one failed login, one line naming REGDOM_TOKEN, exit 1", async () => {
    sb = await sandbox({ seed: 40 });
    const dir = await tempDir();
    const m = join(dir, "m.yaml");
    writeFileSync(
      m,
      `version: 1\ndomains:\n${[...sb.state.domains.keys()].map((n) => `  ${n}:\n    lock: true\n`).join("")}`,
    );
    const r = await bulk(sb, ["plan", m, "--concurrency", "1"], { env: { REGDOM_TOKEN: "wrong-token-1234" } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/REGDOM_TOKEN/);
    expect(sb.requests).toHaveLength(1);
  });
});

describe("rollback restores everything a run may have changed, or says what it could not", () => {
  it("an intent without an outcome (killed mid-write) is restored, and a drifted section is reported (exit 1)", async () => {
    const { sb, dir, names } = await setup();
    const [a, b] = [sb.state.get(names[0]!)!, sb.state.get(names[1]!)!];
    const run = join(dir, "run");
    const m = join(dir, "m.yaml");
    writeFileSync(m, `version: 1\ndomains:\n  ${a.name}:\n    lock: true\n`);
    expect((await bulk(sb, ["apply", m, "--yes", "--run-dir", run])).code).toBe(0);
    // Two more writes, as a killed attempt leaves them: intent, then nothing.
    const aBefore = a.forwarding.map((f) => ({ prefix: f.prefix, to: f.forwardto }));
    const bBefore = [...b.nameservers];
    const t = new Date().toISOString();
    appendFileSync(
      join(run, "journal.jsonl"),
      line({
        seq: 100,
        time: t,
        attempt: 2,
        domain: a.name,
        section: "forwarding",
        action: "SaveEmailForwarding",
        phase: "intent",
        before: aBefore,
        after: [{ prefix: "x", to: "x@y.se" }],
      }) +
        line({
          seq: 101,
          time: t,
          attempt: 2,
          domain: b.name,
          section: "nameservers",
          action: "SaveNameservers",
          phase: "intent",
          before: bBefore,
          after: ["ns1.z.se", "ns2.z.se"],
        }),
    );
    a.forwarding = [{ prefix: "x", forwardto: "x@y.se" }]; // the write did happen
    b.nameservers = ["ns1.someone-else.se", "ns2.someone-else.se"]; // changed since by another hand
    const r = await bulk(sb, ["rollback", run, "--yes"]);
    expect(a.forwarding).toEqual(aBefore.map((f) => ({ prefix: f.prefix, forwardto: f.to })));
    expect(b.nameservers).toEqual(["ns1.someone-else.se", "ns2.someone-else.se"]);
    expect(r.stdout).toMatch(/made 3 change\(s\) in 2 attempt\(s\)/);
    expect(r.stdout).toMatch(new RegExp(`not restorable: ${b.name} nameservers`));
    expect(r.code).toBe(1);
  });
  it("a garbage line in the middle of a journal is corruption, not a crash mid-write", async () => {
    const { sb, dir, names } = await setup();
    const run = join(dir, "run");
    const m = join(dir, "m.yaml");
    writeFileSync(m, `version: 1\ndomains:\n  ${names[0]}:\n    lock: true\n  ${names[1]}:\n    lock: true\n`);
    expect((await bulk(sb, ["apply", m, "--yes", "--run-dir", run])).code).toBe(0);
    const j = readFileSync(join(run, "journal.jsonl"), "utf8").split("\n");
    j.splice(1, 0, "#garbage{");
    writeFileSync(join(run, "journal.jsonl"), j.join("\n"));
    const r = await bulk(sb, ["rollback", run, "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/journal\.jsonl:2: journal line is corrupt/);
  });

  it("a journal whose lock before was edited to a string is refused with file, line and field; nothing sent", async () => {
    const { sb, dir, names } = await setup();
    const run = join(dir, "run");
    const m = join(dir, "m.yaml");
    sb.state.get(names[0]!)!.locked = false;
    writeFileSync(m, `version: 1\ndomains:\n  ${names[0]}:\n    lock: true\n`);
    expect((await bulk(sb, ["apply", m, "--yes", "--run-dir", run])).code).toBe(0);
    const lines = readFileSync(join(run, "journal.jsonl"), "utf8").split("\n");
    const at = lines.findIndex((l) => l.includes('"section":"lock"') && l.includes('"phase":"intent"'));
    lines[at] = JSON.stringify({ ...JSON.parse(lines[at]!), before: "false" });
    writeFileSync(join(run, "journal.jsonl"), lines.join("\n"));
    const sent = sb.requests.length;
    const r = await bulk(sb, ["rollback", run, "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`journal.jsonl:${at + 1}: not a valid journal entry at before: `);
    expect(sb.requests.slice(sent).map((q) => q.action)).toEqual([]);
  });
});

describe("a failed export never destroys a good backup", () => {
  for (const [label, flags, out] of [
    ["yaml", [], "backup.yaml"],
    ["csv", ["--format", "csv"], "backup-csv"],
    ["json", ["--format", "json"], "backup.json"],
  ] as const) {
    it(`${label}: a wrong token leaves --out untouched and exits 1`, async () => {
      const { sb, dir, names } = await setup();
      const target = join(dir, out);
      const good = await exporter(sb, [...names, "--out", target, ...flags]);
      expect(good.code).toBe(0);
      const file = label === "csv" ? join(target, "dns.csv") : target;
      const before = readFileSync(file, "utf8");
      const r = await exporter(sb, [...names, "--out", target, ...flags], {
        env: { REGDOM_TOKEN: "wrong-token-1234" },
      });
      expect(r.code).toBe(1);
      expect(readFileSync(file, "utf8")).toBe(before);
    });
  }
  it("a domain that cannot be read: the partial export goes beside --out, which stays as it was", async () => {
    const { sb, dir, names } = await setup();
    const target = join(dir, "backup.yaml");
    expect((await exporter(sb, [...names, "--out", target])).code).toBe(0);
    const before = readFileSync(target, "utf8");
    const r = await exporter(sb, [...names, "saknas-helt.se", "--out", target]);
    expect(r.code).toBe(1);
    expect(readFileSync(target, "utf8")).toBe(before);
    expect(r.stderr).toContain(`${target}.partial`);
    expect(readFileSync(`${target}.partial`, "utf8")).toContain(names[0]!.slice(0, 4));
  });
  it("--format csv --split is refused rather than ignored", async () => {
    const { sb, dir, names } = await setup();
    const r = await exporter(sb, [names[0]!, "--out", join(dir, "x"), "--format", "csv", "--split"]);
    expect(r.code).toBe(2);
    expect(sb.requests).toHaveLength(0);
  });
});

describe("rough edges", () => {
  it("--json prints the JSON error on stdout for an unknown option or command", async () => {
    for (const args of [
      ["plan", "x.yaml", "--nope", "--json"],
      ["nope", "--json"],
    ]) {
      const r = await bulk(undefined, args);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout).error.message).toMatch(/unknown (option|command)/);
    }
    const e = await exporter(undefined, ["a.se", "--nope", "--json"]);
    expect(e.code).toBe(2);
    expect(JSON.parse(e.stdout).error.message).toMatch(/unknown option/);
  });
  it("a reader that closes the pipe early (| head) does not crash the command", async () => {
    const { sb, dir, names } = await setup(40);
    // A plan far larger than a pipe's buffer, so the reader is gone while it is still being written.
    const txt = (n: string) =>
      Array.from({ length: 40 }, (_, i) => `      - {host: t${i}, type: TXT, address: "${n}-${i}-${"x".repeat(60)}"}`);
    const m = join(dir, "m.yaml");
    writeFileSync(m, `version: 1\ndomains:\n${names.map((n) => `  ${n}:\n    dns:\n${txt(n).join("\n")}\n`).join("")}`);
    const child = spawn(process.execPath, [BULK, "plan", m, "--json"], {
      env: {
        PATH: process.env.PATH,
        REGDOM_ENDPOINT: sb.url,
        REGDOM_TOKEN: TOKEN,
        REGDOM_AUTH_EMAIL: EMAIL,
        XDG_STATE_HOME: dir,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|internal error/);
    expect(code).toBe(0);
  });
  it("plan shows only the registrant fields that differ", async () => {
    const { sb, dir, names } = await setup();
    const d = sb.state.get(names[0]!)!;
    const m = join(dir, "m.yaml");
    writeFileSync(
      m,
      `version: 1\ndomains:\n  ${names[0]}:\n    registrant: {country: "${d.registrant.Country}", city: Nyby}\n`,
    );
    const r = await bulk(sb, ["plan", m]);
    expect(r.stdout).toMatch(/~ registrant city: .* -> "Nyby"/);
    expect(r.stdout).not.toMatch(/registrant country/);
  });
});
