/**
 * Runs real PHP for interop tests. Without php the tests skip, unless REQUIRE_PHP=1 (CI), where a
 * missing php is a failure.
 */
import { execFileSync, spawnSync } from "node:child_process";

export const phpAvailable: boolean = (() => {
  try {
    execFileSync("php", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

export const phpRequired = process.env.REQUIRE_PHP === "1";

/** Runs `php -r code` with stdin; returns stdout. A missing php is named as such. */
export function runPhp(code: string, stdin: string): string {
  const r = spawnSync("php", ["-d", "display_errors=stderr", "-r", code], { input: stdin, encoding: "utf8" });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      missing
        ? `php is not installed (apt-get install php-cli)${phpRequired ? ", and REQUIRE_PHP=1" : ""}`
        : `php could not be run: ${r.error.message}`,
    );
  }
  if (r.status !== 0)
    throw new Error(`php failed (${r.signal ? `killed by ${r.signal}` : `exit ${r.status}`}): ${r.stderr}`);
  return r.stdout;
}
