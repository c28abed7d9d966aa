/**
 * Shared database and cache for per-PR stages (issue 17, item 1), through the real engine and the OFFLINE STAND-IN. A
 * JavaScript stack creates the shared stores (VPC, PostgreSQL instance, Valkey cache) and one stage on them, passing
 * Outputs; a Python stack (through the plugin) is a second stage taking their ids and endpoints from config. Each stage
 * gets its own database name, role, login secret and key prefix, and no RDS instance or cache of its own; destroying
 * the Python stage removes its rules from the shared security groups and leaves the shared stores untouched.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { exportState, initFromConfigStack, linkPackage, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { resourcesOf, StateResource } from "./state";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 20 * 60_000;
const PROGRAMS = join("tests", "e2e", "programs");

function containers(resources: StateResource[]): any[] {
    const td = resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
    return JSON.parse(td.inputs!.containerDefinitions as string);
}

describe.skipIf(!ready)("stages share a database and a cache", () => {
    beforeAll(prepareExamples, PREPARE_TIMEOUT_MS);

    it("each stage gets its own database, role, secret and key prefix; destroying one leaves the shared stores untouched", () => {
        const shared = prepare({ dir: join(PROGRAMS, "shared-data-js"), language: "nodejs" });
        linkPackage(shared);
        const second = prepare({ dir: join(PROGRAMS, "shared-data-py"), language: "python" });
        const ws = new PulumiWorkspace("shared-data");
        try {
            ws.run(["stack", "init", ws.stack], shared);
            ws.run(["up", "--yes", "--skip-preview"], shared);
            const outputs = JSON.parse(ws.run(["stack", "output", "--json", "--show-secrets"], shared).stdout);

            ws.run(["stack", "init", ws.stack], second);
            for (const key of ["vpcId", "dbHost", "adminSecretArn", "dbSecurityGroupId", "cacheHost", "cacheSecurityGroupId"]) ws.run(["config", "set", "--plaintext", key, outputs[key]], second);
            for (const key of ["publicSubnetIds", "privateSubnetIds"]) ws.run(["config", "set", "--plaintext", key, JSON.stringify(outputs[key])], second);
            ws.run(["up", "--yes", "--skip-preview"], second);

            const sharedBefore = exportState(ws, shared);
            const instanceBefore = sharedBefore.find((r) => r.type === "aws:rds/instance:Instance")!;
            const stages = [
                { dir: shared, stage: "pr-1", resources: sharedBefore },
                { dir: second, stage: "pr-2", resources: exportState(ws, second) },
            ];
            const secretArns = new Set<string>();
            for (const { dir, stage, resources } of stages) {
                const component = resources.find((r) => r.type === "rampart:index:ServicePlatform")!;
                const children = resources.filter((r) => r.parent === component.urn);
                expect(children.filter((r) => ["aws:rds/instance:Instance", "aws:elasticache/serverlessCache:ServerlessCache", "aws:rds/subnetGroup:SubnetGroup"].includes(r.type)), `${stage} creates no store`).toEqual([]);
                const [api, init] = containers(children);
                expect(init.name).toBe("db-init");
                expect(init.essential).toBe(false);
                expect(api.dependsOn).toEqual([{ containerName: "db-init", condition: "SUCCESS" }]);
                const env = Object.fromEntries(api.environment.map((e: any) => [e.name, e.value]));
                const dbName = `web_${stage.replace("-", "_")}`;
                expect(env).toMatchObject({ DB_HOST: outputs.dbHost, DB_PORT: "5432", DB_NAME: dbName, CACHE_KEY_PREFIX: `web-${stage}:`, CACHE_ENDPOINT: `${outputs.cacheHost}:6379` });
                const secret = children.find((r) => r.type === "aws:secretsmanager/secret:Secret")!;
                const secretArn = secret.outputs!.arn as string;
                secretArns.add(secretArn);
                expect(env.DB_SECRET_ARN).toBe(secretArn);
                expect(Object.fromEntries(api.secrets.map((e: any) => [e.name, e.valueFrom]))).toEqual({ DB_USER: `${secretArn}:username::`, DB_PASSWORD: `${secretArn}:password::` });
                expect(Object.fromEntries(init.secrets.map((e: any) => [e.name, e.valueFrom]))).toEqual({
                    ADMIN_USER: `${outputs.adminSecretArn}:username::`,
                    ADMIN_PASSWORD: `${outputs.adminSecretArn}:password::`,
                    STAGE_PASSWORD: `${secretArn}:password::`,
                });
                expect(Object.fromEntries(init.environment.map((e: any) => [e.name, e.value])).STAGE_DB).toBe(dbName);
                // The password exists only as a secret: in the state with secrets shown, never in the plain export.
                const revealed = resourcesOf(JSON.parse(ws.run(["stack", "export", "--show-secrets"], dir).stdout));
                const result = revealed.find((r) => r.type === "random:index/randomPassword:RandomPassword")!.outputs!.result as any;
                // `stack export --show-secrets` keeps the secret envelope and adds the value as JSON in `plaintext`.
                const password = typeof result === "string" ? result : JSON.parse(result.plaintext);
                expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
                expect(JSON.stringify(resources)).not.toContain(password);
                const ingress = children.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs!.securityGroupId).sort();
                expect(ingress).toEqual([outputs.dbSecurityGroupId, outputs.cacheSecurityGroupId].sort());
                ws.run(["preview", "--expect-no-changes"], dir);
            }
            expect(secretArns.size).toBe(2);

            ws.run(["destroy", "--yes", "--skip-preview"], second);
            // The shared stores are still there as they were: a refresh reads them from the account and finds no change.
            ws.run(["refresh", "--yes", "--expect-no-changes"], shared);
            const instanceAfter = exportState(ws, shared).find((r) => r.type === "aws:rds/instance:Instance")!;
            expect(instanceAfter.id).toBe(instanceBefore.id);
            expect(instanceAfter.outputs!.address).toBe(instanceBefore.outputs!.address);
            ws.run(["preview", "--expect-no-changes"], shared);
        } finally {
            ws.run(["destroy", "--yes", "--skip-preview"], second, { allowFailure: true });
            ws.run(["destroy", "--yes", "--skip-preview"], shared, { allowFailure: true });
            ws.dispose();
        }
    }, TIMEOUT_MS);

    it("an adopted cluster of another Region than the provider's is refused at preview, naming the path and both Regions", () => {
        const program = prepare({ dir: join(PROGRAMS, "from-config"), language: "nodejs" });
        const ws = new PulumiWorkspace("region-check");
        try {
            const clusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/shared-previews";
            initFromConfigStack(ws, program, "ServicePlatform", "web", { stage: "pr-5", services: [{ name: "api" }], cluster: { existingClusterArn: clusterArn } });
            const preview = ws.run(["preview"], program, { allowFailure: true });
            expect(preview.status, "the preview fails").not.toBe(0);
            expect(preview.stdout + preview.stderr).toContain(
                `ServicePlatform "web": cluster.existingClusterArn: got "${clusterArn}" (Region eu-west-1); an ECS cluster (a service runs in a cluster of its own Region) in the platform's Region us-east-1, the Region of its AWS provider`,
            );
        } finally {
            ws.dispose();
        }
    }, TIMEOUT_MS);

    it("a stage with its own database cannot switch to a shared one unless database.allowReplacement, which would delete its instance", () => {
        const program = prepare({ dir: join(PROGRAMS, "from-config"), language: "nodejs" });
        const ws = new PulumiWorkspace("shared-switch");
        try {
            const own = { stage: "pr-6", services: [{ name: "api", useDatabase: true }], database: {} };
            initFromConfigStack(ws, program, "ServicePlatform", "web", own);
            ws.run(["up", "--yes", "--skip-preview"], program);
            const identifier = exportState(ws, program).find((r) => r.type === "aws:rds/instance:Instance")!.inputs!.identifier;
            const existing = { host: "shared.c0ffee12ab34.us-east-1.rds.amazonaws.com", adminSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-Ab12Cd" };
            ws.run(["config", "set", "args", JSON.stringify({ ...own, database: { existing } })], program);
            const refused = ws.run(["preview"], program, { allowFailure: true });
            expect(refused.status, "the preview fails").not.toBe(0);
            expect(refused.stdout + refused.stderr).toContain(`database.existing: got "${existing.host}" while this stage's own database instance "${identifier}" still exists`);
            ws.run(["config", "set", "args", JSON.stringify({ ...own, database: { existing, allowReplacement: true } })], program);
            const allowed = ws.run(["preview", "--diff"], program);
            expect(allowed.stdout).toMatch(/- .*aws:rds\/instance:Instance/);
        } finally {
            ws.run(["destroy", "--yes", "--skip-preview"], program, { allowFailure: true });
            ws.dispose();
        }
    }, TIMEOUT_MS);
});

