/** Every argument with its default filled in, by profile: what the resource modules build from. */
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { byProfile, Profile, resolveProfile } from "../shared/profile";
import { isKnown } from "../shared/validation";
import { AuthorizerWithPolicyStoreArgs, LambdaArchitecture, MfaMode, SesConfig, TokenSource, ValidationMode } from "./args";
import { qualify } from "./cedar";

export const DEFAULT_ACTION_ID_TEMPLATE = "{method} {route}";
export const DEFAULT_RESOURCE_ID_TEMPLATE = "{path}";
/** VP-14's cost cap for per-PR stages: one authorizer instance at a time. */
export const EPHEMERAL_RESERVED_CONCURRENCY = 1;

export interface MappingSettings {
    actionType: string;
    actionIdTemplate: string;
    resourceType: string;
    resourceIdTemplate: string;
}

export interface AuthorizerSettings {
    profile: Profile;
    retainOnDelete: boolean;
    protectDataStores: boolean;
    deletionProtection: boolean;
    policyStore: {
        validationMode: ValidationMode;
        description?: string;
        /** The adopted store's id (an Output when it comes from another resource); undefined when rampart creates the store. */
        existingId?: pulumi.Input<string>;
        /** Whether a Schema resource puts the schema into the store (always for a created store). */
        applySchema: boolean;
        /** Whether rampart creates the identity source (always for a created store with Cognito). */
        createIdentitySource: boolean;
    };
    cognito: {
        enabled: boolean;
        signInAliases: string[];
        mfa: MfaMode;
        ses?: SesConfig;
        domainPrefix: string;
        groups: string[];
        appClients: string[];
        allowUserPoolReplacement: boolean;
        /** The adopted pool's id (an ARN given is reduced to its id, an Output when it resolves); undefined when rampart creates the pool. */
        existingUserPoolId?: pulumi.Input<string>;
        /** App client ids of the adopted pool. */
        existingClientIds: pulumi.Input<pulumi.Input<string>[]>;
        allowUserPoolDeletion: boolean;
    };
    authorizer: {
        tokenSource: TokenSource;
        /** Expected `iss` and `aud` of HS256 tokens (jwtSecret mode). */
        jwtIssuer?: pulumi.Input<string>;
        jwtAudience?: pulumi.Input<string>;
        memorySize: number;
        reservedConcurrency: number;
        provisionedConcurrency: number;
        timeoutSeconds: number;
        logRetentionDays: number;
        architecture: LambdaArchitecture;
        cacheTtlSeconds: number;
        mapping: MappingSettings;
    };
    table: { streams: boolean; pointInTimeRecovery: boolean; ttlAttribute?: string };
    /** Entity type of principals (`<namespace>::User`). */
    principalType: string;
}

/**
 * The hosted UI domain prefix when none is given: `<name>-<stage>-<accountAlias>`. Prefixes are
 * unique per region across all AWS accounts, so the account alias is included (an exception the
 * VP-14 naming rules make for globally unique names).
 */
export function defaultDomainPrefix(name: string, stage: string, accountAlias: string): string {
    return physicalName("cognitoDomainPrefix", { prefix: name, stage, suffix: accountAlias });
}

/** The pool id of a user pool id or ARN (`arn:...:userpool/<id>`). */
export function userPoolIdOf(idOrArn: string): string {
    return idOrArn.startsWith("arn:") ? idOrArn.slice(idOrArn.lastIndexOf("/") + 1) : idOrArn;
}

/** userPoolIdOf a value now, or of an Output when it resolves. */
export function userPoolIdOfInput(idOrArn: pulumi.Input<string>): pulumi.Input<string> {
    return isKnown(idOrArn) ? userPoolIdOf(idOrArn) : pulumi.output(idOrArn).apply(userPoolIdOf);
}

export function resolveSettings(name: string, args: AuthorizerWithPolicyStoreArgs, namespace: string | undefined): AuthorizerSettings {
    const profile = resolveProfile(args.profile);
    const defaults = <T>(given: T | undefined, ephemeral: T, production: T) => byProfile(profile, given, { ephemeral, production });
    const cognito = args.cognito ?? {};
    const auth = args.authorizer ?? {};
    const mapping = auth.actionMapping ?? {};
    const table = args.table ?? {};
    return {
        profile,
        retainOnDelete: defaults(args.retainOnDelete, false, true),
        protectDataStores: defaults(args.protectDataStores, false, true),
        deletionProtection: defaults(args.deletionProtection, false, true),
        policyStore: {
            validationMode: args.policyStore.validationMode ?? ValidationMode.Strict,
            description: args.policyStore.description,
            existingId: args.policyStore.existingPolicyStoreId,
            applySchema: args.policyStore.existingPolicyStoreId === undefined || args.policyStore.applySchema === true,
            createIdentitySource: args.policyStore.existingPolicyStoreId === undefined || args.policyStore.createIdentitySource === true,
        },
        cognito: {
            // An adopted pool turns Cognito on whatever the profile.
            enabled: cognito.existingUserPoolId !== undefined ? cognito.enabled !== false : defaults(cognito.enabled, true, false),
            signInAliases: cognito.signInAliases ?? ["email"],
            mfa: cognito.mfa ?? MfaMode.Optional,
            ses: cognito.sesConfig,
            domainPrefix: cognito.domainPrefix ?? defaultDomainPrefix(name, args.stage, args.accountAlias),
            groups: cognito.groups ?? [],
            appClients: cognito.appClients ?? [],
            allowUserPoolReplacement: cognito.allowUserPoolReplacement ?? false,
            existingUserPoolId: cognito.existingUserPoolId === undefined ? undefined : userPoolIdOfInput(cognito.existingUserPoolId),
            existingClientIds: cognito.existingClientIds ?? [],
            allowUserPoolDeletion: cognito.allowUserPoolDeletion === true,
        },
        authorizer: {
            tokenSource: auth.tokenSource ?? TokenSource.IdentitySource,
            jwtIssuer: auth.jwtIssuer,
            jwtAudience: auth.jwtAudience,
            memorySize: auth.memorySize ?? 128,
            reservedConcurrency: defaults(auth.reservedConcurrency, EPHEMERAL_RESERVED_CONCURRENCY, 0),
            provisionedConcurrency: auth.provisionedConcurrency ?? 0,
            timeoutSeconds: auth.timeoutSeconds ?? 5,
            logRetentionDays: defaults(auth.logRetentionDays, 7, 90),
            architecture: auth.architecture ?? LambdaArchitecture.Arm64,
            cacheTtlSeconds: auth.cacheTtlSeconds ?? 300,
            mapping: {
                actionType: mapping.actionType ?? qualify("Action", namespace),
                actionIdTemplate: mapping.actionIdTemplate ?? DEFAULT_ACTION_ID_TEMPLATE,
                resourceType: mapping.resourceType ?? qualify("Resource", namespace),
                resourceIdTemplate: mapping.resourceIdTemplate ?? DEFAULT_RESOURCE_ID_TEMPLATE,
            },
        },
        table: { streams: table.streams ?? false, pointInTimeRecovery: defaults(table.pointInTimeRecovery, false, true), ttlAttribute: table.ttlAttribute },
        principalType: qualify("User", namespace),
    };
}
