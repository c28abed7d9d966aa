import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createPrivateBucket } from "../shared/bucket";
import { denyInsecureTransport, policyDocument } from "../shared/iam";
import { ComponentScope } from "../shared/scope";

/**
 * The private bucket that holds what the trust root and SPIRE publish: the initial CRL
 * (`.well-known/crl.pem`) and the SPIRE trust bundle (`spire/bundle.json`). Both are public
 * material, but the bucket is private (shared/bucket.ts: public access blocked, TLS-only policy,
 * versioned, SSE-S3 encrypted; noncurrent versions expire after 7 days, 90 in production): serve
 * them through a CDN with origin access control or presigned URLs.
 */
export interface PublicationBucket {
    bucket: aws.s3.Bucket;
    name: pulumi.Output<string>;
    /** Resources that must exist before objects are written (encryption, public access block, ownership). */
    ready: pulumi.Resource[];
    /** `https://<bucket>.s3.<region>.amazonaws.com/<key>`. */
    objectUrl(key: string): pulumi.Output<string>;
}

/**
 * The publication bucket's name, `<name>-<stage>-pki-<account id>-<region>`: S3 bucket names are global across
 * accounts and Regions (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), so the same
 * component and stage in two accounts or Regions must not ask for the same name. Longer than 63 characters, it is cut
 * and ends in a hash of the full name (shared/naming.ts).
 */
export function publicationBucketName(scope: ComponentScope, accountId: string, region: string): string {
    return scope.physical("s3Bucket", `pki-${accountId}-${region}`);
}

export function createPublicationBucket(scope: ComponentScope, env: { accountId: pulumi.Output<string>; region: pulumi.Output<string> }): PublicationBucket {
    const { bucket, ready } = createPrivateBucket(scope, "publication", {
        name: pulumi.all([env.accountId, env.region]).apply(([accountId, region]) => publicationBucketName(scope, accountId, region)),
        forceDestroy: !scope.production,
        versioning: true,
        expireAfterDays: scope.production ? 90 : 7,
        data: true,
        policy: (b) => b.arn.apply((arn) => JSON.stringify(policyDocument([denyInsecureTransport(arn)]))),
    });
    return {
        bucket,
        name: bucket.bucket,
        ready,
        objectUrl: (key) => pulumi.interpolate`https://${bucket.bucket}.s3.${env.region}.amazonaws.com/${key}`,
    };
}
