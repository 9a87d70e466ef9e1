/**
 * The account's money as a registrar keeps it: a balance that purchases draw down, and a price
 * list per TLD, operation and number of years. Amounts in hundredths, written as "150.50".
 */

export type PricedOperation = "register" | "renew" | "transfer";
/** As GetPricing answers: TLD → operation → years → "99.00". */
export type SandboxPrices = Record<string, Partial<Record<PricedOperation, Record<string, string>>>>;

export function parseCents(s: string, what: string): number {
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m) throw new Error(`${what} must be an amount like 150.50, got "${s}"`);
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export function formatCents(c: number): string {
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, "0")}`;
}

/** What the modules dialect sells when no price list is given: a yearly price times the years. */
export function defaultPrices(): SandboxPrices {
  const yearly: Record<string, number> = { se: 9900, nu: 14900, eu: 7900, com: 12900 };
  const out: SandboxPrices = {};
  for (const [tld, cents] of Object.entries(yearly)) {
    const byYears = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [String(i + 1), formatCents(cents * (i + 1))]),
    );
    out[tld] = { register: byYears, renew: byYears, transfer: byYears };
  }
  return out;
}

/** Reads a price list file's JSON (GetPricing's `pricing` object, or the whole answer). */
export function readPrices(raw: unknown, file: string): SandboxPrices {
  const root = raw && typeof raw === "object" && "pricing" in raw ? (raw as { pricing: unknown }).pricing : raw;
  if (!root || typeof root !== "object" || Array.isArray(root)) throw new Error(`${file}: not a price list object`);
  const out: SandboxPrices = {};
  for (const [tld, ops] of Object.entries(root as Record<string, unknown>)) {
    if (!ops || typeof ops !== "object") throw new Error(`${file}: .${tld} is not an object`);
    out[tld.toLowerCase()] = {};
    for (const [op, byYears] of Object.entries(ops as Record<string, unknown>)) {
      if (op !== "register" && op !== "renew" && op !== "transfer")
        throw new Error(`${file}: .${tld}: unknown "${op}"`);
      if (!byYears || typeof byYears !== "object") throw new Error(`${file}: .${tld} ${op} is not an object`);
      const prices: Record<string, string> = {};
      for (const [y, v] of Object.entries(byYears as Record<string, unknown>)) {
        parseCents(String(v), `${file}: .${tld} ${op} ${y}`);
        prices[y] = String(v);
      }
      out[tld.toLowerCase()]![op] = prices;
    }
  }
  return out;
}

/** The balance and the prices; without a balance, purchases are not charged. */
export class Account {
  constructor(
    public balance: number | undefined,
    readonly prices: SandboxPrices,
  ) {}

  /**
   * Checks that a purchase can be paid and returns what pays it (called once the purchase is done),
   * or throws the registrar's words when it cannot.
   */
  charge(tld: string, op: PricedOperation, years: number): () => void {
    if (this.balance === undefined) return () => {};
    const price = this.prices[tld]?.[op]?.[String(years)];
    if (price === undefined) throw new Error(`No price for .${tld} ${op} for ${years} year(s)`);
    const cents = parseCents(price, "price");
    if (cents > this.balance)
      throw new Error(
        `Insufficient funds: the order costs ${formatCents(cents)} and the account balance is ${formatCents(this.balance)}`,
      );
    return () => {
      this.balance = (this.balance ?? 0) - cents;
    };
  }
}
