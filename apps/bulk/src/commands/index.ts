/** Every command of regdom-bulk, registered in one place; each module is loaded only when its command runs. */
import type { LazyCommand } from "@regdom/cli/program";
import { ABOUT } from "./about.js";

export const COMMANDS: LazyCommand[] = [
  { ...ABOUT.validate, load: async () => (await import("./validate.js")).validateCommand },
  { ...ABOUT.plan, load: async () => (await import("./plan.js")).planCommand },
  { ...ABOUT.apply, load: async () => (await import("./apply.js")).applyCommand },
  { ...ABOUT.rollback, load: async () => (await import("./rollback.js")).rollbackCommand },
  { ...ABOUT.check, load: async () => (await import("./check.js")).checkCommand },
  { ...ABOUT.run, load: async () => (await import("./run.js")).runCommand },
  { ...ABOUT.transfers, load: async () => (await import("./transfers.js")).transfersCommand },
  { ...ABOUT.expiring, load: async () => (await import("./expiring.js")).expiringCommand },
  { ...ABOUT.doctor, load: async () => (await import("./doctor.js")).doctorCommand },
];
