import { RegdomError } from "@regdom/core";

/** A safety rule refused the run (threshold, stale plan, purchase or deletion not allowed, a lock held). */
export class SafetyError extends RegdomError {
  readonly fault = "safety";
  constructor(message: string) {
    super(message);
    this.name = "SafetyError";
  }
}
