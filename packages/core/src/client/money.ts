/**
 * Money as the registrar writes it ("150.50"), held as whole ten-thousandths so that sums and
 * comparisons are exact. Beyond the reference: the shapes are those the public client modules read
 * (CreditAmount, GetPricing), provisional until `doctor` confirms them against the live registrar.
 */

/** Ten-thousandths of the account's currency. */
export type Amount = number;
export const AMOUNT_SCALE = 10_000;

/** "150.50", "99", 99 → ten-thousandths; undefined for anything else (never a default). */
export function parseAmount(v: unknown): Amount | undefined {
  const s = typeof v === "number" && Number.isFinite(v) ? String(v) : typeof v === "string" ? v.trim() : undefined;
  const m = s === undefined ? null : /^(-?)(\d{1,12})(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) return undefined;
  const units = Number(m[2]) * AMOUNT_SCALE + Number((m[3] ?? "").padEnd(4, "0"));
  return m[1] ? -units : units;
}

/** Two decimals, or as many as the amount needs (up to four). */
export function formatAmount(a: Amount): string {
  const sign = a < 0 ? "-" : "";
  const abs = Math.abs(a);
  let frac = String(abs % AMOUNT_SCALE).padStart(4, "0");
  while (frac.length > 2 && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${sign}${Math.floor(abs / AMOUNT_SCALE)}.${frac}`;
}

/** Operations priced per number of years. */
export type PricedOperation = "register" | "renew" | "transfer";
export const PRICED_OPERATIONS: readonly PricedOperation[] = ["register", "renew", "transfer"];

/** Per TLD (ACE, lower case), per operation, per number of years: the price. */
export type PriceList = Record<string, Partial<Record<PricedOperation, Record<number, Amount>>>>;

/** The account balance (CreditAmount). */
export interface Balance {
  amount: Amount;
}

/** The price of an operation on a TLD for a number of years, if the list has one. */
export function priceOf(list: PriceList, tld: string, op: PricedOperation, years: number): Amount | undefined {
  return list[tld.toLowerCase()]?.[op]?.[years];
}
