import { describe, expect, it } from "vitest";
import { Compute } from "../../../provider/src/servicePlatform/args";
import { keptServiceData, leftBehindProblems, lookupFailure, serviceLogGroupName } from "../../../provider/src/servicePlatform/removedServices";
import type { PlatformSettings } from "../../../provider/src/servicePlatform/settings";
import { physicalName } from "../../../provider/src/shared/naming";

const scope = { physical: (rule: Parameters<typeof physicalName>[0], suffix?: string) => physicalName(rule, { prefix: "skreg", stage: "dev", suffix }) };
const service = (name: string, image?: string) => ({ name, image, createsRepository: image === undefined });
const settings = (services: ReturnType<typeof service>[], compute = Compute.Fargate) => ({ services, compute }) as unknown as PlatformSettings;

describe("data left behind by removed, renamed or re-imaged services", () => {
    it("keeps the repositories of services without an image and the log groups of Fargate services", () => {
        const kept = keptServiceData(scope, settings([service("api"), service("worker", "public.ecr.aws/docker/library/busybox:1.36")]));
        expect([...kept.repositories]).toEqual(["skreg-dev-api"]);
        expect([...kept.logGroups]).toEqual(["/rampart/skreg-dev/api", "/rampart/skreg-dev/worker"]);
        expect(serviceLogGroupName(scope, "api")).toBe("/rampart/skreg-dev/api");
        expect([...keptServiceData(scope, settings([service("api")], Compute.AppRunner)).logGroups]).toEqual([]);
    });

    it("names a removed or renamed service under `services`, with its images and logs, and the argument that allows it", () => {
        const problems = leftBehindProblems(scope, settings([service("api"), service("batch")]), {
            repositories: [{ name: "skreg-dev-jobs", images: 3 }],
            logGroups: ["/rampart/skreg-dev/jobs"],
        });
        expect(problems).toEqual([
            {
                path: "services",
                given: 'no service named "jobs" (removed or renamed)',
                allowed: expect.stringMatching(/ECR repository "skreg-dev-jobs" with 3 images .* and its log group "\/rampart\/skreg-dev\/jobs" with its logs .*Keep the service "jobs", or set allowServiceDataDeletion to true to delete them$/),
            },
        ]);
    });

    it("names the image argument when a service that still exists would lose its repository, and ignores empty repositories", () => {
        const problems = leftBehindProblems(scope, settings([service("api"), service("worker", "nginx:1.27")]), {
            repositories: [
                { name: "skreg-dev-worker", images: 1 },
                { name: "skreg-dev-old", images: 0 },
            ],
            logGroups: [],
        });
        expect(problems.map((p) => [p.path, p.given])).toEqual([["services[1].image", '"nginx:1.27" for the service "worker"']]);
        expect(problems[0].allowed).toMatch(/with 1 image \(.*Leave the service without `image`.*to delete it$/);
    });

    it("names compute when services move off Fargate and their log groups would go", () => {
        const problems = leftBehindProblems(scope, settings([service("api")], Compute.AppRunner), { repositories: [], logGroups: ["/rampart/skreg-dev/api"] });
        expect(problems.map((p) => [p.path, p.given])).toEqual([["compute", '"appRunner"']]);
    });

    it("finds nothing to refuse when nothing was left behind", () => {
        expect(leftBehindProblems(scope, settings([service("api")]), { repositories: [{ name: "skreg-dev-gone", images: 0 }], logGroups: [] })).toEqual([]);
    });
    it("says what a failed look-up was for and what the deploying role needs, in one line of the reason", () => {
        const error = lookupFailure("skreg", new Error("AccessDeniedException: not authorized to perform: ecr:DescribeRepositories\n    at invoke (grpc)"));
        expect(error.message).toBe(
            'ServicePlatform "skreg": could not list this platform\'s ECR repositories and log groups to check that no service\'s images or logs would be deleted (AccessDeniedException: not authorized to perform: ecr:DescribeRepositories). The deploying role needs ecr:DescribeRepositories, ecr:ListImages and logs:DescribeLogGroups; or set allowServiceDataDeletion to true to skip the check',
        );
    });
});
