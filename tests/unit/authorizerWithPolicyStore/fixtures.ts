/** Shared test inputs: the sample schema and policies of examples/authorizer-policies, and small inline schemas. */
import { readFileSync } from "fs";
import { join, resolve } from "path";

export const EXAMPLE_DIR = resolve(__dirname, "../../../examples/authorizer-policies");
export const SAMPLE_SCHEMA_FILE = join(EXAMPLE_DIR, "schema.cedarschema.json");
export const SAMPLE_POLICY_DIR = join(EXAMPLE_DIR, "policies");
export const SAMPLE_SCHEMA = readFileSync(SAMPLE_SCHEMA_FILE, "utf8");

/** A minimal valid schema in namespace `App`: User in UserGroup, Resource, actions `GET /items` and `DELETE /items/{id}`. */
export const APP_SCHEMA = JSON.stringify({
    App: {
        entityTypes: { User: { memberOfTypes: ["UserGroup"] }, UserGroup: {}, Resource: {} },
        actions: {
            "GET /items": { appliesTo: { principalTypes: ["User"], resourceTypes: ["Resource"] } },
            "DELETE /items/{id}": { appliesTo: { principalTypes: ["User"], resourceTypes: ["Resource"] } },
        },
    },
});

export const ALLOW_ALL_GET = 'permit(principal, action == App::Action::"GET /items", resource);';
