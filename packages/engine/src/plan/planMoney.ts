/**
 * Prices the money lines of a plan from the registrar's price list and reads the balance: both
 * beyond the reference, so an endpoint that offers neither gives "price unknown", never a guess.
 */
import { type Amount, domainParams, formatAmount, type PriceList, parseAmount, priceOf } from "@regdom/core";
import type { Registrar } from "../registrar.js";
import { type DomainPlan, isMoney, type MoneyChange, type PlanMoney } from "./model.js";

/** The money lines of these domains priced, with the balance; undefined when there are none (no request). */
export async function planMoney(client: Registrar, domains: DomainPlan[]): Promise<PlanMoney | undefined> {
  return priceMoney(
    client,
    domains.flatMap((d) =>
      d.action === "error"
        ? []
        : d.changes.filter(isMoney).map((c) => ({ domain: d.name, section: c.section, years: c.years })),
    ),
  );
}

/** A purchase to price: the domain (ACE), what is bought and for how many years. */
export interface MoneyItem {
  domain: string;
  section: MoneyChange["section"];
  years: number;
}

/** These purchases priced, with the balance; undefined when there are none (then nothing is read). */
export async function priceMoney(client: Registrar, items: MoneyItem[]): Promise<PlanMoney | undefined> {
  if (items.length === 0) return undefined;
  const [pricing, balance] = await Promise.all([client.getPricing(), client.creditAmount()]);
  return priced(items, pricing, balance?.amount ?? null);
}

function priced(items: MoneyItem[], pricing: PriceList | null, balance: Amount | null): PlanMoney {
  let total = 0;
  let unknown = 0;
  const lines = items.map(({ domain, section, years }) => {
    const price = pricing ? priceOf(pricing, domainParams(domain).tld, section, years) : undefined;
    if (price === undefined) unknown++;
    else total += price;
    return { domain, section, years, price: price === undefined ? null : formatAmount(price) };
  });
  return {
    pricing: pricing !== null,
    lines,
    total: formatAmount(total),
    unknown,
    balance: balance === null ? null : formatAmount(balance),
    ...(balance !== null && unknown === 0 ? { balanceAfter: formatAmount(balance - total) } : {}),
  };
}

/** A plan's total as an amount (the sum of its known prices). */
export function totalOf(m: PlanMoney): Amount {
  return parseAmount(m.total) ?? 0;
}

/** One line for people: the total and the balance after, or why they are unknown. */
export function moneySummary(m: PlanMoney): string {
  const balance =
    m.balance === null
      ? "balance unknown (the registrar offers no CreditAmount)"
      : m.balanceAfter !== undefined
        ? `balance ${m.balance}, after ${m.balanceAfter}${totalOf(m) > (parseAmount(m.balance) ?? 0) ? " (over the balance)" : ""}`
        : `balance ${m.balance}`;
  if (!m.pricing) return `Money: price unknown (the registrar offers no GetPricing); ${balance}.`;
  return `Money: ${m.total} in total${m.unknown ? ` and ${m.unknown} line(s) of unknown price` : ""}; ${balance}.`;
}

/** The price shown on a money change's line: "99.00", "price unknown", or undefined (no pricing read). */
export function linePrice(m: PlanMoney | undefined, domain: string, section: string): string | undefined {
  if (!m) return undefined;
  const line = m.lines.find((l) => l.domain === domain && l.section === section);
  return line ? (line.price ?? "price unknown") : undefined;
}
