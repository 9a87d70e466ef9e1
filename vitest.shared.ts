import { defineConfig } from "vitest/config";

/**
 * One test setup for every package: units beside the code, e2e in e2e/, real processes (forks).
 * Timeouts are far above what any test takes on an idle machine: they catch hangs, not slowness.
 * A test that needs less time on a faster machine to pass is a benchmark, not a test.
 */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});

/**
 * The apps' end-to-end tests start the built CLIs many times per test: under a loaded machine
 * (CI runs the suite under scripts/under-load.sh) each start takes several times as long.
 */
export const e2eConfig = defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
