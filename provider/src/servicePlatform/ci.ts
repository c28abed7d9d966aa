import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { accountOidcProvider, GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_ISSUER_HOST } from "../shared/oidcProvider";
import { iamRoleName } from "./naming";
import { ciPushPolicy, githubTrustPolicy } from "./policies";
import { RegistryResult } from "./registry";
import { PlatformSettings, ResolvedCi } from "./settings";

export interface CiResult {
    role: aws.iam.Role;
    /** Set only when this stack creates the account's GitHub OIDC provider (`ci.createOidcProvider`). */
    provider?: aws.iam.OpenIdConnectProvider;
    /** The GitHub OIDC provider the role trusts: given, created, or the account's, looked up. */
    providerArn: pulumi.Output<string>;
}

/**
 * skreg's AwsOidc: a role GitHub Actions assumes through the account's GitHub OIDC provider (looked up by URL, given,
 * or created when `ci.createOidcProvider` is set; IAM keeps one per URL per account) from exactly the trusted subjects
 * (audience `sts.amazonaws.com`), allowed to log in to ECR and push to this platform's repositories, nothing else. It gets no ECS permissions: tags are immutable, so a
 * new image is deployed by changing `imageTag` through `pulumi up`, which runs with the deployer's own role.
 */
export function createCi(scope: ComponentScope, settings: PlatformSettings, ci: ResolvedCi, registry: RegistryResult): CiResult {
    const oidc = accountOidcProvider(scope, "github-oidc", {
        component: "ServicePlatform",
        issuerHost: GITHUB_ACTIONS_ISSUER_HOST,
        audience: GITHUB_ACTIONS_AUDIENCE,
        arn: ci.oidcProviderArn,
        create: ci.createOidcProvider,
        argumentPaths: { arn: "ci.oidcProviderArn", create: "ci.createOidcProvider" },
    });
    const role = new aws.iam.Role(
        scope.child("ci-role"),
        {
            name: iamRoleName(scope, "ci-push"),
            description: pulumi.interpolate`GitHub Actions (${ci.githubRepository}) pushes images to rampart ${settings.name} (${settings.stage})`,
            assumeRolePolicy: pulumi.all([oidc.arn, ci.subjects]).apply(([arn, subjects]) => JSON.stringify(githubTrustPolicy(arn, subjects))),
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
    return { role, provider: oidc.created, providerArn: oidc.arn };
}
