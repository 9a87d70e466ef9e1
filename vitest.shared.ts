import { defineConfig } from "vitest/config";

/** One test setup for every package: units beside the code, e2e in e2e/, real processes (forks). */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
