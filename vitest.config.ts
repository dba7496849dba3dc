import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: more workers only contend.
    maxWorkers: 2,
    // Fails the run when any test log line or group reply holds a phone number.
    globalSetup: ["test/global-teardown.ts"],
  },
});
