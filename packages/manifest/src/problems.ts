/** Collects every input problem of a run, so one validation shows them all (capped in output). */
import { type InputProblem, UserError } from "@regdom/core/data";
import type { SourceRef } from "./model.js";
import { formatProblem } from "./place.js";

export class Problems {
  readonly errors: InputProblem[] = [];
  readonly warnings: InputProblem[] = [];

  error(ref: SourceRef, message: string): void {
    this.errors.push({ ...ref, message, severity: "error" });
  }
  warn(ref: SourceRef, message: string): void {
    this.warnings.push({ ...ref, message, severity: "warning" });
  }
  /** Problems a section's validator returned, each to its list by severity. */
  add(problems: readonly InputProblem[]): void {
    for (const x of problems) (x.severity === "warning" ? this.warnings : this.errors).push(x);
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }
  /** Throws a UserError listing the errors, when there are any. */
  throwIfAny(): void {
    if (this.ok) return;
    throw new UserError(summarizeProblems(this.errors), this.errors);
  }
}

export const MAX_SHOWN = 50;

export function summarizeProblems(problems: InputProblem[], max = MAX_SHOWN): string {
  const lines = problems.slice(0, max).map(formatProblem);
  if (problems.length > max) lines.push(`… and ${problems.length - max} more`);
  lines.push(`${problems.length} error${problems.length === 1 ? "" : "s"}; nothing was sent`);
  return lines.join("\n");
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function didYouMean(word: string, options: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  const hint =
    best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : "";
  return `${hint}; valid: ${options.join(", ")}`;
}
