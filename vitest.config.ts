import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One throwaway PostgreSQL server per run (or TEST_DATABASE_URL): the stores are tested on both.
    globalSetup: ["test/setup/postgres-server.ts"],
    // Several suites start real child processes and HTTP servers on loopback.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
