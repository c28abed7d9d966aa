/** The one private-bucket block (provider/src/shared/bucket.ts). */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { createPrivateBucket, PrivateBucketArgs } from "../../../provider/src/shared/bucket";
import { denyInsecureTransport, policyDocument } from "../../../provider/src/shared/iam";
import { Profile } from "../../../provider/src/shared/profile";
import { ComponentScope } from "../../../provider/src/shared/scope";
import { assertGuardrails } from "../../utils/guardrails";
import { record } from "../../utils/harness";

const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";

async function deploy(args: Omit<PrivateBucketArgs, "policy">, retainOnDelete = true) {
    return record(() => {
        const host = new pulumi.ComponentResource("test:index:Host", "app", {}, {});
        const scope = new ComponentScope(host, "app", { stage: "dev", profile: Profile.Ephemeral, retainOnDelete });
        return createPrivateBucket(scope, "files", { ...args, policy: (b) => b.arn.apply((arn) => JSON.stringify(policyDocument([denyInsecureTransport(arn)]))) });
    });
}

describe("shared private bucket", () => {
    it("versioned data bucket: owner-enforced, public access blocked, SSE-S3, noncurrent versions expire after versioning is on, retained as asked", async () => {
        const { result, recorder } = await deploy({ name: "app-dev-files-123456789012-us-east-1", forceDestroy: true, versioning: true, expireAfterDays: 7, data: true });
        expect(recorder.one("aws:s3/bucket:Bucket")).toMatchObject({ name: "app-files", inputs: { bucket: "app-dev-files-123456789012-us-east-1", forceDestroy: true }, options: { retainOnDelete: true } });
        const lifecycle = recorder.one(LIFECYCLE);
        expect(lifecycle.inputs.rules.map((r: any) => r.id)).toEqual(["abort-incomplete-uploads", "expire-noncurrent-versions"]);
        expect(lifecycle.inputs.rules[1].noncurrentVersionExpiration).toEqual({ noncurrentDays: 7 });
        expect(lifecycle.options.dependencies).toContain(recorder.one(VERSIONING).urn);
        expect(result.ready.length).toBe(3);
        expect(recorder.resources.filter((r) => r.type.startsWith("aws:s3/")).map((r) => r.name).sort()).toEqual(
            ["app-files", "app-files-encryption", "app-files-lifecycle", "app-files-ownership", "app-files-policy", "app-files-public-access", "app-files-versioning"],
        );
        assertGuardrails(recorder.resources, { profile: "ephemeral" });
    });

    it("unversioned log bucket: objects expire, no versioning resource, not a data store", async () => {
        const { recorder } = await deploy({ name: "app-dev-logs", forceDestroy: true, versioning: false, expireAfterDays: 30, data: false });
        expect(recorder.byType(VERSIONING)).toEqual([]);
        expect(recorder.one(LIFECYCLE).inputs.rules[1]).toMatchObject({ id: "expire-objects", expiration: { days: 30 } });
        expect(recorder.one("aws:s3/bucket:Bucket").options.retainOnDelete).toBeFalsy();
    });
});
