/**
 * `regdom-bulk run`: one API action per CSV row, for what no manifest covers (child nameservers,
 * EPP codes, release). Journaled by row id, so a rerun into the same run folder skips done rows
 * and never resends a money action whose outcome was unknown.
 */

import { createHash } from "node:crypto";
import { ACTIONS, canonicalAction, domainParams, OutcomeUnknownError, UserError } from "@regdom/core";
import { decodeSpreadsheetBytes, Problems, sniffDelimiter, unneutralize } from "@regdom/manifest";
import { parse } from "csv-parse/sync";
import { SafetyError } from "../errors.js";
import type { Registrar } from "../registrar.js";
import type { Journal, JournalEntry } from "./journal.js";

export interface Operation {
  id: string;
  line: number;
  action: string;
  domain?: string;
  params: Record<string, string>;
}

export function readOperations(bytes: Uint8Array, file: string): Operation[] {
  const p = new Problems();
  const text = decodeSpreadsheetBytes(bytes, file, p);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as string[][];
  } catch (e) {
    throw new UserError(`${file}: not valid CSV: ${e instanceof Error ? e.message : String(e)}`);
  }
  const header = (records[0] ?? []).map((h) => h.trim());
  const actionCol = header.findIndex((h) => h.toLowerCase() === "action");
  if (actionCol < 0)
    p.error({ file, line: 1 }, 'the header needs an "action" column; the other columns are the action\'s parameters');
  const ops: Operation[] = [];
  records.slice(1).forEach((row, i) => {
    const line = i + 2;
    const params: Record<string, string> = {};
    let id = "";
    let domain: string | undefined;
    header.forEach((h, c) => {
      const v = unneutralize((row[c] ?? "").trim());
      if (c === actionCol || v === "") return;
      if (h.toLowerCase() === "id") id = v;
      else if (h.toLowerCase() === "domain") domain = v;
      else params[h] = v;
    });
    const raw = (row[actionCol] ?? "").trim();
    const action = canonicalAction(raw);
    if (!action) {
      p.error(
        { file, line, column: actionCol + 1 },
        `unknown action "${raw}"; valid: ${Object.keys(ACTIONS).join(", ")}`,
      );
      return;
    }
    if (domain) {
      try {
        const { sld, tld } = domainParams(domain);
        params.sld = sld;
        params.tld = tld;
      } catch {
        p.error({ file, line }, `"${domain}" is not a domain name`);
        return;
      }
    }
    if (!id)
      id = `line${line}-${createHash("sha256")
        .update(JSON.stringify([action, domain, params]))
        .digest("hex")
        .slice(0, 10)}`;
    ops.push({ id, line, action, ...(domain ? { domain } : {}), params });
  });
  const ids = new Set<string>();
  for (const o of ops) {
    if (ids.has(o.id)) p.error({ file, line: o.line }, `id "${o.id}" is used twice`);
    ids.add(o.id);
  }
  p.throwIfAny();
  return ops;
}

export interface RunOpsReport {
  version: 1;
  done: number;
  skipped: number;
  failed: { id: string; action: string; message: string }[];
  unknown: { id: string; action: string }[];
  answers: { id: string; action: string; answer: Record<string, unknown> }[];
}

export async function runOperations(
  client: Registrar,
  ops: Operation[],
  journal: Journal,
  previous: JournalEntry[],
  allowPurchases: boolean,
): Promise<RunOpsReport> {
  const money = ops.filter((o) => ACTIONS[o.action] === "money");
  if (money.length && !allowPurchases)
    throw new SafetyError(
      `refused, nothing was sent: ${money.length} money action(s) (${money
        .map((o) => `${o.action} line ${o.line}`)
        .slice(0, 5)
        .join(", ")}) need --allow-purchases`,
    );
  const settled = new Map<string, string>();
  for (const e of previous) if (e.phase !== "intent") settled.set(e.section, e.phase);
  const intents = new Set(previous.filter((e) => e.phase === "intent").map((e) => e.section));
  const report: RunOpsReport = { version: 1, done: 0, skipped: 0, failed: [], unknown: [], answers: [] };
  await Promise.all(
    ops.map(async (o) => {
      const prior = settled.get(o.id);
      const isMoney = ACTIONS[o.action] === "money";
      // Done rows are skipped; a money row begun but never settled is not resent blindly.
      if (prior === "ok" || ((prior === "unknown" || (intents.has(o.id) && !prior)) && isMoney)) {
        report.skipped++;
        if (prior !== "ok") report.unknown.push({ id: o.id, action: o.action });
        return;
      }
      const base = { domain: o.domain ?? "", section: o.id, action: o.action };
      journal.append({ ...base, phase: "intent", after: o.params }, isMoney);
      try {
        const answer = await client.call(o.action, o.params, o.domain);
        journal.append({ ...base, phase: "ok" });
        report.done++;
        const { result: _r, ...rest } = answer;
        if (Object.keys(rest).length) report.answers.push({ id: o.id, action: o.action, answer: rest });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const phase = e instanceof OutcomeUnknownError ? "unknown" : "failed";
        journal.append({ ...base, phase, error: message });
        if (phase === "unknown") report.unknown.push({ id: o.id, action: o.action });
        else report.failed.push({ id: o.id, action: o.action, message });
      }
    }),
  );
  return report;
}
