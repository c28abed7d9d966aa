/** The Cognito user pool, its app client, hosted UI domain and groups, and the Verified Permissions identity source. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { MfaMode } from "./args";
import { AuthorizerSettings } from "./settings";

export interface CognitoResources {
    pool: aws.cognito.UserPool;
    client: aws.cognito.UserPoolClient;
    domain: aws.cognito.UserPoolDomain;
    groups: aws.cognito.UserGroup[];
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
    const email = c.signInAliases.includes("email");
    const pool = new aws.cognito.UserPool(
        scope.child("user-pool"),
        {
            name: scope.physical("cognitoUserPool"),
            ...signInAttributes(c.signInAliases),
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
        scope.dataOpts(),
    );
    const client = new aws.cognito.UserPoolClient(
        scope.child("client"),
        {
            name: scope.physical("cognitoUserPool", "client"),
            userPoolId: pool.id,
            generateSecret: false,
            explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
            supportedIdentityProviders: ["COGNITO"],
        },
        scope.opts(),
    );
    const domain = new aws.cognito.UserPoolDomain(scope.child("domain"), { domain: c.domainPrefix, userPoolId: pool.id }, scope.opts());
    const groups = c.groups.map((group) => new aws.cognito.UserGroup(scope.child("group", group), { name: group, userPoolId: pool.id }, scope.opts()));
    return { pool, client, domain, groups };
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
                    clientIds: [inputs.cognito.client.id],
                    groupConfiguration: { groupEntityType: inputs.groupType },
                },
            },
        },
        scope.opts({ dependsOn: inputs.dependsOn }),
    );
}
