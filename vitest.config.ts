import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Several suites start real child processes and HTTP servers on loopback.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
