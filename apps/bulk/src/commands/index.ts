/** Every command of regdom-bulk, registered in one place. */
import { validateCommand } from "./validate.js";

export const COMMANDS = [validateCommand];
