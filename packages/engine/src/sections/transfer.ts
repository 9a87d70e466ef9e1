import { purchaseOptions } from "./purchase.js";
import type { SectionModule } from "./section.js";

export const transfer: SectionModule<"transfer"> = {
  name: "transfer",
  action: "TransferDomain",
  money: true,
  destructive: false,
  writeOnly: false,
  write: (client, d, c) =>
    client.transferDomain(d.name, {
      ...purchaseOptions(d, c),
      ...(c.authcode !== undefined ? { authcode: c.authcode } : {}),
    }),
  journalBefore: () => undefined,
  journalAfter: (c) => ({ years: c.years, owner: c.owner }),
  rollback: { irreversible: "a transfer is a purchase" },
};
