/** Options more than one command declares, declared once. */
import { flag } from "@regdom/cli/program";
import { parseAmount, UserError } from "@regdom/core";

export const SKIP_UNSUPPORTED = flag(
  "--skip-unsupported",
  "zone files: skip records of types the registrar does not offer (each is listed) instead of refusing them",
);

/** --max-spend AMOUNT: refuse purchases costing more in total, or of unknown price (apply and run). */
export const MAX_SPEND = {
  flags: "--max-spend <amount>",
  description: "refuse purchases costing more than this in total (and purchases of unknown price)",
  parse: (raw: string | boolean | undefined, name: string) => {
    if (typeof raw !== "string") return undefined;
    const a = parseAmount(raw);
    if (a === undefined || a < 0) throw new UserError(`${name} must be an amount like 250.00, got "${raw}"`);
    return a;
  },
};
