/** The version a program shows: read from its own package.json, so it is written in one place. */
import { readFileSync } from "node:fs";

export function versionOf(packageJsonUrl: URL): string {
  try {
    const v = (JSON.parse(readFileSync(packageJsonUrl, "utf8")) as { version?: unknown }).version;
    return typeof v === "string" ? v : "0.0.0";
  } catch {
    return "0.0.0";
  }
}
