import { describe, expect, it } from "vitest";
import { build, resolve, T } from "./fixtures";

describe("cache", () => {
    it("creates a serverless Valkey cache with limits, reachable only by services with useCache", async () => {
        const b = await build(
            {
                stage: "dev",
                cache: { maxDataStorageGb: 2, maxEcpuPerSecond: 10000 },
                services: [{ name: "api", public: true, useCache: true }, { name: "worker" }],
            },
            "unkey",
        );
        const cache = b.one(T.cache);
        expect(cache.inputs).toMatchObject({
            name: "unkey-dev",
            engine: "valkey",
            majorEngineVersion: "8",
            cacheUsageLimits: { dataStorage: { maximum: 2, unit: "GB" }, ecpuPerSeconds: [{ maximum: 10000 }] },
            securityGroupIds: ["unkey-cache-sg-id"],
            subnetIds: ["unkey-private-1-id", "unkey-private-2-id"],
            snapshotRetentionLimit: 0,
        });
        const ingress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "unkey-cache-sg-id");
        expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])).toEqual([["unkey-svc-api-sg-id", 6379, 6380]]);
        const api = JSON.parse(b.one(T.taskDefinition, "unkey-task-api").inputs.containerDefinitions)[0];
        expect(api.environment).toContainEqual({ name: "CACHE_ENDPOINT", value: "unkey-dev-x1y2z3.serverless.use1.cache.amazonaws.com:6379" });
        const worker = JSON.parse(b.one(T.taskDefinition, "unkey-task-worker").inputs.containerDefinitions)[0];
        expect(worker.environment.map((e: any) => e.name)).not.toContain("CACHE_ENDPOINT");
        expect(await resolve(b.platform.cacheEndpoint)).toBe("unkey-dev-x1y2z3.serverless.use1.cache.amazonaws.com:6379");
    });
});
