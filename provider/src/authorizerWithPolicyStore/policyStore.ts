/** The Verified Permissions policy store, its schema, policies and templates. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { ValidationMode } from "./args";
import { CedarReport, CedarSource } from "./cedar";
import { AuthorizerSettings } from "./settings";
import { renderStatement, USER_POOL_ID_PLACEHOLDER } from "./sources";

export interface PolicyStoreResources {
    store: aws.verifiedpermissions.PolicyStore;
    schema?: aws.verifiedpermissions.Schema;
}

export function createPolicyStore(scope: ComponentScope, settings: AuthorizerSettings, cedar: CedarReport): PolicyStoreResources {
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
    const schema = cedar.schema
        ? new aws.verifiedpermissions.Schema(scope.child("schema"), { policyStoreId: store.policyStoreId, definition: { value: JSON.stringify(cedar.schema) } }, scope.opts())
        : undefined;
    return { store, schema };
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
    { store, schema }: PolicyStoreResources,
    cedar: CedarReport,
    entityPrefix: pulumi.Input<string>,
): { policies: aws.verifiedpermissions.Policy[]; templates: aws.verifiedpermissions.PolicyTemplate[] } {
    const afterSchema = scope.opts({ dependsOn: schema ? [schema] : [] });
    const policies = cedar.policies.map(
        (p) =>
            new aws.verifiedpermissions.Policy(
                scope.child("policy", p.id),
                { policyStoreId: store.policyStoreId, definition: { static: { statement: statementFor(p, entityPrefix), description: p.description } } },
                afterSchema,
            ),
    );
    const templates = cedar.templates.map(
        (t) =>
            new aws.verifiedpermissions.PolicyTemplate(
                scope.child("template", t.id),
                { policyStoreId: store.policyStoreId, statement: statementFor(t, entityPrefix), description: t.description },
                afterSchema,
            ),
    );
    return { policies, templates };
}
