import { awsJsonClient, type AwsJsonClient } from "./awsJson";
import type { EntityRef } from "./mapping";

/** An entity sent with IsAuthorized: the principal and its groups. */
export interface EntityInput {
    uid: EntityRef;
    parents: EntityRef[];
}

export interface TokenAuthorizationRequest {
    policyStoreId: string;
    /** Exactly one of identityToken (Cognito ID token) and accessToken. */
    identityToken?: string;
    accessToken?: string;
    action: EntityRef;
    resource: EntityRef;
}

export interface AuthorizationRequest {
    policyStoreId: string;
    principal: EntityRef;
    action: EntityRef;
    resource: EntityRef;
    entities: EntityInput[];
}

export interface AuthorizationResult {
    /** Verified Permissions answers "ALLOW" or "DENY"; anything else is treated as a deny. */
    decision: string | undefined;
    determiningPolicies: string[];
    errors: string[];
}

/** The two Verified Permissions calls the authorizer makes; tests replace it with a Cedar-evaluating adapter. */
export interface AuthorizationClient {
    isAuthorizedWithToken(request: TokenAuthorizationRequest): Promise<AuthorizationResult>;
    isAuthorized(request: AuthorizationRequest): Promise<AuthorizationResult>;
}

const identifier = (e: EntityRef) => ({ entityType: e.type, entityId: e.id });

interface AvpResponse {
    decision?: string;
    determiningPolicies?: { policyId?: string }[];
    errors?: { errorDescription?: string }[];
}

function result(response: AvpResponse): AuthorizationResult {
    return {
        decision: response.decision,
        determiningPolicies: (response.determiningPolicies ?? []).map((p) => p.policyId ?? "").filter(Boolean),
        errors: (response.errors ?? []).map((e) => e.errorDescription ?? "").filter(Boolean),
    };
}

/** Verified Permissions' JSON API (awsJson1_0, target prefix `VerifiedPermissions`), signed with the execution role's credentials. */
export function verifiedPermissionsClient(region: string, aws: AwsJsonClient = awsJsonClient()): AuthorizationClient {
    const call = async (operation: string, body: unknown) => result((await aws.call({ service: "verifiedpermissions", region, target: `VerifiedPermissions.${operation}`, jsonVersion: "1.0", body })) as AvpResponse);
    return {
        isAuthorizedWithToken: (request) =>
            call("IsAuthorizedWithToken", {
                policyStoreId: request.policyStoreId,
                identityToken: request.identityToken,
                accessToken: request.accessToken,
                action: { actionType: request.action.type, actionId: request.action.id },
                resource: identifier(request.resource),
            }),
        isAuthorized: (request) =>
            call("IsAuthorized", {
                policyStoreId: request.policyStoreId,
                principal: identifier(request.principal),
                action: { actionType: request.action.type, actionId: request.action.id },
                resource: identifier(request.resource),
                entities: { entityList: request.entities.map((e) => ({ identifier: identifier(e.uid), parents: e.parents.map(identifier) })) },
            }),
    };
}
