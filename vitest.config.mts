import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["tests/**/*.test.ts"],
        exclude: ["**/node_modules/**", "tests/.work/**"],
        testTimeout: 120_000,
        hookTimeout: 120_000,
        pool: "forks",
    },
});
