/**
 * Issue 13 item 1: a first `up` that works. A service with neither `image` nor `imageTag` uses the ECR repository
 * created in the same update, which is empty: ECS runs it at 0 tasks (no autoscaling yet), App Runner's service is
 * not created (it cannot run without an image), and preview warns with the path to set. Setting `imageTag` starts it.
 */
import { describe, expect, it, vi } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { Compute } from "../../../provider/src/servicePlatform";
import { awaitingImageWarning, ecsDesiredCount } from "../../../provider/src/servicePlatform/registry";
import { resolveSettings } from "../../../provider/src/servicePlatform/settings";
import { build, resolve, skregArgs, T } from "./fixtures";

describe("first deploy: services waiting for their first image", () => {
    it("waits only without image and imageTag; ECS runs 0 tasks then, its desiredCount otherwise", () => {
        const s = resolveSettings("app", {
            stage: "dev",
            services: [{ name: "api" }, { name: "worker", imageTag: "sha-1", desiredCount: 2 }, { name: "proxy", image: "ghcr.io/org/proxy:1" }, { name: "jobs", autoscaling: { min: 2, max: 4 } }],
        });
        expect(s.services.map((x) => [x.name, x.awaitingImage, ecsDesiredCount(x)])).toEqual([
            ["api", true, 0],
            ["worker", false, 2],
            ["proxy", false, 1],
            ["jobs", true, 0],
        ]);
    });

    it("warns with each waiting service's path and what to do, per compute, and says nothing when none waits", () => {
        const services = [{ name: "api", awaitingImage: false }, { name: "worker", awaitingImage: true }];
        const ecs = awaitingImageWarning("skreg", Compute.Fargate, services)!;
        expect(ecs).toContain('ServicePlatform "skreg": services[1] ("worker") give neither image nor imageTag, so they run 0 tasks');
        expect(ecs).toContain("set services[i].imageTag to that tag");
        expect(awaitingImageWarning("combine", Compute.AppRunner, services)).toContain("their App Runner services are not created yet");
        expect(awaitingImageWarning("skreg", Compute.Fargate, [{ name: "api", awaitingImage: false }])).toBeUndefined();
    });

    it("ECS: the first up creates the repositories and services at 0 tasks without scaling targets; imageTag starts them", async () => {
        const warn = vi.spyOn(pulumi.log, "warn");
        const args = { ...skregArgs(), services: [{ name: "api", public: true, autoscaling: { min: 2, max: 4 } }, { name: "worker" }] };
        const first = await build(args, "skreg");
        expect(first.all(T.ecsService).map((s) => [s.inputs.name, s.inputs.desiredCount]).sort()).toEqual([
            ["api-dev", 0],
            ["worker-dev", 0],
        ]);
        expect(first.all(T.scalingTarget)).toEqual([]);
        expect(first.all("aws:ecr/repository:Repository").map((r) => r.inputs.imageTagMutability)).toEqual(["IMMUTABLE", "IMMUTABLE"]);
        expect(Object.keys((await resolve(first.platform.repositoryUrls))!)).toEqual(["api", "worker"]);
        expect(warn.mock.calls.map((c) => String(c[0])).find((m) => m.includes("give neither image nor imageTag"))).toContain('services[0] ("api"), services[1] ("worker")');
        warn.mockRestore();

        const tagged = await build({ ...args, services: args.services.map((s) => ({ ...s, imageTag: "sha-0a1b2c3" })) }, "skreg");
        expect(tagged.all(T.ecsService).map((s) => [s.inputs.name, s.inputs.desiredCount]).sort()).toEqual([
            ["api-dev", 2],
            ["worker-dev", 1],
        ]);
        expect(tagged.one(T.scalingTarget).inputs).toMatchObject({ minCapacity: 2, maxCapacity: 4 });
        expect(JSON.parse(await resolve(tagged.one(T.taskDefinition, "skreg-task-worker").inputs.containerDefinitions))[0].image).toBe(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/skreg-dev-worker:sha-0a1b2c3",
        );
    });

    it("App Runner: the first up creates the repository and CI role but no service; imageTag creates it", async () => {
        const args = {
            stage: "dev",
            compute: Compute.AppRunner,
            domain: { name: "thecombine.ui", hostedZoneId: "ZCOMBINE" },
            services: [{ name: "app", public: true, port: 8000 }],
            ci: { githubRepository: "tmoseley/the-combine" },
        };
        const first = await build(args, "combine");
        expect(first.all(T.appRunner)).toEqual([]);
        expect(first.all(T.domainAssociation)).toEqual([]);
        expect(first.all("aws:ecr/repository:Repository")).toHaveLength(1);
        expect(first.all("aws:iam/role:Role").map((r) => r.name)).toContain("combine-ci-role");
        expect(await resolve(first.platform.serviceNames)).toEqual({});
        expect(first.platform.url).toBeUndefined();

        const tagged = await build({ ...args, services: [{ ...args.services[0], imageTag: "sha-0a1b2c3" }] }, "combine");
        expect(tagged.one(T.appRunner).inputs.sourceConfiguration.imageRepository.imageIdentifier).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/combine-dev-app:sha-0a1b2c3");
        expect(await resolve(tagged.platform.url)).toBe("https://thecombine.ui");
    });
});
