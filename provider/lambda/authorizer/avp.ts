import { IsAuthorizedCommand, IsAuthorizedWithTokenCommand, VerifiedPermissionsClient } from "@aws-sdk/client-verifiedpermissions";
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

interface SdkResponse {
    decision?: string;
    determiningPolicies?: { policyId?: string }[];
    errors?: { errorDescription?: string }[];
}

function result(response: SdkResponse): AuthorizationResult {
    return {
        decision: response.decision,
        determiningPolicies: (response.determiningPolicies ?? []).map((p) => p.policyId ?? "").filter(Boolean),
        errors: (response.errors ?? []).map((e) => e.errorDescription ?? "").filter(Boolean),
    };
}

/** The AWS SDK v3 implementation. */
export function verifiedPermissionsClient(client = new VerifiedPermissionsClient({})): AuthorizationClient {
    return {
        async isAuthorizedWithToken(request) {
            const response = await client.send(
                new IsAuthorizedWithTokenCommand({
                    policyStoreId: request.policyStoreId,
                    identityToken: request.identityToken,
                    accessToken: request.accessToken,
                    action: { actionType: request.action.type, actionId: request.action.id },
                    resource: identifier(request.resource),
                }),
            );
            return result(response);
        },
        async isAuthorized(request) {
            const response = await client.send(
                new IsAuthorizedCommand({
                    policyStoreId: request.policyStoreId,
                    principal: identifier(request.principal),
                    action: { actionType: request.action.type, actionId: request.action.id },
                    resource: identifier(request.resource),
                    entities: { entityList: request.entities.map((e) => ({ identifier: identifier(e.uid), parents: e.parents.map(identifier) })) },
                }),
            );
            return result(response);
        },
    };
}
