/** Every command of regdom-bulk, registered in one place. */
import type { AnyCommand } from "@regdom/cli";
import { applyCommand } from "./apply.js";
import { checkCommand } from "./check.js";
import { doctorCommand } from "./doctor.js";
import { expiringCommand } from "./expiring.js";
import { planCommand } from "./plan.js";
import { rollbackCommand } from "./rollback.js";
import { runCommand } from "./run.js";
import { transfersCommand } from "./transfers.js";
import { validateCommand } from "./validate.js";

export const COMMANDS: AnyCommand[] = [
  validateCommand,
  planCommand,
  applyCommand,
  rollbackCommand,
  checkCommand,
  runCommand,
  transfersCommand,
  expiringCommand,
  doctorCommand,
];
