/**
 * The HTML plan and the portfolio report, opened from disk in a real browser (headless Chromium):
 * visible text and counts, a collapsible and the filter clicked, no console errors, and an injected
 * `<script>` in a TXT record that shows as text and runs nothing. Screenshots go to the test's folder.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserRequired, chromiumPath, launch } from "./browser.js";
import { bulk, exporter, sandbox, tempDir } from "./env.js";

const run = chromiumPath || browserRequired ? describe : describe.skip;
const EVIL = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
const OWNERS = `owners:
  acme: {firstname: Anna, lastname: Berg, address1: Storgatan 1, city: Umeå, postcode: "903 25", country: SE, phone: "+46.701234567", email: anna@acme.se}
`;

/** A view with its "Planned <time>" left out, to compare two reads of the same state. */
const withoutTimes = (view: string) => view.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "<time>");

async function open(browser: Browser, file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  return { page, errors };
}

run("HTML pages in a real browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("plan --format html: counts, money, collapsibles, filter and toggles; an injected script runs nothing", async () => {
    const sb = await sandbox({ seed: 8 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      sb.state.get(names[1]!)!.expiryDate = "2027-02-01";
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\n${OWNERS}domains:\n` +
          `  ${names[0]}:\n    dns:\n      - {host: "@", type: A, address: 192.0.2.7}\n      - {host: "@", type: TXT, address: ${JSON.stringify(EVIL)}}\n` +
          `  ${names[1]}:\n    expires_not_before: 2029-01-01\n` +
          `  ${names[2]}:\n    lock: ${!sb.state.get(names[2]!)!.locked}\n` +
          `  nytt-namn.se:\n    register: {years: 2, owner: acme}\n`,
      );
      const out = join(dir, "plan.html");
      const r = await bulk(sb, ["plan", m, "--format", "html", "--out", out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`HTML plan: ${out}`);

      const { page, errors } = await open(browser, out);
      await expect(page.locator("#summary").innerText()).resolves.toMatch(
        /4 domain\(s\) to change \(1 to create, 3 to update/,
      );
      await expect(page.locator("#kinds").innerText()).resolves.toMatch(/1\s*to create/);
      const money = await page.locator("#money").innerText();
      expect(money).toMatch(/register\s+nytt-namn\.se\s+2\s+\(none\)/);
      expect(money).toMatch(/renew\s+\S+\s+2\s+2027-02-01\s+2029-02-01/);
      expect(money).toMatch(/renew\s+1 domain\(s\)\s+2 year\(s\)/);
      await expect(page.locator("#shown").innerText()).resolves.toBe("4");

      // The TXT with <script> is shown as text inside its collapsible, and never ran.
      const first = page.locator("details.domain").filter({ hasText: names[0]! });
      await expect(first.locator("pre").isVisible()).resolves.toBe(false);
      await first.locator("summary").click();
      await expect(first.locator("pre").isVisible()).resolves.toBe(true);
      await expect(first.locator("pre").innerText()).resolves.toContain("<script>window.__pwned = 1</script>");
      await expect(
        page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
      ).resolves.toBeUndefined();

      await page.fill("#filter", "nytt-namn");
      await expect(page.locator("#shown").innerText()).resolves.toBe("1");
      await page.fill("#filter", "");
      await page.check("#only-money");
      await expect(page.locator("#shown").innerText()).resolves.toBe("2");
      await page.uncheck("#only-money");
      await page.check("#only-deletions");
      await expect(page.locator("#shown").innerText()).resolves.toBe("1");
      await page.screenshot({ path: join(dir, "plan.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await sb.close();
    }
  });

  it("plan --out --html --markdown: every view from one read; apply --plan --html renders the outcome; expand/collapse all; print", async () => {
    const sb = await sandbox({ seed: 6 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const m = join(dir, "m.yaml");
      writeFileSync(
        m,
        `version: 1\ndomains:\n` +
          names
            .slice(0, 3)
            .map(
              (n) =>
                `  ${n}:\n    lock: ${!sb.state.get(n)!.locked}\n    dns:\n      - {host: "@", type: A, address: 192.0.2.9}\n`,
            )
            .join(""),
      );
      const [json, html, md] = ["plan.json", "plan.html", "plan.md"].map((f) => join(dir, f)) as [
        string,
        string,
        string,
      ];
      const before = sb.requests.length;
      const once = await bulk(sb, ["plan", m, "--rate", "1000"]);
      const oneRead = sb.requests.length - before;
      const r = await bulk(sb, ["plan", m, "--out", json, "--html", html, "--markdown", md, "--rate", "1000"]);
      expect(r.code, r.stderr).toBe(0);
      // The three files cost exactly the reads of one plan, and all say the same plan.
      expect(sb.requests.length - before - oneRead).toBe(oneRead);
      expect(r.stdout).toBe(once.stdout);
      const sealed = JSON.parse(readFileSync(json, "utf8")) as { createdAt: string; checksum?: string };
      expect(readFileSync(html, "utf8")).toContain(`Planned ${sealed.createdAt}`);
      const markdown = readFileSync(md, "utf8");
      expect(markdown).not.toMatch(/^\s*\{/);
      for (const n of names.slice(0, 3)) expect(markdown).toContain(n);
      // `--format markdown --out` saves markdown (it used to save the sealed JSON under that name).
      const mdOut = join(dir, "view.md");
      const v = await bulk(sb, ["plan", m, "--format", "markdown", "--out", mdOut, "--rate", "1000"]);
      expect(v.code, v.stderr).toBe(0);
      expect(withoutTimes(readFileSync(mdOut, "utf8"))).toBe(withoutTimes(markdown));
      const same = await bulk(sb, ["plan", m, "--out", json, "--html", json]);
      expect(same.code).toBe(2);
      expect(same.stderr).toMatch(/different files/);

      const applied = join(dir, "applied.html");
      const a = await bulk(sb, [
        "apply",
        "--plan",
        json,
        "--yes",
        "--force",
        "--run-dir",
        join(dir, "run"),
        "--html",
        applied,
      ]);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stderr).toContain(`HTML outcome: ${applied}`);

      const { page, errors } = await open(browser, applied);
      await expect(page.locator("h1").innerText()).resolves.toBe("regdom apply");
      await expect(page.locator("#outcome").innerText()).resolves.toMatch(/3\s*ok/);
      await expect(page.locator("details.domain[data-outcome=ok]").count()).resolves.toBe(3);
      const pres = page.locator("details.domain pre");
      const visible = async () =>
        (await Promise.all((await pres.all()).map((p) => p.isVisible()))).filter(Boolean).length;
      await expect(visible()).resolves.toBe(0);
      await page.click("#expand-all");
      await expect(visible()).resolves.toBe(3);
      await page.click("#collapse-all");
      await expect(visible()).resolves.toBe(0);
      // Printed (or saved as PDF), the page drops its controls.
      await page.emulateMedia({ media: "print" });
      await expect(page.locator(".controls").isVisible()).resolves.toBe(false);
      await page.emulateMedia({ media: "screen" });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(dir, "applied-phone.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await sb.close();
    }
  });

  it("regdom-export --report alone: reads status itself, every domain in a sortable, filterable table; buckets in order", async () => {
    const sb = await sandbox({ seed: 20 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      sb.state.get(names[0]!)!.expiryDate = inDays(20);
      sb.state.get(names[1]!)!.expiryDate = inDays(75);
      names.slice(2).forEach((n, i) => {
        sb.state.get(n)!.expiryDate = inDays(200 + 30 * i);
      });
      const report = join(dir, "report.html");
      const r = await exporter(sb, [...names, "--report", report, "--rate", "1000"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/--report reads each domain's status and expiry \(one Sync per domain\)/);
      expect(readdirSync(dir)).toEqual(["report.html"]);
      expect(sb.requests.filter((x) => x.action === "sync")).toHaveLength(names.length);

      const { page, errors } = await open(browser, report);
      const rows = page.locator("#all-domains tbody tr:not(.hidden)");
      await expect(rows.count()).resolves.toBe(names.length);
      // Filtered by a name, then sorted by days left both ways.
      await page.fill("#domain-filter", names[0]!);
      await expect(page.locator("#domains-shown").innerText()).resolves.toBe("1");
      await page.fill("#domain-filter", "");
      await page.locator("#all-domains th", { hasText: "days left" }).click();
      const daysLeft = async () => Number(await rows.first().locator("td").nth(2).innerText());
      await expect(daysLeft()).resolves.toBeLessThanOrEqual(20);
      await page.locator("#all-domains th", { hasText: "days left" }).click();
      await expect(daysLeft()).resolves.toBeGreaterThan(75);
      // What expires within 90 days: one table with the days left; the counts above it.
      await expect(page.locator("#within-30").innerText()).resolves.toBe("1");
      await expect(page.locator("#within-90").innerText()).resolves.toBe("2");
      await expect(page.locator("#expiring tr").count()).resolves.toBe(3);
      await expect(page.locator("#expiring").innerText()).resolves.toMatch(/days left/);
      // Month labels that cannot read as day-month; buckets in their natural order.
      const labels = await page.locator("#timeline text[y='148']").allTextContents();
      expect(labels).toHaveLength(24);
      for (const l of labels) expect(l).toMatch(/^\d{4}-\d\d$/);
      const order = ["empty", "1–5 records", "6–10 records", "11–20 records", "over 20 records"];
      const zones = (await page.locator("#zones tr td:first-child").allInnerTexts()).map((z) => order.indexOf(z));
      expect(zones).toEqual([...zones].sort((a, b) => a - b));
      const fw = (await page.locator("#forwardings tr td:first-child").allInnerTexts()).map(Number);
      expect(fw).toEqual([...fw].sort((a, b) => a - b));
      await page.screenshot({ path: join(dir, "report-desktop.png"), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(dir, "report-phone.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await sb.close();
    }
  });

  it("at 1,000 domains: the report and the plan, desktop and phone, with no console errors", async () => {
    const sb = await sandbox({ seed: 1000 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const list = join(dir, "domains.txt");
      writeFileSync(list, `${names.join("\n")}\n`);
      const fast = ["--rate", "5000", "--concurrency", "16"];
      const yaml = join(dir, "portfolio.yaml");
      const report = join(dir, "report.html");
      const e = await exporter(sb, ["--domains", list, "--out", yaml, "--report", report, ...fast]);
      expect(e.code, e.stderr).toBe(0);
      // A change on every tenth domain: its lock flipped.
      const m = join(dir, "changes.yaml");
      writeFileSync(
        m,
        `version: 1\ndomains:\n${names
          .filter((_, i) => i % 10 === 0)
          .map((n) => `  ${n}:\n    lock: ${!sb.state.get(n)!.locked}\n`)
          .join("")}`,
      );
      const plan = join(dir, "plan.html");
      const p = await bulk(sb, ["plan", m, "--html", plan, ...fast]);
      expect(p.code, p.stderr).toBe(0);
      const shots = process.env.REGDOM_SCREENSHOTS_DIR ?? dir;
      for (const [file, name, rows] of [
        [report, "report", "#all-domains tbody tr"],
        [plan, "plan", "details.domain"],
      ] as const) {
        const { page, errors } = await open(browser, file);
        await expect(page.locator(rows).count()).resolves.toBe(name === "report" ? 1000 : 100);
        await page.setViewportSize({ width: 1280, height: 1600 });
        await page.screenshot({ path: join(shots, `${name}-1000-desktop.png`) });
        await page.setViewportSize({ width: 390, height: 1400 });
        await page.screenshot({ path: join(shots, `${name}-1000-phone.png`) });
        // At a phone's width nothing but wide tables scrolls sideways.
        await expect(page.evaluate("document.body.scrollWidth <= window.innerWidth + 1")).resolves.toBe(true);
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      await sb.close();
    }
  });

  it("regdom-export --report: expiry timeline and lists, nameserver sets, locks, failures; from the export's reads only", async () => {
    const sb = await sandbox({ seed: 12 });
    try {
      const dir = await tempDir();
      const names = [...sb.state.domains.keys()];
      const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
      sb.state.get(names[0]!)!.expiryDate = soon;
      sb.state.get(names[1]!)!.dns.push({ hostname: "x", type: "TXT", address: EVIL, priority: null });
      const report = join(dir, "report.html");
      const exportOnly = await exporter(sb, [
        ...names,
        "--out",
        join(dir, "a.yaml"),
        "--with-status",
        "--rate",
        "1000",
      ]);
      expect(exportOnly.code).toBe(0);
      const before = sb.requests.length;
      const r = await exporter(sb, [
        ...names,
        "saknas.se",
        "--out",
        join(dir, "p.yaml"),
        "--with-status",
        "--report",
        report,
        "--rate",
        "1000",
      ]);
      expect(r.code).toBe(1);
      // The report sent nothing of its own: the same requests as the export without it, plus the failed domain's.
      const sent = sb.requests.length - before;
      expect(sent).toBe(before + sb.requests.slice(before).filter((x) => x.domain === "saknas.se").length);

      const { page, errors } = await open(browser, report);
      await expect(page.locator("#domain-count").innerText()).resolves.toBe(String(names.length));
      await expect(page.locator("#failed-count").innerText()).resolves.toBe("1");
      await expect(page.locator("#failed").innerText()).resolves.toMatch(/saknas\.se/);
      await expect(page.locator("#within-30").innerText()).resolves.toBe("1");
      await expect(page.locator("#timeline rect.bar").count()).resolves.toBe(24);
      const sets = await page.locator("#nameserver-sets").innerText();
      const total = [...sets.matchAll(/\t(\d+)$/gm)].reduce((n, x) => n + Number(x[1]), 0);
      expect(total).toBe(names.length);
      await expect(page.locator("#locks").innerText()).resolves.toMatch(/locked|unlocked/);
      await expect(
        page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
      ).resolves.toBeUndefined();
      await page.screenshot({ path: join(dir, "report.png"), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await sb.close();
    }
  });
});
