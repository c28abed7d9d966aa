import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "./scope";

/**
 * Private S3 buckets: the one implementation every component uses (ServicePlatform's storage and load balancer access
 * logs, ZeroTrustIdentity's publication bucket).
 */

export interface PrivateBucketArgs {
    /**
     * Physical bucket name. S3 bucket names are global across all accounts and Regions of the partition
     * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): new names should include the
     * account id and Region (`physicalName` with the `s3Bucket` rule keeps them within 63 characters).
     */
    name: pulumi.Input<string>;
    /** Delete objects with the bucket (ephemeral stages). */
    forceDestroy: boolean;
    versioning: boolean;
    /** Days after which objects (or, with versioning, noncurrent versions) expire. Default: never. */
    expireAfterDays?: number;
    /** The bucket policy, given the bucket; it must deny plain HTTP (`denyInsecureTransport` in iam.ts). */
    policy: (bucket: aws.s3.Bucket) => pulumi.Input<string>;
    /** A data store: retained on destroy when the profile asks. */
    data: boolean;
}

export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    policy: aws.s3.BucketPolicy;
    /** What must exist before objects are written: ownership (no ACLs), the public access block and default encryption. */
    ready: pulumi.Resource[];
}

/**
 * A private bucket, each setting its own resource (logical names `<key>`, `<key>-ownership`, `<key>-public-access`,
 * `<key>-encryption`, `<key>-versioning`, `<key>-lifecycle`, `<key>-policy`):
 * - object ownership `BucketOwnerEnforced`, ACLs disabled
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html);
 * - all four public access block settings (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html);
 * - SSE-S3 with S3 Bucket Keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html);
 * - optional versioning; a lifecycle that aborts incomplete multipart uploads after 7 days and, when asked, expires
 *   objects or noncurrent versions. The lifecycle waits for versioning, as the provider asks
 *   (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_lifecycle_configuration);
 * - the policy the caller writes, after the public access block and ownership.
 */
export function createPrivateBucket(scope: ComponentScope, key: string, args: PrivateBucketArgs): PrivateBucket {
    const opts = args.data ? scope.dataOpts() : scope.opts();
    const bucket = new aws.s3.Bucket(scope.child(key), { bucket: args.name, forceDestroy: args.forceDestroy, tags: scope.tags }, opts);
    const ownership = new aws.s3.BucketOwnershipControls(scope.child(key, "ownership"), { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, scope.opts());
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        scope.child(key, "public-access"),
        { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        scope.opts(),
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
        scope.child(key, "encryption"),
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
        scope.opts(),
    );
    const versioning = args.versioning
        ? new aws.s3.BucketVersioning(scope.child(key, "versioning"), { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, scope.opts())
        : undefined;
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
        { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ];
    if (args.expireAfterDays !== undefined) {
        rules.push(
            args.versioning
                ? { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: args.expireAfterDays } }
                : { id: "expire-objects", status: "Enabled", filter: {}, expiration: { days: args.expireAfterDays } },
        );
    }
    new aws.s3.BucketLifecycleConfiguration(scope.child(key, "lifecycle"), { bucket: bucket.id, rules }, scope.opts(versioning ? { dependsOn: [versioning] } : undefined));
    const policy = new aws.s3.BucketPolicy(scope.child(key, "policy"), { bucket: bucket.id, policy: args.policy(bucket) }, scope.opts({ dependsOn: [publicAccess, ownership] }));
    return { bucket, policy, ready: [ownership, publicAccess, encryption] };
}
