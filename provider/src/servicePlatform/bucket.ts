import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";

export interface PrivateBucketArgs {
    /** Physical bucket name. */
    name: pulumi.Input<string>;
    /** Delete objects with the bucket (ephemeral stages). */
    forceDestroy: boolean;
    versioning: boolean;
    /** Days after which objects (or, with versioning, noncurrent versions) expire. Default: never. */
    expireAfterDays?: number;
    /** The bucket policy, given the bucket; it must deny plain HTTP. */
    policy: (bucket: aws.s3.Bucket) => pulumi.Input<string>;
    /** A data store: retained on destroy when the profile asks. */
    data: boolean;
}

export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    policy: aws.s3.BucketPolicy;
}

/**
 * A private bucket: owner-enforced object ownership (no ACLs), all public access blocked, SSE-S3 encryption with
 * bucket keys, optional versioning, incomplete uploads aborted after a week, and a policy the caller writes.
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
    new aws.s3.BucketServerSideEncryptionConfiguration(
        scope.child(key, "encryption"),
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
        scope.opts(),
    );
    if (args.versioning) {
        new aws.s3.BucketVersioning(scope.child(key, "versioning"), { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, scope.opts());
    }
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
    new aws.s3.BucketLifecycleConfiguration(scope.child(key, "lifecycle"), { bucket: bucket.id, rules }, scope.opts());
    const policy = new aws.s3.BucketPolicy(scope.child(key, "policy"), { bucket: bucket.id, policy: args.policy(bucket) }, scope.opts({ dependsOn: [publicAccess, ownership] }));
    return { bucket, policy };
}
