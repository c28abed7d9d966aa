import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";

/**
 * The private bucket that holds what the trust root and SPIRE publish: the initial CRL
 * (`.well-known/crl.pem`) and the SPIRE trust bundle (`spire/bundle.json`). Both are public
 * material, but the bucket is private (public access blocked, TLS-only policy, versioned,
 * SSE-S3 encrypted): serve them through a CDN with origin access control or presigned URLs.
 */
export interface PublicationBucket {
    bucket: aws.s3.Bucket;
    name: pulumi.Output<string>;
    /** Resources that must exist before objects are written (encryption, public access block, ownership). */
    ready: pulumi.Resource[];
    /** `https://<bucket>.s3.<region>.amazonaws.com/<key>`. */
    objectUrl(key: string): pulumi.Output<string>;
}

export function createPublicationBucket(scope: ComponentScope, region: pulumi.Output<string>): PublicationBucket {
    const bucket = new aws.s3.Bucket(
        scope.child("publication"),
        { bucket: scope.physical("s3Bucket", "pki"), forceDestroy: !scope.production, tags: scope.tags },
        scope.dataOpts(),
    );
    const opts = scope.opts({ parent: bucket });
    const ownership = new aws.s3.BucketOwnershipControls(scope.child("publication-ownership"), { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        scope.child("publication-public-access"),
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        scope.child("publication-encryption"),
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
        opts,
    );
    const versioning = new aws.s3.BucketVersioning(scope.child("publication-versioning"), { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketLifecycleConfiguration(
        scope.child("publication-lifecycle"),
        {
            bucket: bucket.id,
            rules: [{ id: "expire-old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: scope.production ? 90 : 7 } }],
        },
        scope.opts({ parent: bucket, dependsOn: [versioning] }),
    );
    new aws.s3.BucketPolicy(
        scope.child("publication-policy"),
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: { AWS: "*" },
                        Action: ["s3:*"],
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        scope.opts({ parent: bucket, dependsOn: [publicAccess] }),
    );
    return {
        bucket,
        name: bucket.bucket,
        ready: [ownership, publicAccess, encryption],
        objectUrl: (key) => pulumi.interpolate`https://${bucket.bucket}.s3.${region}.amazonaws.com/${key}`,
    };
}
