/**
 * Headless Chromium for the HTML tests, through playwright-core and the system's browser (no
 * download). Without chromium the tests skip, unless REQUIRE_BROWSER=1 (CI), where a missing
 * browser is a failure.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  (p): p is string => Boolean(p),
);
export const chromiumPath = CANDIDATES.find((p) => existsSync(p));
export const browserRequired = process.env.REQUIRE_BROWSER === "1";

export async function launch(): Promise<Browser> {
  if (!chromiumPath) throw new Error("chromium is not installed (apt-get install chromium), and REQUIRE_BROWSER=1");
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
