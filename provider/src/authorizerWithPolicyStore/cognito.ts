/** The Cognito user pool, its app client, hosted UI domain and groups, and the Verified Permissions identity source. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { ComponentValidationError, describeGiven } from "../shared/validation";
import { MfaMode } from "./args";
import { AuthorizerSettings } from "./settings";
import { COMPONENT } from "./validate";

export interface CognitoResources {
    pool: aws.cognito.UserPool;
    /** The default client first, then one per `appClients` name. */
    clients: aws.cognito.UserPoolClient[];
    /** Ids of every client, once the pool is known to keep its users (see signInGuard). */
    clientIds: pulumi.Output<string[]>;
    domain: aws.cognito.UserPoolDomain;
    groups: aws.cognito.UserGroup[];
}

/**
 * User pool properties Cognito cannot change in place: a change creates a new, empty pool (ForceNew
 * in the Terraform AWS provider the Pulumi AWS provider is built from,
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cognito_user_pool).
 */
export const USER_POOL_REPLACING_PROPERTIES = ["usernameAttributes", "aliasAttributes", "usernameConfiguration"] as const;

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
        // Fixed once the pool exists unless replacement is allowed: the pool then reports the sign-in
        // attributes it was created with, and signInGuard refuses a different request at preview.
        scope.dataOpts(c.allowUserPoolReplacement ? {} : { ignoreChanges: [...USER_POOL_REPLACING_PROPERTIES] }),
    );
    const guardedPoolId = c.allowUserPoolReplacement ? pool.id : signInGuard(scope, pool, signIn);
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
    return { pool, clients, clientIds: pulumi.all(clients.map((cl) => cl.id)), domain, groups };
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined) => JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());

type SignInKind = "usernameAttributes" | "aliasAttributes";

/** The error for a pool that reports `actual` for `kind` while `wanted` asks otherwise; undefined when they agree. */
export function signInChangeError(resourceName: string, poolId: string, kind: SignInKind, actual: string[] | undefined, wanted: { usernameAttributes?: string[]; aliasAttributes?: string[] }): ComponentValidationError | undefined {
    if (sameList(actual, wanted[kind])) return undefined;
    return new ComponentValidationError(COMPONENT, resourceName, [
        {
            path: "cognito.signInAliases",
            given: describeGiven([...(wanted.usernameAttributes ?? []), ...(wanted.aliasAttributes ?? [])]),
            allowed:
                `the user pool ${poolId} has ${kind} ${JSON.stringify(actual ?? [])}, fixed when it was created; Cognito cannot change them, so this would replace the pool and lose every user. ` +
                `Keep the pool's sign-in aliases, or set cognito.allowUserPoolReplacement to true to replace the pool`,
        },
    ]);
}

/**
 * The pool's id for its clients, failing with one validation error when the pool reports sign-in
 * attributes other than those asked for: with ignoreChanges the pool keeps (and reports) what it
 * was created with, so a difference is a change that would replace the pool.
 *
 * At preview a pool output the provider did not return is unknown, so the clients depend only on
 * the attribute this configuration uses (known for an unchanged pool: no spurious diff); the other
 * attribute is checked on its own and reported as an error diagnostic, which fails the preview too.
 * Unknown values (a pool being created) pass.
 */
export function signInGuard(scope: ComponentScope, pool: aws.cognito.UserPool, wanted: { usernameAttributes?: string[]; aliasAttributes?: string[] }): pulumi.Output<string> {
    const used: SignInKind = wanted.usernameAttributes ? "usernameAttributes" : "aliasAttributes";
    const other: SignInKind = used === "usernameAttributes" ? "aliasAttributes" : "usernameAttributes";
    pulumi.all([pool.id, pool[other]]).apply(([id, actual]) => {
        const error = signInChangeError(scope.name, id, other, actual, wanted);
        if (error) pulumi.log.error(error.message, scope.component);
    });
    return pulumi.all([pool.id, pool[used]]).apply(([id, actual]) => {
        const error = signInChangeError(scope.name, id, used, actual, wanted);
        if (error) throw error;
        return id;
    });
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
                    userPoolArn: inputs.cognito.pool.arn,
                    clientIds: inputs.cognito.clientIds,
                    groupConfiguration: { groupEntityType: inputs.groupType },
                },
            },
        },
        scope.opts({ dependsOn: inputs.dependsOn }),
    );
}
