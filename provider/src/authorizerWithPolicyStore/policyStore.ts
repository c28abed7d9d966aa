/** The Verified Permissions policy store, its schema, policies and templates. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { adoptedLookup } from "../shared/resolvedValidation";
import { ComponentScope } from "../shared/scope";
import { ValidationMode } from "./args";
import { CedarReport, CedarSource } from "./cedar";
import { AuthorizerSettings } from "./settings";
import { renderStatement, USER_POOL_ID_PLACEHOLDER } from "./sources";
import { COMPONENT } from "./validate";

export interface PolicyStoreResources {
    /** The store rampart created; undefined when `policyStore.existingPolicyStoreId` adopts one. */
    store?: aws.verifiedpermissions.PolicyStore;
    schema?: aws.verifiedpermissions.Schema;
    /** Id and ARN of the store in use, created or adopted. */
    id: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

/**
 * The policy store and its schema, or, with `policyStore.existingPolicyStoreId`, the adopted store looked up at
 * preview (GetPolicyStore: a store missing from the stack's account and region fails the preview) with a schema
 * only when `policyStore.applySchema` says so. An adopted store is never a resource of this stack, so nothing
 * rampart does deletes or replaces it.
 */
export function createPolicyStore(scope: ComponentScope, settings: AuthorizerSettings, cedar: CedarReport): PolicyStoreResources {
    const existing = settings.policyStore.existingId;
    if (existing !== undefined) {
        // The look-up runs once the id is known (an id from another resource is checked as it resolves): a refused id
        // then fails the policies and the authorizer with the component's one error, not inside the invoke's arguments.
        const found = pulumi
            .output(existing)
            .apply((id) =>
                adoptedLookup(COMPONENT, scope.name, "policyStore.existingPolicyStoreId", id, "a Verified Permissions policy store", () =>
                    aws.verifiedpermissions.getPolicyStore({ id }, { parent: scope.component }),
                ),
            );
        const id = found.apply((s) => s.id);
        const schema = cedar.schema && settings.policyStore.applySchema ? createSchema(scope, id, cedar) : undefined;
        return { schema, id, arn: found.apply((s) => s.arn) };
    }
    const store = new aws.verifiedpermissions.PolicyStore(
        scope.child("policy-store"),
        {
            description: settings.policyStore.description ?? `${scope.name} (${scope.stage})`,
            validationSettings: { mode: settings.policyStore.validationMode === ValidationMode.Strict ? "STRICT" : "OFF" },
            deletionProtection: settings.deletionProtection ? "ENABLED" : "DISABLED",
            tags: scope.tags,
        },
        scope.dataOpts(),
    );
    const schema = cedar.schema ? createSchema(scope, store.policyStoreId, cedar) : undefined;
    return { store, schema, id: store.policyStoreId, arn: store.arn };
}

function createSchema(scope: ComponentScope, policyStoreId: pulumi.Input<string>, cedar: CedarReport): aws.verifiedpermissions.Schema {
    return new aws.verifiedpermissions.Schema(scope.child("schema"), { policyStoreId, definition: { value: JSON.stringify(cedar.schema) } }, scope.opts());
}

function statementFor(source: CedarSource, entityPrefix: pulumi.Input<string>): pulumi.Input<string> {
    if (!source.statement.includes(USER_POOL_ID_PLACEHOLDER)) return source.statement;
    return pulumi.output(entityPrefix).apply((prefix) => renderStatement(source.statement, prefix));
}

/**
 * One Policy per static policy and one PolicyTemplate per template, each depending on the schema:
 * with STRICT validation Verified Permissions rejects policies created before the schema.
 */
export function createPolicies(
    scope: ComponentScope,
    { id: policyStoreId, schema }: PolicyStoreResources,
    cedar: CedarReport,
    entityPrefix: pulumi.Input<string>,
): { policies: aws.verifiedpermissions.Policy[]; templates: aws.verifiedpermissions.PolicyTemplate[] } {
    const afterSchema = scope.opts({ dependsOn: schema ? [schema] : [] });
    const policies = cedar.policies.map(
        (p) =>
            new aws.verifiedpermissions.Policy(
                scope.child("policy", p.id),
                { policyStoreId, definition: { static: { statement: statementFor(p, entityPrefix), description: p.description } } },
                afterSchema,
            ),
    );
    const templates = cedar.templates.map(
        (t) =>
            new aws.verifiedpermissions.PolicyTemplate(
                scope.child("template", t.id),
                { policyStoreId, statement: statementFor(t, entityPrefix), description: t.description },
                afterSchema,
            ),
    );
    return { policies, templates };
}
