/**
 * The GitOps recipe cannot rot: every `run:` step of examples/github-actions/regdom.yml runs as
 * written (bash -e, as GitHub runs it) against the sandbox, with the built CLI as `regdom-bulk` and a
 * stand-in `gh` that records what it was asked. The install steps (id: install) are the only ones
 * left out: they fetch from the registry.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BULK, EMAIL, sandbox, TOKEN, tempDir } from "./env.js";

const WORKFLOW = new URL("../../../examples/github-actions/regdom.yml", import.meta.url).pathname;

interface Step {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: { path?: string };
}
interface Workflow {
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

/** `${{ … }}` as this test's run fills it in. */
function expand(value: string, ctx: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, key: string) => {
    if (!(key in ctx)) throw new Error(`the test does not know \${{ ${key} }}`);
    return ctx[key]!;
  });
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe("examples/github-actions/regdom.yml", () => {
  it("plans on a pull request (comment + artifact), applies the saved plan on merge, opens an issue on drift", async () => {
    const workflow = parse(readFileSync(WORKFLOW, "utf8")) as Workflow;
    expect(Object.keys(workflow.jobs)).toEqual(["plan", "apply", "drift"]);
    const sb = await sandbox({ seed: 4 });
    try {
      const root = await tempDir();
      const work = join(root, "repo");
      const bin = join(root, "bin");
      mkdirSync(join(work, "manifests"), { recursive: true });
      mkdirSync(bin);
      const names = [...sb.state.domains.keys()];
      const flipped = !sb.state.get(names[0]!)!.locked;
      writeFileSync(
        join(work, "manifests", "portfolio.yaml"),
        `version: 1\ndomains:\n  ${names[0]}:\n    lock: ${flipped}\n`,
      );
      writeFileSync(join(bin, "regdom-bulk"), `#!/bin/sh\nexec "${process.execPath}" "${BULK}" "$@"\n`);
      const ghLog = join(root, "gh.log");
      writeFileSync(join(bin, "gh"), `#!/bin/sh\necho "gh $*" >> "${ghLog}"\n`);
      for (const f of ["regdom-bulk", "gh"]) chmodSync(join(bin, f), 0o755);
      const ctx = {
        "vars.REGDOM_ENDPOINT": sb.url,
        "secrets.REGDOM_TOKEN": TOKEN,
        "secrets.REGDOM_AUTH_EMAIL": EMAIL,
        "github.token": "gh-test-token",
        "github.event.pull_request.number": "7",
        "github.workspace": work,
      };
      const base: NodeJS.ProcessEnv = {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: root,
        XDG_STATE_HOME: join(root, "state"),
        ...Object.fromEntries(Object.entries(workflow.env).map(([k, v]) => [k, expand(v, ctx)])),
      };
      const runJob = async (name: string) => {
        for (const step of workflow.jobs[name]!.steps) {
          if (step.id === "install") continue;
          if (step.uses?.startsWith("actions/upload-artifact")) {
            // What the job uploads exists once its steps ran.
            for (const p of step.with!.path!.split("\n").filter(Boolean))
              expect(existsSync(join(work, p.trim())), `${name}: ${p}`).toBe(true);
            continue;
          }
          if (!step.run) continue;
          const env = {
            ...base,
            ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, ctx)])),
          };
          const r = await bash(step.run, work, env);
          expect(r.code, `${name} / ${step.name}: ${r.output}`).toBe(0);
        }
      };
      const gh = () => (existsSync(ghLog) ? readFileSync(ghLog, "utf8") : "");

      await runJob("plan");
      expect(readFileSync(join(work, "plan.md"), "utf8")).toContain(names[0]!);
      expect(gh()).toBe("gh pr comment 7 --edit-last --body-file plan.md\n");
      expect(sb.state.get(names[0]!)!.locked).toBe(!flipped);

      await runJob("apply");
      expect(sb.state.get(names[0]!)!.locked).toBe(flipped);
      expect(readFileSync(join(work, "applied.html"), "utf8")).toContain("regdom apply");

      // No drift: no issue. Someone changes the lock by hand: the nightly check opens one.
      await runJob("drift");
      expect(gh()).not.toMatch(/issue create/);
      sb.state.get(names[0]!)!.locked = !flipped;
      await runJob("drift");
      expect(gh()).toMatch(
        /^gh issue create --title regdom: live state drifted from manifests\/ --body-file drift\.md$/m,
      );
      expect(readFileSync(join(work, "drift.md"), "utf8")).toContain(names[0]!);
    } finally {
      await sb.close();
    }
  });
});
