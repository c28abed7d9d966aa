import { describe, expect, it } from "vitest";
import { assertGuardrails } from "../../utils/guardrails";
import { build, Profile, resolve, skregArgs, T } from "./fixtures";

describe("storage", () => {
    it("creates a private, versioned, encrypted, TLS-only bucket served by CloudFront through origin access control", async () => {
        const b = await build({ ...skregArgs(), storage: { cdn: true } }, "skreg");
        const bucket = b.one(T.bucket, "skreg-bucket");
        expect(bucket.inputs).toMatchObject({ bucket: "skreg-dev-storage-123456789012", forceDestroy: true });
        expect(bucket.options.retainOnDelete, "unset, so the child inherits the user's option").toBeUndefined();
        expect(b.one(T.publicAccess, "skreg-bucket-public-access").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(b.one(T.bucketVersioning).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
        const policy = JSON.parse(b.one(T.bucketPolicy, "skreg-bucket-policy").inputs.policy);
        expect(policy.Statement.map((s: any) => s.Sid)).toEqual(["DenyInsecureTransport", "CloudFrontReads"]);
        expect(policy.Statement[1].Condition).toEqual({ StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE" } });
        const distribution = b.one(T.distribution);
        expect(distribution.inputs.origins).toEqual([
            { originId: "storage-bucket", domainName: "skreg-dev-storage-123456789012.s3.us-east-1.amazonaws.com", originAccessControlId: "skreg-cdn-oac-id" },
        ]);
        expect(distribution.inputs.defaultCacheBehavior).toMatchObject({ viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD", "OPTIONS"] });
        expect(b.one(T.oac).inputs).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
        expect(await resolve(b.platform.bucketName)).toBe("skreg-dev-storage-123456789012");
        expect(await resolve(b.platform.cdnBaseUrl)).toBe("https://d1a2b3c4d5e6f7.cloudfront.net");
    });

    it("keeps the bucket (and its objects) in production, and has no CDN unless asked", async () => {
        const b = await build({ ...skregArgs(Profile.Production), storage: {} }, "skreg");
        const bucket = b.one(T.bucket, "skreg-bucket");
        expect(bucket.inputs.forceDestroy).toBe(false);
        expect(bucket.options.retainOnDelete).toBe(true);
        expect(b.all(T.distribution)).toHaveLength(0);
        expect(b.platform.cdnBaseUrl).toBeUndefined();
        expect(JSON.parse(b.one(T.bucketPolicy, "skreg-bucket-policy").inputs.policy).Statement).toHaveLength(1);
        assertGuardrails(b.recorder.resources, { profile: "production" });
    });

    it("creates nothing without storage, and no bucket with bucket: false", async () => {
        const without = await build(skregArgs(), "skreg");
        expect(without.all(T.bucket)).toHaveLength(0);
        expect(without.platform.bucketName).toBeUndefined();
        const off = await build({ ...skregArgs(), storage: { bucket: false } }, "skreg");
        expect(off.all(T.bucket)).toHaveLength(0);
    });
});
