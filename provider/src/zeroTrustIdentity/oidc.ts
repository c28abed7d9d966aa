import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { ExecutorRole, GithubOidc, GithubRole, PulumiOidc } from "./args";
import { accountOidcProvider, GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_ISSUER_HOST, PULUMI_ISSUER_HOST } from "../shared/oidcProvider";
import { assumeRolesPolicy, executorTrustPolicy, githubSubjects, githubTrustPolicy, pulumiTrustPolicy } from "./policies";

export interface FederationResources {
    githubOidcProviderArn?: pulumi.Output<string>;
    /** Role ARNs by role name (the `name` argument, not the physical name). */
    roleArns: { [name: string]: pulumi.Output<string> };
}

interface RolePermissions {
    managedPolicyArns?: pulumi.Input<string>[];
    inlinePolicies?: { [name: string]: pulumi.Input<string> };
    assumableRoleArns?: pulumi.Input<string>[];
}

function roleName(scope: ComponentScope, role: { name: string; roleName?: string }): string {
    return role.roleName ?? scope.physical("iamRoleName", role.name);
}

/** Attaches managed policies, inline policies and the role-chaining policy to a role. */
function attachPermissions(scope: ComponentScope, kind: string, name: string, role: aws.iam.Role, permissions: RolePermissions): void {
    const opts = scope.opts({ parent: role });
    (permissions.managedPolicyArns ?? []).forEach((policyArn, i) => {
        new aws.iam.RolePolicyAttachment(scope.child(kind, name, "managed", String(i)), { role: role.name, policyArn }, opts);
    });
    for (const [policyName, policy] of Object.entries(permissions.inlinePolicies ?? {})) {
        new aws.iam.RolePolicy(scope.child(kind, name, "inline", policyName), { role: role.id, name: policyName, policy }, opts);
    }
    if (permissions.assumableRoleArns?.length) {
        new aws.iam.RolePolicy(
            scope.child(kind, name, "assume-roles"),
            {
                role: role.id,
                name: "assume-executor-roles",
                policy: pulumi.all(permissions.assumableRoleArns).apply((arns) => JSON.stringify(assumeRolesPolicy(arns))),
            },
            opts,
        );
    }
}

function warnAboutWildcards(scope: ComponentScope, role: GithubRole): void {
    const { wildcard } = githubSubjects(role);
    if (wildcard.length) {
        pulumi.log.warn(
            `GitHub role "${role.name}" admits wildcard subjects ${wildcard.map((s) => JSON.stringify(s)).join(", ")} (allowWildcardSubjects): every workflow matching them can assume it`,
            scope.component,
        );
    }
}

/** GitHub Actions and Pulumi Deployments OIDC roles (trusting the account's OIDC providers) and executor roles. */
export function createFederation(
    scope: ComponentScope,
    github: GithubOidc | undefined,
    pulumiOidc: PulumiOidc | undefined,
    executors: ExecutorRole[],
): FederationResources {
    const roleArns: { [name: string]: pulumi.Output<string> } = {};
    const opts = scope.opts();
    let githubOidcProviderArn: pulumi.Output<string> | undefined;

    if (github) {
        // AWS verifies GitHub's tokens against its own trusted CAs; no thumbprint is needed.
        githubOidcProviderArn = accountOidcProvider(scope, "github-oidc", {
            component: "ZeroTrustIdentity",
            issuerHost: GITHUB_ACTIONS_ISSUER_HOST,
            audience: GITHUB_ACTIONS_AUDIENCE,
            arn: github.providerArn,
            create: github.createProvider,
            argumentPaths: { arn: "githubOidc.providerArn", create: "githubOidc.createProvider" },
        }).arn;
        for (const role of github.roles) {
            warnAboutWildcards(scope, role);
            const created = new aws.iam.Role(
                scope.child("github", role.name),
                {
                    name: roleName(scope, role),
                    description: `GitHub Actions OIDC role for ${role.repository}`,
                    assumeRolePolicy: githubOidcProviderArn.apply((arn) => JSON.stringify(githubTrustPolicy(arn, role))),
                    maxSessionDuration: (role.maxSessionHours ?? 1) * 3600,
                    tags: { ...scope.tags, Repository: role.repository },
                },
                opts,
            );
            attachPermissions(scope, "github", role.name, created, role);
            roleArns[role.name] = created.arn;
        }
    }

    if (pulumiOidc) {
        const providerArn = accountOidcProvider(scope, "pulumi-oidc", {
            component: "ZeroTrustIdentity",
            issuerHost: PULUMI_ISSUER_HOST,
            audience: pulumiOidc.organization,
            arn: pulumiOidc.providerArn,
            create: pulumiOidc.createProvider,
            argumentPaths: { arn: "pulumiOidc.providerArn", create: "pulumiOidc.createProvider" },
        }).arn;
        for (const role of pulumiOidc.roles) {
            const created = new aws.iam.Role(
                scope.child("pulumi", role.name),
                {
                    name: roleName(scope, role),
                    description: `Pulumi Deployments OIDC role for ${pulumiOidc.organization}/${role.project}`,
                    assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(pulumiTrustPolicy(arn, pulumiOidc.organization, role.project, role.stacks ?? []))),
                    maxSessionDuration: (role.maxSessionHours ?? 1) * 3600,
                    tags: scope.tags,
                },
                opts,
            );
            attachPermissions(scope, "pulumi", role.name, created, role);
            roleArns[role.name] = created.arn;
        }
    }

    for (const role of executors) {
        const created = new aws.iam.Role(
            scope.child("executor", role.name),
            {
                name: roleName(scope, role),
                description: "Deploy role assumed by CI roles of other accounts",
                assumeRolePolicy: pulumi
                    .all([pulumi.all(role.trustedPrincipalArns), role.externalId])
                    .apply(([principals, externalId]) => JSON.stringify(executorTrustPolicy(principals, externalId))),
                maxSessionDuration: (role.maxSessionHours ?? 1) * 3600,
                tags: scope.tags,
            },
            opts,
        );
        attachPermissions(scope, "executor", role.name, created, role);
        roleArns[role.name] = created.arn;
    }

    return { githubOidcProviderArn, roleArns };
}
