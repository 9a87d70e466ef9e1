/** `regdom-bulk run OPS.csv`: the guards of apply, parameters checked first, a file run twice runs once. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { bulk, sandbox, TOKEN, tempDir, writesIn } from "./env.js";

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function setup(ops: (names: string[]) => string) {
  sb = await sandbox({ seed: 6 });
  const dir = await tempDir();
  const names = [...sb.state.domains.keys()];
  const file = join(dir, "ops.csv");
  writeFileSync(file, ops(names));
  return { sb, dir, file, names };
}

const journalOf = (runDir: string) =>
  readFileSync(join(runDir, "journal.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { phase: string; action: string; section: string });

describe("run: the guards of apply", () => {
  it("deletes and releases need --allow-delete and --yes without a TTY; refused is exit 3 with nothing sent", async () => {
    const { sb, dir, file, names } = await setup(
      (n) => `action,domain,newtag\nRequestDelete,${n[0]},\nReleaseDomain,${n[1]},OTHER-TAG\n`,
    );
    const bare = await bulk(sb, ["run", file], { cwd: dir });
    expect(bare.code, bare.stderr).toBe(3);
    expect(bare.stderr).toMatch(/--allow-delete/);
    // The preview says what would be sent, row by row.
    expect(bare.stderr).toContain(`RequestDelete ${names[0]}`);
    expect(bare.stderr).toContain(`ReleaseDomain ${names[1]} newtag=OTHER-TAG`);
    const noYes = await bulk(sb, ["run", file, "--allow-delete"], { cwd: dir });
    expect(noYes.code).toBe(3);
    expect(noYes.stderr).toMatch(/pass --yes/);
    expect(sb.requests).toHaveLength(0);
    expect(sb.state.get(names[0]!)).toBeDefined();
    const ok = await bulk(sb, ["run", file, "--allow-delete", "--yes"], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(sb.state.get(names[0]!)).toBeUndefined();
    expect(sb.state.get(names[1]!)).toBeUndefined();
  });
  it("DeleteNameserver is destructive too", async () => {
    const { sb, dir, file } = await setup((n) => `action,domain,nameserver\nDeleteNameserver,${n[0]},ns9.${n[0]}\n`);
    const r = await bulk(sb, ["run", file, "--yes"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--allow-delete/);
    expect(sb.requests).toHaveLength(0);
  });
  it("any write without a TTY needs --yes; reads do not; the preview never shows an auth code", async () => {
    const { sb, dir, file, names } = await setup(
      (n) =>
        `action,domain,nameserver,ipaddress,regperiod,transfersecret,firstname,lastname,address1,city,state,postcode,country,phonenumber,email\n` +
        `RegisterNameserver,${n[0]},ns1.${n[0]},192.0.2.1,,,,,,,,,,,\n` +
        `TransferDomain,flytt.se,,,1,AUTH-s3cr3t-Code,Anna,Berg,Gatan 1,Umeå,AC,903 25,SE,+46.701234567,a@b.se\n`,
    );
    const r = await bulk(sb, ["run", file, "--allow-purchases"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/pass --yes/);
    expect(r.stderr).toContain(`RegisterNameserver ${names[0]} nameserver=ns1.${names[0]} ipaddress=192.0.2.1`);
    expect(r.stderr).toMatch(/TransferDomain flytt\.se .*\[money\]/);
    expect(r.stderr).not.toContain("AUTH-s3cr3t-Code");
    expect(sb.requests).toHaveLength(0);
    writeFileSync(file, `action,domain\nGetEPPCode,${names[0]}\nDomainGetLockingStatus,${names[0]}\n`);
    const reads = await bulk(sb, ["run", file], { cwd: dir });
    expect(reads.code, reads.stderr).toBe(0);
    expect(reads.stdout).toMatch(/Done 2/);
    expect(writesIn(sb)).toHaveLength(0);
    expect(reads.stdout + reads.stderr).not.toContain(TOKEN);
  });
});

describe("run: every row checked before anything is sent", () => {
  it("a row without a required parameter is file:line, exit 2", async () => {
    const { sb, dir, file, names } = await setup(
      (n) =>
        `action,domain,newtag,nameserver\nGetEPPCode,${n[0]},,\nReleaseDomain,${n[1]},,\nRegisterNameserver,${n[0]},,ns1.${n[0]}\n`,
    );
    const r = await bulk(sb, ["run", file, "--yes", "--allow-delete"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3`);
    expect(r.stderr).toMatch(/ReleaseDomain needs newtag/);
    expect(r.stderr).toContain(`${file}:4`);
    expect(r.stderr).toMatch(/RegisterNameserver needs ipaddress/);
    expect(sb.requests).toHaveLength(0);
    expect(sb.state.get(names[1]!)).toBeDefined();
  });
  it("a bad domain name or a bad regperiod is file:line, exit 2", async () => {
    const { sb, dir, file } = await setup(
      (n) => `action,domain,regperiod\nRenewDomain,bad..se,1\nRenewDomain,${n[0]},x\n`,
    );
    const r = await bulk(sb, ["run", file, "--yes", "--allow-purchases"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2`);
    expect(r.stderr).toContain(`${file}:3`);
    expect(sb.requests).toHaveLength(0);
  });
  it("check bad..se is exit 2 before any request", async () => {
    sb = await sandbox({ seed: 6 });
    const r = await bulk(sb, ["check", "ok.se", "bad..se"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad..se");
    expect(sb.requests).toHaveLength(0);
  });
});

describe("run: the action sent is the action checked (#31)", () => {
  it("a second action column is an error, not a renewal journaled as GetEPPCode", async () => {
    const { sb, dir, file, names } = await setup(
      (n) => `action,domain,action,regperiod\nGetEPPCode,${n[0]},RenewDomain,1\n`,
    );
    const expiry = sb.state.get(names[0]!)!.expiryDate;
    const r = await bulk(sb, ["run", file, "--yes", "--allow-purchases"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:1`);
    expect(r.stderr).toMatch(/"action" .*twice/);
    expect(sb.requests).toHaveLength(0);
    expect(sb.state.get(names[0]!)!.expiryDate).toBe(expiry);
  });
  it.each([["token"], ["authemail"], ["Action"], ["sld"], ["tld"]])(
    "a %s column is refused (file:1, exit 2)",
    async (col) => {
      const { sb, dir, file } = await setup((n) => `action,domain,${col}\nGetEPPCode,${n[0]},RenewDomain\n`);
      const r = await bulk(sb, ["run", file, "--yes"], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}:1`);
      expect(sb.requests).toHaveLength(0);
    },
  );
  it("duplicate parameter headers are an error", async () => {
    const { sb, dir, file } = await setup(
      (n) =>
        `action,domain,nameserver,ipaddress,ipaddress\nRegisterNameserver,${n[0]},ns1.${n[0]},192.0.2.1,192.0.2.2\n`,
    );
    const r = await bulk(sb, ["run", file, "--yes"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"ipaddress" .*twice/);
    expect(sb.requests).toHaveLength(0);
  });
});

describe("run: the same file twice runs once", () => {
  it("a second run of the same content skips what the first finished; --again repeats it", async () => {
    const { sb, dir, file, names } = await setup(
      (n) =>
        `action,domain,regperiod,nameserver,ipaddress\nRenewDomain,${n[0]},1,,\nRegisterNameserver,${n[1]},,ns1.${n[1]},192.0.2.1\n`,
    );
    const expiry = sb.state.get(names[0]!)!.expiryDate;
    const year = Number(expiry.slice(0, 4));
    const first = await bulk(sb, ["run", file, "--yes", "--allow-purchases"], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(sb.state.get(names[0]!)!.expiryDate.slice(0, 4)).toBe(String(year + 1));
    const second = await bulk(sb, ["run", file, "--yes", "--allow-purchases"], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Done 0, skipped 2/);
    expect(second.stderr).toMatch(/run before/);
    expect(sb.executed("RenewDomain")).toBe(1);
    expect(sb.requests.filter((x) => x.action === "registernameserver")).toHaveLength(1);
    expect(sb.state.get(names[0]!)!.expiryDate.slice(0, 4)).toBe(String(year + 1));
    // Same content under another name is the same file.
    const copy = join(dir, "copy.csv");
    writeFileSync(copy, readFileSync(file));
    expect((await bulk(sb, ["run", copy, "--yes", "--allow-purchases"], { cwd: dir })).stdout).toMatch(/skipped 2/);
    expect(sb.executed("RenewDomain")).toBe(1);
    const again = await bulk(sb, ["run", file, "--yes", "--allow-purchases", "--again"], { cwd: dir });
    // Every row is sent again (the registrar refuses a child nameserver it already has).
    expect(again.stdout, again.stderr).toMatch(/Done 1, skipped 0/);
    expect(sb.requests.filter((x) => x.action === "registernameserver")).toHaveLength(2);
    expect(sb.executed("RenewDomain")).toBe(2);
    expect(sb.state.get(names[0]!)!.expiryDate.slice(0, 4)).toBe(String(year + 2));
  });
  it("a renewal cut off mid-request is reconciled by reading state on the next run, not resent", async () => {
    const { sb, dir, file, names } = await setup((n) => `action,domain,regperiod\nRenewDomain,${n[0]},1\n`);
    const expiry = sb.state.get(names[0]!)!.expiryDate;
    const release = sb.hold("RenewDomain");
    const killed = bulk(sb, ["run", file, "--yes", "--allow-purchases"], {
      cwd: dir,
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (sb.requests.some((r) => r.action === "renewdomain")) {
            clearInterval(timer);
            child.kill("SIGKILL");
          }
        }, 5);
        child.on("exit", () => clearInterval(timer));
      },
    });
    expect((await killed).signal).toBe("SIGKILL");
    release();
    // The renewal the registrar received completes after the client is gone.
    while (sb.executed("RenewDomain") === 0) await new Promise((r) => setTimeout(r, 10));
    const renewed = sb.state.get(names[0]!)!.expiryDate;
    expect(renewed).not.toBe(expiry);
    const next = await bulk(sb, ["run", file, "--yes", "--allow-purchases"], { cwd: dir });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/reconciled 1,/);
    expect(sb.requests.filter((r) => r.action === "renewdomain")).toHaveLength(1);
    expect(sb.state.get(names[0]!)!.expiryDate).toBe(renewed);
  });
  it("a renewal whose answer is lost is not resent: unknown now, reconciled by the next run", async () => {
    const { sb, dir, file, names } = await setup((n) => `action,domain,regperiod\nRenewDomain,${n[0]},1\n`);
    const expiry = sb.state.get(names[0]!)!.expiryDate;
    // Held at the registrar past the client's timeout: the request arrived, its answer never does.
    const release = sb.hold("RenewDomain");
    const first = await bulk(sb, ["run", file, "--yes", "--allow-purchases", "--timeout", "1"], { cwd: dir });
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(first.stdout).toMatch(/unknown 1/);
    expect(first.stdout).toMatch(/not resent/);
    release();
    while (sb.executed("RenewDomain") === 0) await new Promise((r) => setTimeout(r, 10));
    expect(sb.state.get(names[0]!)!.expiryDate).not.toBe(expiry);
    const next = await bulk(sb, ["run", file, "--yes", "--allow-purchases"], { cwd: dir });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/reconciled 1,/);
    expect(sb.requests.filter((r) => r.action === "renewdomain")).toHaveLength(1);
  });
  it("--again is refused while an earlier run's money row has no known outcome", async () => {
    const { sb, dir, file } = await setup((n) => `action,domain,regperiod\nRenewDomain,${n[0]},1\n`);
    const release = sb.hold("RenewDomain");
    await bulk(sb, ["run", file, "--yes", "--allow-purchases"], {
      cwd: dir,
      onSpawn: (child) => {
        const timer = setInterval(() => {
          if (sb.requests.some((r) => r.action === "renewdomain")) {
            clearInterval(timer);
            child.kill("SIGKILL");
          }
        }, 5);
        child.on("exit", () => clearInterval(timer));
      },
    });
    release();
    const r = await bulk(sb, ["run", file, "--yes", "--allow-purchases", "--again"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/outcome .*unknown/);
    expect(sb.requests.filter((x) => x.action === "renewdomain")).toHaveLength(1);
  });
});

describe("run: Ctrl-C", () => {
  it("after SIGINT no new row starts; the journal and report are written; exit 130", async () => {
    const { sb, dir, file } = await setup(
      (n) =>
        `action,domain,nameserver,ipaddress\n${n
          .slice(0, 6)
          .map((d) => `RegisterNameserver,${d},ns1.${d},192.0.2.1`)
          .join("\n")}\n`,
    );
    const runDir = join(dir, "run");
    const release = sb.hold("RegisterNameserver");
    const r = await bulk(sb, ["run", file, "--yes", "--concurrency", "1", "--run-dir", runDir], {
      cwd: dir,
      onSpawn: (child) => {
        let stderr = "";
        child.stderr!.on("data", (d: Buffer) => {
          stderr += d.toString();
          if (/SIGINT/.test(stderr)) release();
        });
        const timer = setInterval(() => {
          if (sb.requests.some((x) => x.action === "registernameserver")) {
            clearInterval(timer);
            child.kill("SIGINT");
          }
        }, 5);
        child.on("exit", () => clearInterval(timer));
      },
    });
    expect(r.code, r.stderr).toBe(130);
    expect(sb.requests.filter((x) => x.action === "registernameserver")).toHaveLength(1);
    const journal = journalOf(runDir);
    expect(journal.filter((l) => l.phase === "intent")).toHaveLength(1);
    expect(journal.filter((l) => l.phase === "ok")).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(runDir, "report.json"), "utf8")).interrupted).toBe(true);
  });
  it("a second SIGINT exits at once, while a row is still held at the registrar; the journal stays readable", async () => {
    const { sb, dir, file } = await setup(
      (n) =>
        `action,domain,nameserver,ipaddress\n${n
          .slice(0, 3)
          .map((d) => `RegisterNameserver,${d},ns1.${d},192.0.2.1`)
          .join("\n")}\n`,
    );
    const runDir = join(dir, "run");
    const release = sb.hold("RegisterNameserver");
    try {
      const r = await bulk(sb, ["run", file, "--yes", "--concurrency", "1", "--run-dir", runDir], {
        cwd: dir,
        onSpawn: (child) => {
          let stderr = "";
          child.stderr!.on("data", (d: Buffer) => {
            const seen = /SIGINT/.test(stderr);
            stderr += d.toString();
            if (!seen && /SIGINT/.test(stderr)) child.kill("SIGINT");
          });
          const timer = setInterval(() => {
            if (sb.requests.some((x) => x.action === "registernameserver")) {
              clearInterval(timer);
              child.kill("SIGINT");
            }
          }, 5);
          child.on("exit", () => clearInterval(timer));
        },
      });
      expect(r.signal ?? r.code, r.stderr).toMatch(/SIGINT|130/);
      expect(sb.requests.filter((x) => x.action === "registernameserver")).toHaveLength(1);
    } finally {
      release();
    }
    expect(journalOf(runDir).map((l) => l.phase)).toEqual(["intent"]);
  });
});
