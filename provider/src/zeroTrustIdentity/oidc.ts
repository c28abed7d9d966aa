import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { ExecutorRole, GithubOidc, GithubRole, PulumiOidc } from "./args";
import { accountOidcProvider, GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_ISSUER_HOST, PULUMI_ISSUER_HOST } from "../shared/oidcProvider";
import { isKnown } from "../shared/validation";
import { assumeRolesPolicy, executorTrustPolicy, githubSubjects, githubTrustPolicy, pulumiTrustPolicy } from "./policies";
import { checkedList, checkedValue } from "./resolved";
import { checkAssumableRoleArns, checkManagedPolicyArn, checkTrustedPrincipalArns } from "./validate";

export interface FederationResources {
    githubOidcProviderArn?: pulumi.Output<string>;
    /** Role ARNs by role name (the `name` argument, not the physical name). */
    roleArns: { [name: string]: pulumi.Output<string> };
}

interface RolePermissions {
    managedPolicyArns?: pulumi.Input<string>[];
    inlinePolicies?: { [name: string]: pulumi.Input<string> };
    assumableRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
}


function roleName(scope: ComponentScope, role: { name: string; roleName?: string }): string {
    return role.roleName ?? scope.physical("iamRoleName", role.name);
}

/**
 * Attaches managed policies, inline policies and the role-chaining policy to a role. `path` is the role's argument path
 * (`githubOidc.roles[0]`), for errors about values that resolve at deployment.
 */
function attachPermissions(scope: ComponentScope, kind: string, name: string, role: aws.iam.Role, permissions: RolePermissions, path: string): void {
    const opts = scope.opts({ parent: role });
    // One attachment per ARN, named by its position (existing stacks keep these names): the list stays plain, each ARN
    // may be an Output, checked when it resolves.
    (permissions.managedPolicyArns ?? []).forEach((arn, i) => {
        const policyArn = checkedValue(scope.name, arn, (v, resolved) => checkManagedPolicyArn(v, `${path}.managedPolicyArns[${i}]`, resolved));
        new aws.iam.RolePolicyAttachment(scope.child(kind, name, "managed", String(i)), { role: role.name, policyArn }, opts);
    });
    for (const [policyName, policy] of Object.entries(permissions.inlinePolicies ?? {})) {
        new aws.iam.RolePolicy(scope.child(kind, name, "inline", policyName), { role: role.id, name: policyName, policy }, opts);
    }
    // A plain empty list plans no policy (as before); an Output list plans it and must resolve to at least one ARN.
    const assumable = permissions.assumableRoleArns;
    if (assumable !== undefined && (!isKnown(assumable) || assumable.length > 0)) {
        const arns = checkedList(scope.name, assumable, (v, resolved) => checkAssumableRoleArns(v, `${path}.assumableRoleArns`, resolved, true));
        new aws.iam.RolePolicy(
            scope.child(kind, name, "assume-roles"),
            {
                role: role.id,
                name: "assume-executor-roles",
                policy: arns.apply((resolved) => JSON.stringify(assumeRolesPolicy(resolved))),
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
        for (const [i, role] of github.roles.entries()) {
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
            attachPermissions(scope, "github", role.name, created, role, `githubOidc.roles[${i}]`);
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
        for (const [i, role] of pulumiOidc.roles.entries()) {
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
            attachPermissions(scope, "pulumi", role.name, created, role, `pulumiOidc.roles[${i}]`);
            roleArns[role.name] = created.arn;
        }
    }

    for (const [i, role] of executors.entries()) {
        const path = `executorRoles[${i}]`;
        const principals = checkedList(scope.name, role.trustedPrincipalArns, (v, resolved) => checkTrustedPrincipalArns(v, `${path}.trustedPrincipalArns`, resolved));
        const created = new aws.iam.Role(
            scope.child("executor", role.name),
            {
                name: roleName(scope, role),
                description: "Deploy role assumed by CI roles of other accounts",
                assumeRolePolicy: pulumi
                    .all([principals, role.externalId])
                    .apply(([principals, externalId]) => JSON.stringify(executorTrustPolicy(principals, externalId))),
                maxSessionDuration: (role.maxSessionHours ?? 1) * 3600,
                tags: scope.tags,
            },
            opts,
        );
        attachPermissions(scope, "executor", role.name, created, role, path);
        roleArns[role.name] = created.arn;
    }

    return { githubOidcProviderArn, roleArns };
}
