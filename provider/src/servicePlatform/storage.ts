import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { createPrivateBucket } from "../shared/bucket";
import { AwsEnvironment } from "../shared/environment";
import { storageBucketPolicy } from "./policies";
import { PlatformSettings } from "./settings";
import { COMPONENT } from "./validate";

/** Minimum viewer TLS with a custom certificate: TLS 1.2 with the 2021 cipher set (CloudFront's recommended policy). */
export const CDN_MINIMUM_PROTOCOL_VERSION = "TLSv1.2_2021";

/**
 * What the distribution presents to viewers. With a custom domain: its ACM certificate over SNI (no dedicated-IP
 * charge) and TLSv1.2_2021; otherwise CloudFront's default certificate, whose minimum protocol CloudFront fixes at TLSv1
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html,
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#viewer-certificate-arguments).
 */
export function viewerCertificate(certificateArn?: pulumi.Input<string>): aws.types.input.cloudfront.DistributionViewerCertificate {
    return certificateArn
        ? { acmCertificateArn: certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: CDN_MINIMUM_PROTOCOL_VERSION }
        : { cloudfrontDefaultCertificate: true };
}

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
    const cdnDomain = settings.storage!.cdnDomain;
    if (distribution && cdnDomain) {
        // IPv6 is on, so both an A and an AAAA alias (CloudFront's alias zone is the distribution's hostedZoneId).
        for (const type of ["A", "AAAA"]) {
            new aws.route53.Record(
                scope.child("cdn-alias", type.toLowerCase()),
                { zoneId: cdnDomain.hostedZoneId, name: cdnDomain.name, type, aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }] },
                scope.opts(),
            );
        }
    } else if (distribution) {
        pulumi.log.warn(
            `${COMPONENT} "${scope.name}": no \`storage.cdnDomain\` given, so the CDN serves its *.cloudfront.net name with CloudFront's default certificate, ` +
                "which accepts viewers from TLSv1 on. Give storage.cdnDomain (a name, its hosted zone and an ACM certificate in us-east-1) for TLSv1.2_2021.",
            scope.component,
        );
    }
    return {
        bucket,
        distribution,
        cdnBaseUrl: distribution ? (cdnDomain ? pulumi.interpolate`https://${cdnDomain.name}` : pulumi.interpolate`https://${distribution.domainName}`) : undefined,
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
            aliases: settings.storage!.cdnDomain ? [settings.storage!.cdnDomain.name] : undefined,
            viewerCertificate: viewerCertificate(settings.storage!.cdnDomain?.certificateArn),
            tags: scope.tags,
        },
        scope.opts(),
    );
}
