import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GuardedResource, replacementIgnoreChanges, ReplacementGuard } from "../shared/replacementGuard";
import { ComponentScope } from "../shared/scope";
import { ecrLifecyclePolicy } from "./policies";
import { Compute } from "./args";
import { PlatformSettings, ResolvedService } from "./settings";

export interface RegistryResult {
    /** Repositories by service name (services that gave no `image`). */
    repositories: Map<string, aws.ecr.Repository>;
}

/** Images kept per repository by the lifecycle policy. */
export const KEEP_IMAGES = { ephemeral: 10, production: 100 } as const;

type Encryption = { encryptionType?: string; kmsKey?: string };
const encryptionOf = (v: unknown): Encryption => (Array.isArray(v) ? ((v[0] as Encryption | undefined) ?? {}) : {});

/**
 * A repository's encryption as ECR reports it (`[{encryptionType, kmsKey}]`; `kmsKey` empty for AES256, and no
 * configuration at all means AES256, ECR's default) against the one asked.
 */
export function sameRepositoryEncryption(reported: unknown, wanted: unknown): boolean {
    const has = encryptionOf(reported);
    const asked = encryptionOf(wanted);
    const type = (e: Encryption) => e.encryptionType || "AES256";
    return type(has) === type(asked) && (type(asked) !== "KMS" || has.kmsKey === asked.kmsKey);
}

const describeEncryption = (v: unknown) => {
    const e = encryptionOf(v);
    return e.encryptionType === "KMS" ? `KMS encryption with the key ${JSON.stringify(e.kmsKey)}` : "AES-256 encryption (no KMS key)";
};

/**
 * What the replacement guard checks on a repository: its encryption, which ECR fixes at creation
 * (`encryption_configuration` "Forces new resource",
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository). The name is derived
 * from the component name, the stage and the service name and is not guarded: renaming a service is a new repository.
 */
export function repositoryGuardSpec(name: string, encryption: pulumi.Input<Encryption[]>, allow: boolean): GuardedResource {
    return {
        label: `the ECR repository "${name}"`,
        loses: "every image in it",
        allowArgument: "allowRepositoryReplacement",
        allow,
        source: "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository",
        properties: [
            {
                property: "encryptionConfigurations",
                argument: "kmsKeyArn",
                wanted: encryption,
                matches: sameRepositoryEncryption,
                describeReported: describeEncryption,
                describeWanted: (v) => `asks for ${describeEncryption(v)}`,
            },
        ],
    };
}

/**
 * One ECR repository per service without an image: scan on push, immutable tags, KMS encryption with the given key
 * (else AES-256), a lifecycle policy, and in ephemeral stages deleted together with its images. With a guard, the
 * encryption is fixed once a repository exists unless `allowRepositoryReplacement` (repositoryGuardSpec).
 */
export function createRegistry(scope: ComponentScope, settings: PlatformSettings, guard?: ReplacementGuard): RegistryResult {
    const repositories = new Map<string, aws.ecr.Repository>();
    for (const s of settings.services.filter((x) => x.createsRepository)) {
        const name = scope.physical("ecrRepository", s.name);
        const encryptionConfigurations: pulumi.Input<Encryption[]> = [settings.kmsKeyArn ? { encryptionType: "KMS", kmsKey: settings.kmsKeyArn } : { encryptionType: "AES256" }] as pulumi.Input<Encryption[]>;
        const spec = guard ? repositoryGuardSpec(name, encryptionConfigurations, settings.allowRepositoryReplacement) : undefined;
        const ignoreChanges = spec ? replacementIgnoreChanges(spec) : [];
        const repository = new aws.ecr.Repository(
            scope.child("repo", s.name),
            {
                name,
                imageScanningConfiguration: { scanOnPush: true },
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: encryptionConfigurations as aws.ecr.RepositoryArgs["encryptionConfigurations"],
                forceDelete: !settings.production,
                tags: scope.tags,
            },
            scope.dataOpts(ignoreChanges.length ? { ignoreChanges } : undefined),
        );
        if (spec) guard!.watch(repository, spec);
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

/**
 * Tasks an ECS service runs: 0 while it waits for its first image (`awaitingImage`: no `image`, no `imageTag`), else
 * its `desiredCount`. The repository is created in the same update and is empty, so running `<repository>:latest`
 * would only crash-loop; ECS accepts a service with a desired count of 0
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html, `desiredCount`). With
 * autoscaling the scalable target is registered only once there is an image: RegisterScalableTarget then moves the
 * service's current capacity into [min, max]
 * (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
 */
export function ecsDesiredCount(s: Pick<ResolvedService, "awaitingImage" | "desiredCount">): number {
    return s.awaitingImage ? 0 : s.desiredCount;
}

/**
 * The preview warning for services that wait for their first image, or undefined when none does. ECR tags are
 * immutable here (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html), so a fixed tag
 * such as `latest` could be pushed only once: the flow is to push a new tag (the git SHA) and set `imageTag`. App
 * Runner cannot wait at zero: an auto-scaling configuration keeps at least 1 instance
 * (https://docs.aws.amazon.com/apprunner/latest/api/API_AutoScalingConfiguration.html) and a service whose image is
 * missing ends in CREATE_FAILED and can only be deleted
 * (https://docs.aws.amazon.com/apprunner/latest/dg/manage-create.html), so its service is created on the `up` that
 * sets `imageTag`.
 */
export function awaitingImageWarning(component: string, compute: Compute, services: Pick<ResolvedService, "name" | "awaitingImage">[]): string | undefined {
    const waiting = services.map((s, i) => ({ s, i })).filter(({ s }) => s.awaitingImage);
    if (!waiting.length) return undefined;
    const names = waiting.map(({ s, i }) => `services[${i}] ("${s.name}")`).join(", ");
    const effect =
        compute === Compute.AppRunner
            ? "their App Runner services are not created yet (App Runner cannot run without an image)"
            : compute === Compute.ExpressMode
              ? "their Express Mode services are not created yet (their repositories are new and empty)"
              : "they run 0 tasks (their repositories are new and empty)";
    return (
        `ServicePlatform "${component}": ${names} give neither image nor imageTag, so ${effect}. ` +
        "Push an image to the repository in the repositoryUrls output (tags are immutable: use a new tag per build, such as the git SHA) " +
        "and set services[i].imageTag to that tag; the next `up` starts the service."
    );
}
