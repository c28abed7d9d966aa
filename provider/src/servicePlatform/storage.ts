import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { createPrivateBucket } from "../shared/bucket";
import { AwsEnvironment } from "../shared/environment";
import { storageBucketPolicy } from "./policies";
import { PlatformSettings } from "./settings";

/** AWS managed CloudFront policies (ids are global constants). */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
export const SECURITY_HEADERS_POLICY_ID = "67f7725c-6f97-4210-82d7-5512b31e9d03";

export interface StorageResult {
    bucket: aws.s3.Bucket;
    distribution?: aws.cloudfront.Distribution;
    cdnBaseUrl?: pulumi.Output<string>;
}

/**
 * skreg's packages bucket: private, versioned, SSE-S3, public access blocked, TLS-only policy; optionally behind
 * CloudFront with origin access control, the bucket policy admitting that one distribution only, HTTPS enforced for
 * viewers (HTTP redirects).
 */
export function createStorage(scope: ComponentScope, settings: PlatformSettings, env: AwsEnvironment): StorageResult {
    const withCdn = settings.storage!.cdn;
    let distribution: aws.cloudfront.Distribution | undefined;
    const { bucket } = createPrivateBucket(scope, "bucket", {
        name: env.accountId.apply((account) => scope.physical("s3Bucket", `storage-${account}`)),
        forceDestroy: !settings.production,
        versioning: true,
        expireAfterDays: settings.production ? 90 : 7,
        data: true,
        policy: (b) => {
            if (!withCdn) return b.arn.apply((arn) => JSON.stringify(storageBucketPolicy(arn)));
            distribution = createDistribution(scope, settings, b);
            return pulumi.all([b.arn, distribution.arn]).apply(([arn, distributionArn]) => JSON.stringify(storageBucketPolicy(arn, distributionArn)));
        },
    });
    return {
        bucket,
        distribution,
        cdnBaseUrl: distribution ? pulumi.interpolate`https://${distribution.domainName}` : undefined,
    };
}

function createDistribution(scope: ComponentScope, settings: PlatformSettings, bucket: aws.s3.Bucket): aws.cloudfront.Distribution {
    const oac = new aws.cloudfront.OriginAccessControl(
        scope.child("cdn-oac"),
        {
            name: scope.physical("cloudFrontOriginAccessControl", "storage"),
            description: `rampart ${settings.name} (${settings.stage}) bucket origin`,
            originAccessControlOriginType: "s3",
            signingBehavior: "always",
            signingProtocol: "sigv4",
        },
        scope.opts(),
    );
    const originId = "storage-bucket";
    return new aws.cloudfront.Distribution(
        scope.child("cdn"),
        {
            enabled: true,
            isIpv6Enabled: true,
            httpVersion: "http2and3",
            comment: `rampart ${settings.name} (${settings.stage}) storage`,
            priceClass: "PriceClass_100",
            origins: [{ originId, domainName: bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],
            defaultCacheBehavior: {
                targetOriginId: originId,
                viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS"],
                cachedMethods: ["GET", "HEAD"],
                compress: true,
                cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
                responseHeadersPolicyId: SECURITY_HEADERS_POLICY_ID,
            },
            restrictions: { geoRestriction: { restrictionType: "none" } },
            viewerCertificate: { cloudfrontDefaultCertificate: true },
            tags: scope.tags,
        },
        scope.opts(),
    );
}
