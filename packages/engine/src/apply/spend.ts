/**
 * Money known before it is spent: just before the first purchase, the price list and the balance
 * are read again and the purchases are refused (nothing bought) when their total is over the
 * balance or over `--max-spend`.
 */
import { type Amount, formatAmount, parseAmount, SafetyError } from "@regdom/core";
import type { Plan, PlanMoney } from "../plan/model.js";
import { type MoneyItem, planMoney, priceMoney, totalOf } from "../plan/planMoney.js";
import type { Registrar } from "../registrar.js";
import type { Operation } from "./opsFile.js";

export interface SpendOptions {
  /** Refuse when the purchases cost more than this (and when their price is unknown). */
  maxSpend?: Amount;
}

/**
 * Reads prices and balance and refuses the purchases that cannot be paid or cost too much.
 * Answers what it read (undefined when the plan buys nothing: then nothing is read).
 * @throws SafetyError when the total is over the balance or over maxSpend, or maxSpend cannot be checked
 */
export async function checkSpend(client: Registrar, plan: Plan, o: SpendOptions = {}): Promise<PlanMoney | undefined> {
  return judge(await planMoney(client, plan.domains), o);
}

/** What a `run` row buys, by its action; undefined for a row that buys nothing. */
const BOUGHT: Readonly<Record<string, MoneyItem["section"]>> = {
  RegisterDomain: "register",
  TransferDomain: "transfer",
  RenewDomain: "renew",
};

/**
 * `run`'s money rows counted as apply counts a plan's: the rows it will send that buy something,
 * priced for their `regperiod` (a row the file checks gives 1 to 10), against the balance and maxSpend.
 * @throws SafetyError as checkSpend
 */
export async function checkOpsSpend(
  client: Registrar,
  send: readonly Operation[],
  o: SpendOptions = {},
): Promise<PlanMoney | undefined> {
  const items = send.flatMap((op): MoneyItem[] => {
    const section = BOUGHT[op.action];
    return section ? [{ domain: op.domain, section, years: Number(op.params.regperiod ?? 1) }] : [];
  });
  return judge(await priceMoney(client, items), o);
}

function judge(m: PlanMoney | undefined, o: SpendOptions): PlanMoney | undefined {
  if (!m) return undefined;
  const total = totalOf(m);
  const refusals: string[] = [];
  if (o.maxSpend !== undefined) {
    if (m.unknown > 0)
      refusals.push(
        `--max-spend cannot be checked: the price of ${m.unknown} money operation(s) is unknown${m.pricing ? "" : " (the registrar offers no GetPricing)"}`,
      );
    else if (total > o.maxSpend)
      refusals.push(`the purchases cost ${m.total} in total, over --max-spend ${formatAmount(o.maxSpend)}`);
  }
  if (m.balance !== null && total > (parseAmount(m.balance) ?? 0))
    refusals.push(`the purchases cost ${m.total} in total, over the account balance ${m.balance}`);
  if (refusals.length) throw new SafetyError(`refused, nothing was bought:\n  ${refusals.join("\n  ")}`);
  return m;
}
