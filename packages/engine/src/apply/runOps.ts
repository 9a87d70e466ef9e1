/**
 * `regdom-bulk run`: one API action per row, for what no manifest covers (child nameservers, EPP
 * codes, release). Journaled by row id, so a rerun into the same run folder skips finished rows;
 * a money row whose outcome is unknown is reconciled by reading state, never sent again.
 */

import { ApiError, domainParams, OutcomeUnknownError, SafetyError } from "@regdom/core";
import pLimit from "p-limit";
import type { Registrar } from "../registrar.js";
import type { Journal, JournalEntry } from "./journal.js";
import { type Operation, renderOperation, shownParams } from "./opsFile.js";

/** What a rerun does with each row, from the journal of the earlier attempts. */
export interface OpsSchedule {
  /** Rows to send. */
  send: Operation[];
  /** Rows an earlier attempt finished: skipped. */
  done: Operation[];
  /** Money rows begun but never answered: read state to learn whether they happened; never resent. */
  reconcile: { op: Operation; intent: JournalEntry }[];
}

/** Splits the rows by what the journal says of them. `again` repeats finished rows (never an unknown purchase). */
export function scheduleOperations(ops: Operation[], previous: JournalEntry[], again = false): OpsSchedule {
  const last = new Map<string, JournalEntry>();
  const intent = new Map<string, JournalEntry>();
  for (const e of previous) {
    last.set(e.section, e);
    if (e.phase === "intent") intent.set(e.section, e);
  }
  const out: OpsSchedule = { send: [], done: [], reconcile: [] };
  const unknown: Operation[] = [];
  for (const op of ops) {
    const e = last.get(op.id);
    const open = e && (e.phase === "intent" || e.phase === "unknown");
    if (op.kind === "money" && open) {
      if (again) unknown.push(op);
      else out.reconcile.push({ op, intent: intent.get(op.id)! });
    } else if (e?.phase === "ok" && !again) out.done.push(op);
    else out.send.push(op);
  }
  if (unknown.length)
    throw new SafetyError(
      `refused, nothing was sent: the outcome of ${unknown.map((o) => `${o.action} ${o.domain} (line ${o.line})`).join(", ")} ` +
        "is still unknown from an earlier run; run without --again first, which reconciles it by reading state",
    );
  return out;
}

export interface OpsGuards {
  allowPurchases: boolean;
  allowDelete: boolean;
}

/** The rows to send, as `run` shows them before it asks; then what it skips. */
export function renderOpsPreview(s: OpsSchedule, file: string): string {
  const lines = [`${file}: ${s.send.length} row(s) to send`];
  for (const o of s.send) lines.push(`  ${renderOperation(o)}`);
  for (const { op } of s.reconcile)
    lines.push(`  ${renderOperation(op)}: outcome unknown earlier; reconciled by reading state, not resent`);
  if (s.done.length) lines.push(`  ${s.done.length} row(s) finished by an earlier run: skipped`);
  return `${lines.join("\n")}\n`;
}

/** Money needs --allow-purchases and deletes --allow-delete: refused before anything is sent. */
export function checkOpsGuards(s: OpsSchedule, g: OpsGuards): void {
  const list = (ops: Operation[]) =>
    ops
      .slice(0, 5)
      .map((o) => `${o.action} line ${o.line}`)
      .join(", ") + (ops.length > 5 ? ", …" : "");
  const money = s.send.filter((o) => o.kind === "money");
  if (money.length && !g.allowPurchases)
    throw new SafetyError(
      `refused, nothing was sent: ${money.length} money action(s) (${list(money)}) need --allow-purchases`,
    );
  const deletes = s.send.filter((o) => o.kind === "delete");
  if (deletes.length && !g.allowDelete)
    throw new SafetyError(
      `refused, nothing was sent: ${deletes.length} destructive action(s) (${list(deletes)}) need --allow-delete`,
    );
}

export interface RunOpsReport {
  version: 1;
  done: number;
  skipped: number;
  reconciled: number;
  /** Rows not started because the run was interrupted. */
  notStarted: number;
  interrupted: boolean;
  failed: { id: string; action: string; message: string }[];
  unknown: { id: string; action: string }[];
  answers: { id: string; action: string; answer: Record<string, unknown> }[];
}

export interface RunOpsOptions {
  signal?: AbortSignal;
  /** Rows in flight at once (the client's concurrency): a row's intent is journaled when it takes a slot. */
  concurrency?: number;
}

/** What a money action changes, read with Sync: whether the domain is in the account, and its expiry. */
interface DomainState {
  exists: boolean;
  expiry?: string;
}

async function stateOf(client: Registrar, domain: string): Promise<DomainState> {
  try {
    const s = await client.sync(domain);
    return { exists: true, ...(s.expiryDate ? { expiry: s.expiryDate } : {}) };
  } catch (e) {
    if (e instanceof ApiError && e.isNotFound) return { exists: false };
    throw e;
  }
}

function isDomainState(v: unknown): v is DomainState {
  return Boolean(v) && typeof v === "object" && typeof (v as DomainState).exists === "boolean";
}

/** Did a money action happen, by the state before it and now? undefined: cannot tell. */
function happened(action: string, before: DomainState, now: DomainState): boolean | undefined {
  if (action === "RenewDomain") {
    if (!before.expiry || !now.expiry) return undefined;
    return now.expiry > before.expiry ? true : now.expiry === before.expiry ? false : undefined;
  }
  // Register and transfer: the domain was not in the account before.
  if (before.exists) return undefined;
  return now.exists;
}

export async function runOperations(
  client: Registrar,
  schedule: OpsSchedule,
  journal: Journal,
  opts: RunOpsOptions = {},
): Promise<RunOpsReport> {
  const report: RunOpsReport = {
    version: 1,
    done: 0,
    skipped: schedule.done.length,
    reconciled: 0,
    notStarted: 0,
    interrupted: false,
    failed: [],
    unknown: [],
    answers: [],
  };
  const base = (o: Operation) => ({ domain: o.domain, section: o.id, action: o.action });

  /**
   * After an unknown outcome: read state and journal what it shows. Never resends. Right after a
   * lost answer the registrar may still be at work, so "not (yet) happened" stays unknown then;
   * on a later run it is final, and the row is sent by the run after that.
   */
  const settle = async (o: Operation, before: unknown, error: string, later: boolean): Promise<void> => {
    let verdict: boolean | undefined;
    if (isDomainState(before)) {
      const now = await stateOf(client, o.domain).catch(() => undefined);
      if (now) verdict = happened(o.action, before, now);
    }
    if (verdict === true) {
      journal.append({
        ...base(o),
        phase: "ok",
        note: "outcome was unknown; state read afterwards shows it happened (not resent)",
      });
      report.reconciled++;
    } else if (verdict === false && later) {
      const message = `${error} — state shows it did not happen; not resent (run the file again to send it)`;
      journal.append({ ...base(o), phase: "failed", error: message });
      report.failed.push({ id: o.id, action: o.action, message });
    } else {
      journal.append({
        ...base(o),
        phase: "unknown",
        error,
        note: "state does not tell; check by hand, it is not resent",
      });
      report.unknown.push({ id: o.id, action: o.action });
    }
  };

  for (const { op, intent } of schedule.reconcile)
    await settle(op, intent.before, "outcome unknown in an earlier run", true);

  const slots = pLimit(Math.max(1, opts.concurrency ?? 4));
  await Promise.all(
    schedule.send.map((o) =>
      slots(async () => {
        if (opts.signal?.aborted) {
          report.notStarted++;
          return;
        }
        let before: DomainState | undefined;
        if (o.kind === "money")
          try {
            // The state a purchase is judged by, should its answer be lost.
            before = await stateOf(client, o.domain);
          } catch (e) {
            const message = `state could not be read before a money action, so it was not sent: ${e instanceof Error ? e.message : String(e)}`;
            report.failed.push({ id: o.id, action: o.action, message });
            return;
          }
        const { sld, tld } = domainParams(o.domain);
        const params = { ...o.params, sld, tld, ...(o.action === "TransferSync" ? { domain: o.domain } : {}) };
        journal.append(
          { ...base(o), phase: "intent", after: shownParams(o.params), ...(before ? { before } : {}) },
          o.kind === "money",
        );
        try {
          const answer = await client.call(o.action, params, o.domain);
          journal.append({ ...base(o), phase: "ok" });
          report.done++;
          const { result: _r, ...rest } = answer;
          if (Object.keys(rest).length) report.answers.push({ id: o.id, action: o.action, answer: rest });
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (e instanceof OutcomeUnknownError) await settle(o, before, message, false);
          else {
            journal.append({ ...base(o), phase: "failed", error: message });
            report.failed.push({ id: o.id, action: o.action, message });
          }
        }
      }),
    ),
  );
  report.interrupted = Boolean(opts.signal?.aborted);
  return report;
}
