/**
 * A stand-in for Verified Permissions that decides with the real Cedar engine (cedar-wasm's
 * isAuthorized) over the schema and policies the component deploys: the sample folder, validated by
 * the component's own code and rendered with the same `{userPoolId}` substitution. Tokens become a
 * principal the way Verified Permissions maps Cognito tokens: `<pool id>|<sub>` with the
 * `cognito:groups` as `<pool id>|<group>` parents.
 */
import { decodeJwt } from "jose";
import type { AuthorizationClient, AuthorizationResult, EntityInput } from "../../../provider/lambda/authorizer/avp";
import type { EntityRef } from "../../../provider/lambda/authorizer/mapping";
import { cedarEngine } from "../../../provider/src/authorizerWithPolicyStore/cedar";
import { renderStatement } from "../../../provider/src/authorizerWithPolicyStore/sources";
import { validateAuthorizerArgs } from "../../../provider/src/authorizerWithPolicyStore/validate";
import { SAMPLE_POLICY_DIR, SAMPLE_SCHEMA_FILE } from "./fixtures";

export interface DeployedPolicyStore {
    policyStoreId: string;
    schema: object;
    /** Policy id to statement, as deployed (placeholders rendered). */
    policies: Record<string, string>;
    principalType: string;
    groupType: string;
    /** Prefix of user and group ids: the user pool id, or `jwt`. */
    entityPrefix: string;
}

/** The sample policy store as the component would deploy it for the given entity prefix. */
export function samplePolicyStore(entityPrefix: string, policyStoreId = "ps-test"): DeployedPolicyStore {
    const { cedar, settings, groupType } = validateAuthorizerArgs("auth", {
        stage: "test",
        accountAlias: "sandpit",
        policyStore: { schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR },
    });
    return {
        policyStoreId,
        schema: cedar.schema!,
        policies: Object.fromEntries(cedar.policies.map((p) => [p.id, renderStatement(p.statement, entityPrefix)])),
        principalType: settings.principalType,
        groupType,
        entityPrefix,
    };
}

export interface RecordedCall {
    api: "IsAuthorizedWithToken" | "IsAuthorized";
    request: unknown;
}

const uid = (e: EntityRef) => ({ type: e.type, id: e.id });

export function cedarClient(store: DeployedPolicyStore): AuthorizationClient & { calls: RecordedCall[] } {
    const calls: RecordedCall[] = [];
    const evaluate = (principal: EntityRef, action: EntityRef, resource: EntityRef, entities: EntityInput[]): AuthorizationResult => {
        const answer = cedarEngine().isAuthorized({
            principal: uid(principal),
            action: uid(action),
            resource: uid(resource),
            context: {},
            schema: store.schema as never,
            validateRequest: true,
            policies: { staticPolicies: store.policies },
            entities: entities.map((e) => ({ uid: uid(e.uid), attrs: {}, parents: e.parents.map(uid) })),
        });
        if (answer.type === "failure") {
            // Verified Permissions answers a request that does not fit the schema with a ValidationException.
            const error = new Error(answer.errors.map((e) => e.message).join("; "));
            error.name = "ValidationException";
            throw error;
        }
        return {
            decision: answer.response.decision === "allow" ? "ALLOW" : "DENY",
            determiningPolicies: answer.response.diagnostics.reason,
            errors: answer.response.diagnostics.errors.map((e) => e.error.message),
        };
    };
    const checkStore = (id: string) => {
        if (id !== store.policyStoreId) throw Object.assign(new Error(`no policy store ${id}`), { name: "ResourceNotFoundException" });
    };
    return {
        calls,
        async isAuthorizedWithToken(request) {
            calls.push({ api: "IsAuthorizedWithToken", request });
            checkStore(request.policyStoreId);
            const claims = decodeJwt((request.identityToken ?? request.accessToken)!);
            const principal = { type: store.principalType, id: `${store.entityPrefix}|${claims.sub}` };
            const groups = Array.isArray(claims["cognito:groups"]) ? (claims["cognito:groups"] as string[]) : [];
            const parents = groups.map((g) => ({ type: store.groupType, id: `${store.entityPrefix}|${g}` }));
            return evaluate(principal, request.action, request.resource, [{ uid: principal, parents }]);
        },
        async isAuthorized(request) {
            calls.push({ api: "IsAuthorized", request });
            checkStore(request.policyStoreId);
            return evaluate(request.principal, request.action, request.resource, request.entities);
        },
    };
}
