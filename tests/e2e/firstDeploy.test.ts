/**
 * Issue 13 item 1 through the real engine and the offline stand-in: the first `up` of a ServicePlatform whose services
 * give neither `image` nor `imageTag` succeeds on an empty account (ECS services at 0 tasks without scaling targets;
 * App Runner creates no service, since it cannot run without an image), then CI pushes to the created repository and
 * the next `up` with `imageTag` starts the services. The stand-in refuses what App Runner refuses: an image that is not
 * in the repository (CREATE_FAILED).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountStore, accountsFileFromEnv, pushImages } from "../standin/account";
import { exportState, writeYamlProgram } from "./projects";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 15 * 60_000;
const TAG = "sha-0a1b2c3";

/** A YAML project building the platform through the plugin with these properties (rewritten between steps). */
function writeProject(dir: string, name: string, properties: object): void {
    writeYamlProgram(dir, { name, resources: { platform: { type: "rampart:index:ServicePlatform", name, properties } } });
}

const withTag = (services: object[]): object[] => services.map((s) => ({ ...s, imageTag: TAG }));

describe.skipIf(!ready)("ServicePlatform first deploy through the real engine (issue 13 item 1)", () => {
    const workspaces: PulumiWorkspace[] = [];
    beforeAll(() => execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" }), TIMEOUT_MS);
    afterAll(() => {
        for (const ws of workspaces) ws.dispose();
    });

    it("ECS: the first up runs 0 tasks; after CI pushes, imageTag starts the services and their scaling", () => {
        const ws = new PulumiWorkspace("first-ecs");
        workspaces.push(ws);
        const dir = join(ws.root, "ecs");
        const services = [{ name: "api", public: true, autoscaling: { min: 2, max: 4 } }, { name: "worker" }];
        writeProject(dir, "firstecs", { stage: "first", services });
        ws.run(["stack", "init", ws.stack], dir);
        const up = ws.run(["up", "--yes", "--skip-preview"], dir);
        expect(up.stdout + up.stderr).toContain("give neither image nor imageTag, so they run 0 tasks");
        let state = exportState(ws, dir);
        const ecsServices = () => state.filter((r) => r.type === "aws:ecs/service:Service").map((r) => [r.outputs?.name, r.outputs?.desiredCount]).sort();
        expect(ecsServices()).toEqual([["api-first", 0], ["worker-first", 0]]);
        expect(state.filter((r) => r.type === "aws:appautoscaling/target:Target")).toEqual([]);
        const repositories = state.filter((r) => r.type === "aws:ecr/repository:Repository").map((r) => r.id!).sort();
        expect(repositories).toEqual(["firstecs-first-api", "firstecs-first-worker"]);

        // CI pushes the build it tagged with the git SHA, then deploys it.
        const store = new AccountStore(accountsFileFromEnv(ws.env)!);
        for (const repository of repositories) pushImages(store, repository, [TAG]);
        writeProject(dir, "firstecs", { stage: "first", services: withTag(services) });
        ws.run(["up", "--yes", "--skip-preview"], dir);
        state = exportState(ws, dir);
        // The api's count is the scaler's (ignoreChanges): registering the target moves it into [2, 4] in AWS.
        expect(ecsServices()).toEqual([["api-first", 0], ["worker-first", 1]]);
        expect(state.find((r) => r.type === "aws:appautoscaling/target:Target")?.outputs).toMatchObject({ minCapacity: 2, maxCapacity: 4, resourceId: "service/firstecs-first/api-first" });
        const worker = state.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.outputs?.family === "firstecs-first-worker");
        expect(JSON.parse(String(worker!.outputs!.containerDefinitions))[0].image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/firstecs-first-worker:${TAG}`);
        ws.run(["preview", "--expect-no-changes"], dir);
        ws.run(["destroy", "--yes", "--skip-preview"], dir);
    }, TIMEOUT_MS);

    it("App Runner: the first up creates no service; an imageTag not pushed is refused (CREATE_FAILED); pushed, the service is created", () => {
        const ws = new PulumiWorkspace("first-apprunner");
        workspaces.push(ws);
        const dir = join(ws.root, "apprunner");
        // "internal" is private (public defaults to false): reached from the VPC through the apprunner.requests endpoint.
        const services = [{ name: "app", public: true, port: 8000 }, { name: "internal", port: 8000 }];
        writeProject(dir, "firstar", { stage: "first", compute: "appRunner", services });
        ws.run(["stack", "init", ws.stack], dir);
        const up = ws.run(["up", "--yes", "--skip-preview"], dir);
        expect(up.stdout + up.stderr).toContain("their App Runner services are not created yet");
        let state = exportState(ws, dir);
        expect(state.filter((r) => r.type === "aws:apprunner/service:Service")).toEqual([]);
        expect(state.filter((r) => r.type === "aws:ecr/repository:Repository").map((r) => r.id).sort()).toEqual(["firstar-first-app", "firstar-first-internal"]);
        expect(state.filter((r) => r.type === "aws:apprunner/vpcIngressConnection:VpcIngressConnection")).toEqual([]);

        writeProject(dir, "firstar", { stage: "first", compute: "appRunner", services: withTag(services) });
        const early = ws.run(["up", "--yes", "--skip-preview"], dir, { allowFailure: true });
        expect(early.status).not.toBe(0);
        // Whichever of the two services the engine creates first fails; the engine then stops.
        expect(early.stdout + early.stderr).toMatch(new RegExp(`CREATE_FAILED', wanted target 'RUNNING': App Runner could not pull 123456789012\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/firstar-first-(app|internal):${TAG}`));

        const store = new AccountStore(accountsFileFromEnv(ws.env)!);
        for (const repository of ["firstar-first-app", "firstar-first-internal"]) pushImages(store, repository, [TAG]);
        ws.run(["up", "--yes", "--skip-preview"], dir);
        state = exportState(ws, dir);
        const service = state.find((r) => r.type === "aws:apprunner/service:Service" && r.outputs?.serviceName === "firstar-first-app");
        // The private service: one apprunner.requests endpoint (no private DNS) and its ingress connection, the
        // stand-in checking that the endpoint is for apprunner.requests in the same VPC and one connection per service.
        const endpoints = state.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && String(r.outputs?.serviceName).endsWith(".apprunner.requests"));
        expect(endpoints.map((r) => [r.outputs?.serviceName, r.outputs?.vpcEndpointType, r.outputs?.privateDnsEnabled])).toEqual([["com.amazonaws.us-east-1.apprunner.requests", "Interface", false]]);
        const connections = state.filter((r) => r.type === "aws:apprunner/vpcIngressConnection:VpcIngressConnection");
        const internal = state.find((r) => r.type === "aws:apprunner/service:Service" && r.outputs?.serviceName === "firstar-first-internal");
        expect(connections.map((r) => [r.outputs?.name, r.outputs?.serviceArn, (r.outputs as any)?.ingressVpcConfiguration?.vpcEndpointId, r.outputs?.status])).toEqual([
            ["firstar-first-internal", internal?.id, endpoints[0].id, "AVAILABLE"],
        ]);
        const platform = state.find((r) => r.type === "rampart:index:ServicePlatform");
        expect((platform?.outputs as any)?.privateServiceUrls).toEqual({ internal: `https://${connections[0].outputs?.domainName}` });
        expect((service?.outputs as any)?.sourceConfiguration?.imageRepository?.imageIdentifier).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/firstar-first-app:${TAG}`);
        ws.run(["preview", "--expect-no-changes"], dir);
        ws.run(["destroy", "--yes", "--skip-preview"], dir);
    }, TIMEOUT_MS);
});
