/** The Cognito user pool, its app client, hosted UI domain and groups, and the Verified Permissions identity source. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GuardedResource, replacementIgnoreChanges, ReplacementGuard, sameValue } from "../shared/replacementGuard";
import { adoptedLookup } from "../shared/resolvedValidation";
import { ComponentScope } from "../shared/scope";
import { describeGiven, ValidationProblem } from "../shared/validation";
import { MfaMode } from "./args";
import { AuthorizerSettings } from "./settings";
import { COMPONENT } from "./validate";

export interface CognitoResources {
    /** The pool rampart created; undefined when `cognito.existingUserPoolId` adopts one. */
    pool?: aws.cognito.UserPool;
    /** Id and ARN of the pool in use, created or adopted. */
    poolId: pulumi.Output<string>;
    poolArn: pulumi.Output<string>;
    /** The default client first, then one per `appClients` name (none for an adopted pool). */
    clients: aws.cognito.UserPoolClient[];
    /** Ids of every client, once the pool is known to keep its users (see userPoolGuard); an adopted pool's `existingClientIds`. */
    clientIds: pulumi.Output<string[]>;
    domain?: aws.cognito.UserPoolDomain;
    groups: aws.cognito.UserGroup[];
}

/**
 * An adopted user pool, looked up at preview (DescribeUserPool: a pool missing from the stack's account and region
 * fails the preview). It is no resource of this stack: rampart never changes, replaces or deletes it.
 */
export function adoptCognito(scope: ComponentScope, settings: AuthorizerSettings): CognitoResources {
    // Looked up once the id is known: a refused id fails the consumers with the component's one error (policyStore.ts).
    const found = pulumi
        .output(settings.cognito.existingUserPoolId!)
        .apply((userPoolId) =>
            adoptedLookup(COMPONENT, scope.name, "cognito.existingUserPoolId", userPoolId, "a Cognito user pool", () => aws.cognito.getUserPool({ userPoolId }, { parent: scope.component })),
        );
    return { poolId: found.apply((p) => p.userPoolId), poolArn: found.apply((p) => p.arn), clients: [], clientIds: pulumi.output(settings.cognito.existingClientIds), groups: [] };
}

/**
 * Switching a stack from a created pool to an adopted one drops the created pool from the program, and the next `up`
 * would delete it with every user (Pulumi deletes what the program no longer declares). The component cannot see its
 * previous arguments or state, so it asks the account for a pool with the name rampart gives this component's pool
 * (ListUserPools) and refuses such a change at preview unless `cognito.allowUserPoolDeletion` is set. `retainOnDelete`
 * does not lift the refusal: Pulumi deletes a removed resource as its last `up` left it, so only an `up` before the
 * switch can retain it, and that cannot be told from here. An adopted id known only at deployment (`adoptedId`
 * undefined at preview) cannot be the pool that already exists, so every pool found is left behind. Pure: the
 * look-up's answer in, problems out.
 */
export function leftBehindPoolProblems(poolName: string, adoptedId: string | undefined, found: { ids: string[] }, given: unknown = adoptedId): ValidationProblem[] {
    const left = found.ids.filter((id) => adoptedId === undefined || id !== adoptedId).sort();
    if (left.length === 0) return [];
    return [
        {
            path: "cognito.existingUserPoolId",
            given: describeGiven(given),
            allowed:
                `this stack's own user pool "${poolName}" (${left.join(", ")}) still exists, and adopting another pool would delete it with every user in it ` +
                `(https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPool.html). To keep it, first run \`pulumi up\` with retainOnDelete true and no other change, ` +
                `then switch with cognito.allowUserPoolDeletion true (the pool then only leaves the stack); to let it be deleted with its users, set cognito.allowUserPoolDeletion true`,
        },
    ];
}

/**
 * The look-up leftBehindPoolProblems judges: pools with the name rampart gives this component's pool. The Terraform
 * data source (aws_cognito_user_pools) answers empty lists when no pool has the name.
 */
export async function findOwnPools(scope: ComponentScope): Promise<{ ids: string[] }> {
    const { ids = [] } = await aws.cognito.getUserPools({ name: scope.physical("cognitoUserPool") }, { parent: scope.component });
    return { ids };
}

const MFA: Record<MfaMode, string> = { [MfaMode.Off]: "OFF", [MfaMode.Optional]: "OPTIONAL", [MfaMode.Required]: "ON" };

/** Cognito's usernameAttributes accept e-mail and phone only; preferred_username needs aliasAttributes. */
export function signInAttributes(aliases: string[]): { usernameAttributes?: string[]; aliasAttributes?: string[] } {
    return aliases.every((a) => a === "email" || a === "phone_number") ? { usernameAttributes: aliases } : { aliasAttributes: aliases };
}

export function emailConfiguration(settings: AuthorizerSettings): aws.types.input.cognito.UserPoolEmailConfiguration {
    const ses = settings.cognito.ses;
    if (!ses) return { emailSendingAccount: "COGNITO_DEFAULT" };
    return {
        emailSendingAccount: "DEVELOPER",
        sourceArn: ses.sourceArn,
        fromEmailAddress: ses.fromEmail,
        replyToEmailAddress: ses.replyToEmail,
        configurationSet: ses.configurationSet,
    };
}

/**
 * Essentials tier, no threat protection (advanced security needs the paid Plus tier), TOTP MFA,
 * users created by administrators, app client without a secret (SRP and refresh only), existence
 * errors hidden, token revocation on.
 */
export function createCognito(scope: ComponentScope, settings: AuthorizerSettings): CognitoResources {
    const c = settings.cognito;
    const signIn = signInAttributes(c.signInAliases);
    const poolGuard = userPoolGuard(scope, signIn, c.allowUserPoolReplacement);
    const email = c.signInAliases.includes("email");
    const pool = new aws.cognito.UserPool(
        scope.child("user-pool"),
        {
            name: scope.physical("cognitoUserPool"),
            ...signIn,
            autoVerifiedAttributes: email ? ["email"] : [],
            usernameConfiguration: { caseSensitive: false },
            userPoolTier: "ESSENTIALS",
            mfaConfiguration: MFA[c.mfa],
            softwareTokenMfaConfiguration: c.mfa === MfaMode.Off ? undefined : { enabled: true },
            passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 3 },
            adminCreateUserConfig: { allowAdminCreateUserOnly: true },
            accountRecoverySetting: email ? { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] } : undefined,
            emailConfiguration: emailConfiguration(settings),
            deletionProtection: settings.deletionProtection ? "ACTIVE" : "INACTIVE",
            tags: scope.tags,
        },
        scope.dataOpts(poolGuard.allow ? {} : { ignoreChanges: replacementIgnoreChanges(poolGuard) }),
    );
    const guard = new ReplacementGuard(COMPONENT, scope.name);
    guard.watch(pool, poolGuard);
    const guardedPoolId = guard.release(pool.id);
    const client = (logicalName: string, physicalName: string) =>
        new aws.cognito.UserPoolClient(
            logicalName,
            {
                name: physicalName,
                userPoolId: guardedPoolId,
                generateSecret: false,
                explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                supportedIdentityProviders: ["COGNITO"],
            },
            scope.opts(),
        );
    const clients = [client(scope.child("client"), scope.physical("cognitoUserPool", "client")), ...c.appClients.map((name) => client(scope.child("client", name), name))];
    const domain = new aws.cognito.UserPoolDomain(scope.child("domain"), { domain: c.domainPrefix, userPoolId: pool.id }, scope.opts());
    const groups = c.groups.map((group) => new aws.cognito.UserGroup(scope.child("group", group), { name: group, userPoolId: pool.id }, scope.opts()));
    return { pool, poolId: pool.id, poolArn: pool.arn, clients, clientIds: pulumi.all(clients.map((cl) => cl.id)), domain, groups };
}

/**
 * The user pool under the shared replacement guard: its sign-in attributes are fixed once it exists (ignoreChanges), and
 * a request for others fails preview and `up` with one error naming `cognito.signInAliases`, unless
 * `cognito.allowUserPoolReplacement` is set. The guard also decides what a property the provider did not return means
 * (none), which a plain `apply` cannot: at preview such an output is unknown.
 */
export function userPoolGuard(scope: ComponentScope, signIn: { usernameAttributes?: string[]; aliasAttributes?: string[] }, allow: boolean): GuardedResource {
    const sorted = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort() : v);
    const property = (name: "usernameAttributes" | "aliasAttributes") => ({
        property: name,
        argument: "cognito.signInAliases",
        wanted: signIn[name],
        matches: (reported: unknown, wanted: unknown) => sameValue(sorted(reported), sorted(wanted)),
        describeReported: (reported: unknown) => `${name} ${JSON.stringify(Array.isArray(reported) ? reported : [])}`,
        describeWanted: () => describeGiven([...(signIn.usernameAttributes ?? []), ...(signIn.aliasAttributes ?? [])]),
    });
    return {
        label: `the Cognito user pool "${scope.physical("cognitoUserPool")}"`,
        loses: "every user in it",
        allowArgument: "cognito.allowUserPoolReplacement",
        allow,
        source: "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-aliases",
        properties: [property("usernameAttributes"), property("aliasAttributes")],
        fixedWith: ["usernameConfiguration"],
    };
}

/** Lets Verified Permissions accept the pool's tokens from the app client, with groups as `groupType` parents. */
export function createIdentitySource(
    scope: ComponentScope,
    inputs: { policyStoreId: pulumi.Input<string>; cognito: CognitoResources; principalType: string; groupType: string; dependsOn: pulumi.Resource[] },
): aws.verifiedpermissions.IdentitySource {
    return new aws.verifiedpermissions.IdentitySource(
        scope.child("identity-source"),
        {
            policyStoreId: inputs.policyStoreId,
            principalEntityType: inputs.principalType,
            configuration: {
                cognitoUserPoolConfiguration: {
                    userPoolArn: inputs.cognito.poolArn,
                    clientIds: inputs.cognito.clientIds,
                    groupConfiguration: { groupEntityType: inputs.groupType },
                },
            },
        },
        scope.opts({ dependsOn: inputs.dependsOn }),
    );
}
