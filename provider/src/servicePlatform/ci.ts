import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { iamRoleName } from "./naming";
import { ciPushPolicy, githubTrustPolicy, GITHUB_OIDC_URL, STS_AUDIENCE } from "./policies";
import { RegistryResult } from "./registry";
import { PlatformSettings, ResolvedCi } from "./settings";

export interface CiResult {
    role: aws.iam.Role;
    provider?: aws.iam.OpenIdConnectProvider;
}

/**
 * skreg's AwsOidc: the GitHub OIDC provider (unless the account's is given; there is one per URL per account) and a
 * role GitHub Actions assumes from exactly the trusted subjects (audience `sts.amazonaws.com`), allowed to log in to
 * ECR and push to this platform's repositories, nothing else. It gets no ECS permissions: tags are immutable, so a
 * new image is deployed by changing `imageTag` through `pulumi up`, which runs with the deployer's own role.
 */
export function createCi(scope: ComponentScope, settings: PlatformSettings, ci: ResolvedCi, registry: RegistryResult): CiResult {
    let provider: aws.iam.OpenIdConnectProvider | undefined;
    let providerArn: pulumi.Input<string>;
    if (ci.oidcProviderArn !== undefined) {
        providerArn = ci.oidcProviderArn;
    } else {
        provider = new aws.iam.OpenIdConnectProvider(
            scope.child("github-oidc"),
            { url: GITHUB_OIDC_URL, clientIdLists: [STS_AUDIENCE], tags: scope.tags },
            scope.opts(),
        );
        providerArn = provider.arn;
    }
    const role = new aws.iam.Role(
        scope.child("ci-role"),
        {
            name: iamRoleName(scope, "ci-push"),
            description: `GitHub Actions (${ci.githubRepository}) pushes images to rampart ${settings.name} (${settings.stage})`,
            assumeRolePolicy: pulumi.output(providerArn).apply((arn) => JSON.stringify(githubTrustPolicy(arn, ci.subjects))),
            maxSessionDuration: 3600,
            tags: scope.tags,
        },
        scope.opts(),
    );
    const repositoryArns = [...registry.repositories.values()].map((r) => r.arn);
    new aws.iam.RolePolicy(
        scope.child("ci-push-policy"),
        { role: role.id, policy: pulumi.all(repositoryArns).apply((arns) => JSON.stringify(ciPushPolicy(arns))) },
        scope.opts(),
    );
    return { role, provider };
}
