/**
 * Outside text (registrar values, their error messages) as people see it: data, never layout.
 * In a terminal a control character would move the cursor, clear the screen, set the window title
 * or start a line that looks like ours; in markdown a value would add headings, images or HTML.
 */

/** C0 and C1 controls, DEL, line and paragraph separators, and bidirectional overrides and marks. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Text with its control characters written as escapes (`\n`, `\x1b`, `\u202e`); the rest as it is. */
export function escapeControls(text: string): string {
  return text.replace(
    CONTROLS,
    (c) =>
      NAMED[c] ??
      (c.charCodeAt(0) <= 0xff
        ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  );
}

/** The longest run of backticks in a text. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/**
 * One line as a markdown code span inside a table cell: nothing in it is markdown or HTML, its
 * delimiter is longer than any backtick run inside, and `|` is escaped (GFM splits cells first).
 */
export function markdownCodeSpan(text: string): string {
  const ticks = "`".repeat(longestBacktickRun(text) + 1);
  return `${ticks} ${escapeControls(text).replace(/\|/g, "\\|")} ${ticks}`;
}

/** A code fence longer than any backtick run in its lines (at least three), so no line closes it. */
export function markdownFence(lines: string[]): string {
  return "`".repeat(Math.max(3, ...lines.map((l) => longestBacktickRun(l) + 1)));
}

/**
 * Inline text (a table cell) with what markdown or HTML would act on escaped, so it stays text:
 * emphasis, links and images, code, strikethrough, tags and entities, and the cell's `|`.
 */
export function markdownText(text: string): string {
  return escapeControls(text)
    .replace(/&/g, "&amp;")
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}
