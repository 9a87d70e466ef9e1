/** How a plan's lines are coloured (the terminal's ANSI, or nothing), and the words they share. */
export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** "1 year", "2 years". */
export const yrs = (n: number) => `${n} year${n === 1 ? "" : "s"}`;
