/** Second week of an AuthorizerWithPolicyStore (see secondWeek.ts). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { secondWeek } from "./secondWeek";
import { REPO_ROOT } from "./workspace";

const POLICIES = join(REPO_ROOT, "examples/authorizer-policies/policies");
const cedar = (id: string) => ({ id, statement: readFileSync(join(POLICIES, `${id}.cedar`), "utf8") });

secondWeek(
    "AuthorizerWithPolicyStore",
    "docs",
    {
        stage: "dev",
        accountAlias: "sandpit",
        policyStore: {
            schemaFile: join(REPO_ROOT, "examples/authorizer-policies/schema.cedarschema.json"),
            policies: ["admins", "only-admins-delete", "readers", "writers"].map(cedar),
            templates: [cedar("share-document")],
        },
        cognito: { groups: ["readers", "writers"] },
        tags: { team: "docs" },
    },
    [
        { name: "change the tags", apply: (a) => (a.tags = { team: "docs", costCenter: "cc-7" }), replacesNothing: true },
        { name: "add a Cognito group", apply: (a) => a.cognito.groups.push("admins") },
        {
            name: "edit a Cedar policy's condition",
            apply: (a) => (a.policyStore.policies[1].statement = a.policyStore.policies[1].statement.replace('|admins" }', '|admins" || principal in DocsApi::UserGroup::"{userPoolId}|writers" }')),
        },
        {
            name: "edit a Cedar policy's principal and effect",
            apply: (a) => (a.policyStore.policies[2].statement = a.policyStore.policies[2].statement.replace("permit", "forbid").replace("|readers", "|writers")),
        },
        { name: "add a Cognito app client the identity source trusts", apply: (a) => (a.cognito.appClients = ["mobile"]) },
        { name: "change the account alias", apply: (a) => (a.accountAlias = "sandbox") },
        {
            name: "add a sign-in alias",
            apply: (a) => (a.cognito.signInAliases = ["email", "preferred_username"]),
            refusedBecause: /cognito\.signInAliases: .*lose every user.*allowUserPoolReplacement/s,
            // From email as the username to email and preferred_username as aliases: Cognito can only do that
            // with a new, empty pool; the shared replacement guard refuses it (an aliasAttributes the pool
            // does not return counts as none).
        },
    ],
);
