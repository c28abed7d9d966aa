import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { ecrLifecyclePolicy } from "./policies";
import { PlatformSettings } from "./settings";

export interface RegistryResult {
    /** Repositories by service name (services that gave no `image`). */
    repositories: Map<string, aws.ecr.Repository>;
}

/** Images kept per repository by the lifecycle policy. */
export const KEEP_IMAGES = { ephemeral: 10, production: 100 } as const;

/**
 * One ECR repository per service without an image: scan on push, immutable tags, KMS encryption with the given key
 * (else AES-256), a lifecycle policy, and in ephemeral stages deleted together with its images.
 */
export function createRegistry(scope: ComponentScope, settings: PlatformSettings): RegistryResult {
    const repositories = new Map<string, aws.ecr.Repository>();
    for (const s of settings.services.filter((x) => x.createsRepository)) {
        const repository = new aws.ecr.Repository(
            scope.child("repo", s.name),
            {
                name: scope.physical("ecrRepository", s.name),
                imageScanningConfiguration: { scanOnPush: true },
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: [settings.kmsKeyArn ? { encryptionType: "KMS", kmsKey: settings.kmsKeyArn } : { encryptionType: "AES256" }],
                forceDelete: !settings.production,
                tags: scope.tags,
            },
            scope.dataOpts(),
        );
        new aws.ecr.LifecyclePolicy(
            scope.child("repo", s.name, "lifecycle"),
            { repository: repository.name, policy: ecrLifecyclePolicy(settings.production ? KEEP_IMAGES.production : KEEP_IMAGES.ephemeral) },
            scope.opts(),
        );
        repositories.set(s.name, repository);
    }
    return { repositories };
}

/** The image a service runs: its own, or `<repository URL>:<tag>` (`@sha256:...` for digests). */
export function serviceImage(image: pulumi.Input<string> | undefined, repository: aws.ecr.Repository | undefined, tag: pulumi.Input<string>): pulumi.Output<string> {
    if (image !== undefined) return pulumi.output(image);
    return pulumi.all([repository!.repositoryUrl, tag]).apply(([url, t]) => (t.startsWith("sha256:") ? `${url}@${t}` : `${url}:${t}`));
}
