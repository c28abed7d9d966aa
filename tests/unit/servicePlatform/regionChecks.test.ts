/**
 * Issue 17 (item 2): adopted ARNs are checked against the Region of the platform's AWS provider at preview.
 */
import { describe, expect, it } from "vitest";
import { ServicePlatform, ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { regionBoundArns, regionProblems } from "../../../provider/src/servicePlatform/validate";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { record, withRejectionsCollected } from "../../utils/harness";
import { ACCOUNT_ID, computeState, REGION, T } from "./fixtures";

const arn = (service: string, region: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT_ID}:${resource}`;

function adopting(region: string): ServicePlatformArgs {
    return {
        stage: "pr-9",
        services: [{ name: "api", public: true, image: "public.ecr.aws/nginx/nginx:1.27" }],
        cluster: { existingClusterArn: arn("ecs", region, "cluster/shared") },
        domain: { name: "pr-9.example.com", hostedZoneId: "Z0EXAMPLE", certificateArn: arn("acm", region, "certificate/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab") },
        loadBalancer: { webAclArn: arn("wafv2", region, "regional/webacl/shared/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111") },
    };
}

describe("region checks of adopted ARNs (pure)", () => {
    it("accepts ARNs of the provider's Region", () => {
        expect(regionProblems(adopting("eu-west-1"), "eu-west-1")).toEqual([]);
    });

    it("names the path, the given Region and the expected one for each ARN of another Region", () => {
        expect(regionProblems(adopting("eu-west-1"), "us-east-1")).toEqual([
            {
                path: "cluster.existingClusterArn",
                given: `got "${arn("ecs", "eu-west-1", "cluster/shared")}" (Region eu-west-1)`,
                allowed: "an ECS cluster (a service runs in a cluster of its own Region) in the platform's Region us-east-1, the Region of its AWS provider",
            },
            {
                path: "domain.certificateArn",
                given: `got "${arn("acm", "eu-west-1", "certificate/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab")}" (Region eu-west-1)`,
                allowed: "an ACM certificate (a load balancer uses certificates of its own Region) in the platform's Region us-east-1, the Region of its AWS provider",
            },
            {
                path: "loadBalancer.webAclArn",
                given: `got "${arn("wafv2", "eu-west-1", "regional/webacl/shared/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")}" (Region eu-west-1)`,
                allowed: "a regional WAF web ACL (it protects resources of its own Region only) in the platform's Region us-east-1, the Region of its AWS provider",
            },
        ]);
    });

    it("checks nothing that is not known now or not adopted", () => {
        expect(regionBoundArns({ stage: "pr-9", services: [{ name: "api" }] })).toEqual([]);
    });
});

describe("region checks of adopted ARNs (component)", () => {
    async function buildCollecting(args: ServicePlatformArgs) {
        return withRejectionsCollected(async (errors: unknown[]) => {
            const { recorder } = await record(() => new ServicePlatform("app", args), { computeState, preview: true });
            await new Promise((done) => setTimeout(done, 50));
            return { recorder, refusals: [...new Set(errors.filter((e): e is ComponentValidationError => e instanceof ComponentValidationError))] };
        });
    }

    it(`refuses a cluster, certificate and web ACL of another Region than the provider's (${REGION}) in one error, before any child`, async () => {
        const { recorder, refusals } = await buildCollecting(adopting("eu-west-1"));
        expect(refusals).toHaveLength(1);
        expect(refusals[0].message.split("\n")[0]).toBe('ServicePlatform "app" has 3 invalid arguments:');
        expect(refusals[0].message).toContain(`cluster.existingClusterArn: got "${arn("ecs", "eu-west-1", "cluster/shared")}" (Region eu-west-1); an ECS cluster`);
        expect(refusals[0].message).toContain(`in the platform's Region ${REGION}`);
        expect(recorder.byType(T.ecsService)).toEqual([]);
        expect(recorder.byType(T.lb)).toEqual([]);
    });

    it("deploys them when they are in the provider's Region", async () => {
        const { recorder, refusals } = await buildCollecting(adopting(REGION));
        expect(refusals).toEqual([]);
        expect(recorder.byType(T.ecsService)).toHaveLength(1);
    });
});
