/**
 * A registrar whose lock answer says less (issue 31): `{"result":"success"}` without lockstatus
 * was read as "unlocked", so `apply lock: true` journaled "unlocked" as the before-state and a
 * rollback then unlocked a domain that had been locked. Now the domain fails, nothing is sent.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Sandbox } from "@regdom/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import { bulk, sandbox, tempDir, writesIn } from "./env.js";
import { answeringProxy } from "./proxy.js";

let sb: Sandbox | undefined;
let closeProxy: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeProxy?.();
  await sb?.close();
  sb = undefined;
  closeProxy = undefined;
});

describe("an answer without lockstatus", () => {
  it("fails the domain's plan and apply (nothing sent), so no rollback can unlock a locked domain", async () => {
    sb = await sandbox({ seed: 2 });
    const name = [...sb.state.domains.keys()][0]!;
    sb.state.get(name)!.locked = true;
    const proxy = await answeringProxy(sb.url, (form) =>
      form.get("action")?.toLowerCase() === "domaingetlockingstatus"
        ? { status: 200, type: "application/json", text: '{"result":"success"}' }
        : undefined,
    );
    closeProxy = proxy.close;
    const dir = await tempDir();
    const m = join(dir, "m.yaml");
    writeFileSync(m, `version: 1\ndomains:\n  ${name}:\n    lock: true\n`);
    const env = { env: { REGDOM_ENDPOINT: proxy.url } };
    const plan = await bulk(sb, ["plan", m], env);
    expect(plan.code).toBe(1);
    expect(plan.stdout + plan.stderr).toMatch(/DomainGetLockingStatus .*answered without lockstatus/);
    const run = join(dir, "run");
    const apply = await bulk(sb, ["apply", m, "--yes", "--run-dir", run], env);
    expect(apply.code).toBe(1);
    expect(writesIn(sb)).toHaveLength(0);
    expect(sb.state.get(name)!.locked).toBe(true);
  });
});
