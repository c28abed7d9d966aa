import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { AuthorizerWithPolicyStore, AuthorizerWithPolicyStoreArgs, LambdaArchitecture, MfaMode, TokenSource, ValidationMode } from "../../../provider/src/authorizerWithPolicyStore";
import { ENV } from "../../../provider/lambda/authorizer/config";
import { authorizerBundlePath, packageRoot } from "../../../provider/src/authorizerWithPolicyStore/lambdaAsset";
import { Profile } from "../../../provider/src/shared/profile";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { assertGuardrails } from "../../utils/guardrails";
import { ACCOUNT_ID, record, RecordedResource, REGION, resolve as resolveOutput, ResourceRecorder, withRejectionsCollected } from "../../utils/harness";
import { SAMPLE_POLICY_DIR, SAMPLE_SCHEMA_FILE } from "./fixtures";

const ROOT = resolve(__dirname, "../../..");
const T = {
    component: "rampart:index:AuthorizerWithPolicyStore",
    store: "aws:verifiedpermissions/policyStore:PolicyStore",
    schema: "aws:verifiedpermissions/schema:Schema",
    policy: "aws:verifiedpermissions/policy:Policy",
    template: "aws:verifiedpermissions/policyTemplate:PolicyTemplate",
    identitySource: "aws:verifiedpermissions/identitySource:IdentitySource",
    pool: "aws:cognito/userPool:UserPool",
    client: "aws:cognito/userPoolClient:UserPoolClient",
    domain: "aws:cognito/userPoolDomain:UserPoolDomain",
    group: "aws:cognito/userGroup:UserGroup",
    table: "aws:dynamodb/table:Table",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    fn: "aws:lambda/function:Function",
    alias: "aws:lambda/alias:Alias",
    provisioned: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    permission: "aws:lambda/permission:Permission",
    password: "random:index/randomPassword:RandomPassword",
};
const TAGGABLE = [T.store, T.pool, T.table, T.logGroup, T.role, T.fn, T.secret];

const JWT_SECRET = "prod-hs256-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const SES_ARN = `arn:aws:ses:us-east-1:${ACCOUNT_ID}:identity/example.com`;
const JWT_CLAIMS = { jwtIssuer: "https://auth.example.com", jwtAudience: "docs-api" };
const API_EXECUTION_ARN = `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:a1b2c3d4e5`;

/** The ephemeral reference configuration: the sample policies, Cognito with three groups. */
const ephemeralArgs: AuthorizerWithPolicyStoreArgs = {
    stage: "pr-7",
    accountAlias: "sandpit",
    repo: "acme/docs",
    owner: "platform",
    ttl: "72h",
    tags: { CostCenter: "cc-42" },
    policyStore: { schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR, description: "docs API" },
    cognito: { groups: ["readers", "writers", "admins"] },
};

/** The production reference configuration: jwtSecret mode with a supplied secret, provisioned concurrency, streams and TTL. */
const productionArgs: AuthorizerWithPolicyStoreArgs = {
    stage: "prod",
    accountAlias: "live",
    profile: Profile.Production,
    policyStore: { schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR },
    authorizer: { tokenSource: TokenSource.JwtSecret, ...JWT_CLAIMS, jwtSecret: JWT_SECRET, provisionedConcurrency: 2, reservedConcurrency: 5, memorySize: 256, architecture: LambdaArchitecture.X86_64, timeoutSeconds: 3 },
    table: { streams: true, ttlAttribute: "expiresAt" },
};

beforeAll(() => {
    if (!existsSync(join(ROOT, "bin", "lambda", "authorizer", "index.js"))) {
        execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-lambdas.mts")], { cwd: ROOT, stdio: "inherit" });
    }
});

/**
 * Runs a program whose resource inputs fail once an Output resolves (the Pulumi runtime reports
 * such errors as the failed registration's cause, an unhandled rejection in tests): returns them.
 */
async function recordFailing(fn: () => unknown, options: Parameters<typeof record>[1] = {}) {
    return withRejectionsCollected(async (errors: Error[]) => {
        const { recorder } = await record(fn, options);
        await new Promise((done) => setTimeout(done, 50));
        return { errors: errors.filter((e) => e instanceof ComponentValidationError || /invalid argument/.test(String(e?.message))), recorder };
    });
}

/** What the real provider computes and the harness's default mock state lacks. */
function computeState(args: { type: string; name: string }): Record<string, unknown> | undefined {
    if (args.type === T.store) return { policyStoreId: `${args.name}-id` };
    if (args.type === T.table) return { streamArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${args.name}/stream/2026-01-01T00:00:00.000` };
    return undefined;
}

async function build(args: AuthorizerWithPolicyStoreArgs) {
    return record(() => new AuthorizerWithPolicyStore("auth", args), { computeState });
}

function counts(recorder: ResourceRecorder): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of recorder.resources) out[r.type] = (out[r.type] ?? 0) + 1;
    return out;
}

const statements = (r: RecordedResource) => JSON.parse(r.inputs.policy).Statement;

describe("AuthorizerWithPolicyStore, ephemeral reference", () => {
    let recorder: ResourceRecorder;
    let component: AuthorizerWithPolicyStore;
    beforeAll(async () => {
        ({ recorder, result: component } = await build(ephemeralArgs));
    });

    it("creates the expected resources, all below the component", () => {
        expect(counts(recorder)).toEqual({
            [T.component]: 1,
            [T.store]: 1,
            [T.schema]: 1,
            [T.policy]: 4,
            [T.template]: 1,
            [T.identitySource]: 1,
            [T.pool]: 1,
            [T.client]: 1,
            [T.domain]: 1,
            [T.group]: 3,
            [T.table]: 1,
            [T.logGroup]: 1,
            [T.role]: 1,
            [T.rolePolicy]: 1,
            [T.fn]: 1,
        });
        const root = recorder.one(T.component, "auth");
        expect(recorder.descendants(root)).toHaveLength(recorder.resources.length - 1);
    });

    it("passes the security guardrails", () => {
        assertGuardrails(recorder.resources, { profile: "ephemeral" });
    });

    it("tags every taggable resource with the VP-14 set", () => {
        const expected = { Project: "rampart-test", PulumiProject: "rampart-test", PulumiStack: "test", Stage: "pr-7", Account: "sandpit", Repo: "acme/docs", Owner: "platform", TTL: "72h", ManagedBy: "rampart", CostCenter: "cc-42" };
        const taggable = recorder.resources.filter((r) => TAGGABLE.includes(r.type));
        expect(taggable).toHaveLength(6);
        for (const r of taggable) expect(r.inputs.tags, `${r.type} ${r.name}`).toEqual(expected);
    });

    it("creates policies and the template after the schema, with {userPoolId} replaced by the pool id", () => {
        const schema = recorder.one(T.schema);
        expect(JSON.parse(schema.inputs.definition.value)).toHaveProperty(["DocsApi", "entityTypes", "User"]);
        expect(schema.inputs.policyStoreId).toBe("auth-policy-store-id");
        for (const r of [...recorder.byType(T.policy), ...recorder.byType(T.template), recorder.one(T.identitySource)]) {
            expect(r.options.dependencies, r.name).toContain(schema.urn);
        }
        const readers = recorder.one(T.policy, "auth-policy-readers");
        expect(readers.inputs.definition.static.statement).toContain('DocsApi::UserGroup::"auth-user-pool-id|readers"');
        expect(readers.inputs.definition.static.description).toBe("Readers may list and read documents.");
        expect(recorder.byType(T.policy).map((p) => p.name).sort()).toEqual(["auth-policy-admins", "auth-policy-only-admins-delete", "auth-policy-readers", "auth-policy-writers"]);
        expect(recorder.one(T.template, "auth-template-share-document").inputs.statement).toContain("principal == ?principal");
        expect(recorder.one(T.store).inputs).toMatchObject({ validationSettings: { mode: "STRICT" }, deletionProtection: "DISABLED", description: "docs API" });
    });

    it("sets up Cognito: Essentials tier, no threat protection, TOTP, a public SRP client, the domain, groups and the identity source", () => {
        const pool = recorder.one(T.pool).inputs;
        expect(pool).toMatchObject({
            name: "auth-pr-7",
            usernameAttributes: ["email"],
            autoVerifiedAttributes: ["email"],
            userPoolTier: "ESSENTIALS",
            mfaConfiguration: "OPTIONAL",
            softwareTokenMfaConfiguration: { enabled: true },
            emailConfiguration: { emailSendingAccount: "COGNITO_DEFAULT" },
            deletionProtection: "INACTIVE",
            adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        });
        expect(pool.userPoolAddOns).toBeUndefined();
        expect(recorder.one(T.client).inputs).toMatchObject({
            userPoolId: "auth-user-pool-id",
            generateSecret: false,
            explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
        });
        expect(recorder.one(T.domain).inputs).toEqual({ domain: "auth-pr-7-sandpit", userPoolId: "auth-user-pool-id" });
        expect(recorder.byType(T.group).map((g) => g.inputs.name)).toEqual(["readers", "writers", "admins"]);
        expect(recorder.one(T.identitySource).inputs).toEqual({
            policyStoreId: "auth-policy-store-id",
            principalEntityType: "DocsApi::User",
            configuration: {
                cognitoUserPoolConfiguration: {
                    userPoolArn: recorder.one(T.pool).state.arn,
                    clientIds: ["auth-client-id"],
                    groupConfiguration: { groupEntityType: "DocsApi::UserGroup" },
                },
            },
        });
    });

    it("runs the bundled authorizer with ephemeral economics and no secret in its environment", () => {
        const fn = recorder.one(T.fn);
        expect(fn.inputs).toMatchObject({
            name: "auth-pr-7-authorizer",
            runtime: "nodejs22.x",
            handler: "index.handler",
            architectures: ["arm64"],
            memorySize: 128,
            timeout: 5,
            reservedConcurrentExecutions: 1,
            publish: false,
            loggingConfig: { logFormat: "Text", logGroup: "/aws/lambda/auth-pr-7-authorizer" },
        });
        const variables = fn.inputs.environment.variables;
        expect(variables).toEqual({
            [ENV.policyStoreId]: "auth-policy-store-id",
            [ENV.tokenSource]: "identitySource",
            [ENV.userPoolId]: "auth-user-pool-id",
            [ENV.clientIds]: "auth-client-id",
            [ENV.cacheTtlSeconds]: "300",
            [ENV.principalType]: "DocsApi::User",
            [ENV.groupType]: "DocsApi::UserGroup",
            [ENV.entityPrefix]: "auth-user-pool-id",
            [ENV.actionType]: "DocsApi::Action",
            [ENV.actionIdTemplate]: "{method} {route}",
            [ENV.resourceType]: "DocsApi::Resource",
            [ENV.resourceIdTemplate]: "{path}",
        });
        const logGroup = recorder.one(T.logGroup);
        expect(logGroup.inputs).toMatchObject({ name: "/aws/lambda/auth-pr-7-authorizer", retentionInDays: 7 });
        expect(fn.options.dependencies).toEqual(expect.arrayContaining([logGroup.urn, recorder.one(T.rolePolicy).urn, recorder.one(T.identitySource).urn]));
        expect(fn.options.dependencies).toEqual(expect.arrayContaining(recorder.byType(T.policy).map((p) => p.urn)));
        expect(recorder.byType(T.provisioned)).toEqual([]);
        expect(recorder.byType(T.alias)).toEqual([]);
    });

    it("deploys the esbuild bundle as the function's code", () => {
        const code = recorder.one(T.fn).inputs.code;
        expect(JSON.stringify(code)).toContain(join(ROOT, "bin", "lambda", "authorizer", "index.js"));
    });

    it("lets the role call exactly IsAuthorizedWithToken on this store and write its own logs", () => {
        const role = recorder.one(T.role);
        expect(JSON.parse(role.inputs.assumeRolePolicy)).toEqual({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: ["sts:AssumeRole"] }],
        });
        const storeArn = recorder.one(T.store).state.arn;
        const logArn = recorder.one(T.logGroup).state.arn;
        expect(statements(recorder.one(T.rolePolicy))).toEqual([
            { Sid: "Authorize", Effect: "Allow", Action: ["verifiedpermissions:IsAuthorizedWithToken"], Resource: storeArn },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logArn, `${logArn}:log-stream:*`] },
        ]);
        expect(recorder.one(T.rolePolicy).inputs.role).toBe(role.state.name);
    });

    it("creates an on-demand, encrypted table without PITR, streams or deletion protection, deleted with the stack", () => {
        const table = recorder.one(T.table);
        expect(table.inputs).toMatchObject({
            name: "auth-pr-7",
            billingMode: "PAY_PER_REQUEST",
            hashKey: "pk",
            rangeKey: "sk",
            serverSideEncryption: { enabled: true },
            pointInTimeRecovery: { enabled: false },
            streamEnabled: false,
            deletionProtectionEnabled: false,
        });
        expect(table.inputs.streamViewType).toBeUndefined();
        expect(table.inputs.ttl).toBeUndefined();
        // Unset, not false: a child then inherits a `retainOnDelete` or `protect` the user gives the component.
        for (const r of recorder.resources) expect([r.options.retainOnDelete, r.options.protect], r.name).toEqual([undefined, undefined]);
    });

    it("exports ids, ARNs and names", async () => {
        expect(await resolveOutput(component.policyStoreId)).toBe("auth-policy-store-id");
        expect(await resolveOutput(component.authorizerFunctionName)).toBe("auth-pr-7-authorizer");
        expect(await resolveOutput(component.authorizerFunctionArn)).toBe(recorder.one(T.fn).state.arn);
        expect(await resolveOutput(component.authorizerRoleArn)).toBe(recorder.one(T.role).state.arn);
        expect(await resolveOutput(component.authorizerCacheTtlSeconds)).toBe(300);
        expect(await resolveOutput(component.userPoolId)).toBe("auth-user-pool-id");
        expect(await resolveOutput(component.userPoolClientIds)).toEqual(["auth-client-id"]);
        expect(await resolveOutput(component.userPoolDomain)).toBe(`auth-pr-7-sandpit.auth.${REGION}.amazoncognito.com`);
        expect(await resolveOutput(component.identitySourceId)).toBe("auth-identity-source-id");
        expect(await resolveOutput(component.tableName)).toBe("auth-pr-7");
        expect(component.tableStreamArn).toBeUndefined();
        expect(component.jwtSecretArn).toBeUndefined();
    });

    it("declares the alias of the earlier component type", () => {
        expect(recorder.one(T.component, "auth").options.aliases.join(" ")).toContain("verified-permissions-authorizer:index:AuthorizerWithPolicyStore");
    });
});

describe("AuthorizerWithPolicyStore, production reference", () => {
    let recorder: ResourceRecorder;
    let component: AuthorizerWithPolicyStore;
    beforeAll(async () => {
        ({ recorder, result: component } = await build(productionArgs));
    });

    it("creates the expected resources (no Cognito by default, provisioned concurrency as asked)", () => {
        expect(counts(recorder)).toEqual({
            [T.component]: 1,
            [T.store]: 1,
            [T.schema]: 1,
            [T.policy]: 4,
            [T.template]: 1,
            [T.table]: 1,
            [T.secret]: 1,
            [T.secretVersion]: 1,
            [T.logGroup]: 1,
            [T.role]: 1,
            [T.rolePolicy]: 1,
            [T.fn]: 1,
            [T.alias]: 1,
            [T.provisioned]: 1,
        });
    });

    it("passes the security guardrails and never shows the supplied secret outside secret inputs", () => {
        assertGuardrails(recorder.resources, { profile: "production", knownSecrets: [JWT_SECRET] });
        const version = recorder.one(T.secretVersion);
        expect(version.secretPaths).toContain("secretString");
        expect(version.inputs.secretString).toBe(JWT_SECRET);
    });

    it("retains and protects the data stores", () => {
        const retained = recorder.resources.filter((r) => r.options.retainOnDelete).map((r) => r.type).sort();
        expect(retained).toEqual([T.table, T.store, T.logGroup].sort());
        expect(recorder.one(T.store).inputs.deletionProtection).toBe("ENABLED");
        expect(recorder.one(T.table).inputs).toMatchObject({
            deletionProtectionEnabled: true,
            pointInTimeRecovery: { enabled: true },
            streamEnabled: true,
            streamViewType: "NEW_AND_OLD_IMAGES",
            ttl: { attributeName: "expiresAt", enabled: true },
        });
        expect(recorder.one(T.logGroup).inputs.retentionInDays).toBe(90);
        expect(recorder.one(T.secret).inputs.recoveryWindowInDays).toBe(30);
    });

    it("lets the role call exactly IsAuthorized on this store and read only its own secret", () => {
        const logArn = recorder.one(T.logGroup).state.arn;
        expect(statements(recorder.one(T.rolePolicy))).toEqual([
            { Sid: "Authorize", Effect: "Allow", Action: ["verifiedpermissions:IsAuthorized"], Resource: recorder.one(T.store).state.arn },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logArn, `${logArn}:log-stream:*`] },
            { Sid: "ReadJwtSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: recorder.one(T.secret).state.arn },
        ]);
    });

    it("passes the secret's ARN, never its value, and uses the jwt entity prefix", () => {
        const variables = recorder.one(T.fn).inputs.environment.variables;
        expect(variables[ENV.jwtSecretArn]).toBe(recorder.one(T.secret).state.arn);
        expect(variables[ENV.tokenSource]).toBe("jwtSecret");
        expect(variables[ENV.entityPrefix]).toBe("jwt");
        expect(variables[ENV.jwtIssuer]).toBe("https://auth.example.com");
        expect(variables[ENV.jwtAudience]).toBe("docs-api");
        expect(variables).not.toHaveProperty(ENV.userPoolId);
        expect(JSON.stringify(variables)).not.toContain(JWT_SECRET);
        expect(recorder.one(T.policy, "auth-policy-readers").inputs.definition.static.statement).toContain('"jwt|readers"');
        expect(recorder.one(T.fn).options.dependencies).toContain(recorder.one(T.secretVersion).urn);
    });

    it("serves through a live alias with provisioned concurrency", async () => {
        const fn = recorder.one(T.fn);
        expect(fn.inputs).toMatchObject({ publish: true, reservedConcurrentExecutions: 5, memorySize: 256, architectures: ["x86_64"], timeout: 3 });
        const alias = recorder.one(T.alias);
        expect(alias.inputs).toMatchObject({ name: "live", functionName: "auth-prod-authorizer" });
        expect(recorder.one(T.provisioned).inputs).toEqual({ functionName: "auth-prod-authorizer", qualifier: "live", provisionedConcurrentExecutions: 2 });
        expect(await resolveOutput(component.authorizerFunctionArn)).toBe(alias.state.arn);
    });

    it("exports the stream and secret ARNs and no Cognito outputs", async () => {
        expect(await resolveOutput(component.jwtSecretArn)).toBe(recorder.one(T.secret).state.arn);
        expect(await resolveOutput(component.tableStreamArn)).toBe(recorder.one(T.table).state.streamArn);
        expect(component.userPoolId).toBeUndefined();
        expect(component.identitySourceId).toBeUndefined();
    });
});

describe("AuthorizerWithPolicyStore, other argument groups", () => {
    it("generates a 64-character JWT secret when none is given, kept secret and deleted at once in ephemeral stages", async () => {
        const { recorder } = await build({ ...ephemeralArgs, authorizer: { tokenSource: TokenSource.JwtSecret, ...JWT_CLAIMS } });
        const password = recorder.one(T.password);
        expect(password.inputs).toMatchObject({ length: 64, special: false });
        expect(password.options.additionalSecretOutputs).toContain("result");
        expect(recorder.one(T.secretVersion).secretPaths).toContain("secretString");
        expect(recorder.one(T.secret).inputs).toMatchObject({ name: "auth-pr-7-jwt-secret", recoveryWindowInDays: 0 });
        // Cognito stays on in ephemeral stages: jwtSecret principals use the pool id as prefix.
        expect(recorder.one(T.fn).inputs.environment.variables[ENV.entityPrefix]).toBe("auth-user-pool-id");
        assertGuardrails(recorder.resources, { profile: "ephemeral" });
    });

    it("sends e-mail through the consumer's SES identity, requires MFA and takes other sign-in aliases", async () => {
        const { recorder } = await build({
            ...ephemeralArgs,
            cognito: {
                signInAliases: ["email", "preferred_username"],
                mfa: MfaMode.Required,
                sesConfig: { sourceArn: SES_ARN, fromEmail: "no-reply@example.com", replyToEmail: "help@example.com", configurationSet: "auth-emails" },
                domainPrefix: "docs-login-pr-7",
            },
        });
        expect(recorder.one(T.pool).inputs).toMatchObject({
            aliasAttributes: ["email", "preferred_username"],
            mfaConfiguration: "ON",
            softwareTokenMfaConfiguration: { enabled: true },
            emailConfiguration: { emailSendingAccount: "DEVELOPER", sourceArn: SES_ARN, fromEmailAddress: "no-reply@example.com", replyToEmailAddress: "help@example.com", configurationSet: "auth-emails" },
        });
        expect(recorder.one(T.pool).inputs.usernameAttributes).toBeUndefined();
        expect(recorder.one(T.domain).inputs.domain).toBe("docs-login-pr-7");
        expect(recorder.byType(T.group)).toEqual([]);
    });

    it("turns MFA off without a TOTP configuration", async () => {
        const { recorder } = await build({ ...ephemeralArgs, cognito: { mfa: MfaMode.Off } });
        expect(recorder.one(T.pool).inputs.mfaConfiguration).toBe("OFF");
        expect(recorder.one(T.pool).inputs.softwareTokenMfaConfiguration).toBeUndefined();
    });

    it("enables Cognito in production when asked, retained and protected", async () => {
        const { recorder } = await build({ ...productionArgs, authorizer: {}, cognito: { enabled: true } });
        expect(recorder.one(T.pool).inputs.deletionProtection).toBe("ACTIVE");
        expect(recorder.one(T.pool).options.retainOnDelete).toBe(true);
        expect(recorder.byType(T.secret)).toEqual([]);
        assertGuardrails(recorder.resources, { profile: "production" });
    });

    it("uses custom action mapping, reserved concurrency 0 as no reservation, and the retain and protection overrides", async () => {
        const { recorder } = await build({
            ...ephemeralArgs,
            retainOnDelete: true,
            deletionProtection: true,
            authorizer: { reservedConcurrency: 0, logRetentionDays: 14, cacheTtlSeconds: 0, actionMapping: { actionIdTemplate: "{method}", resourceIdTemplate: "{apiId}/{stage}{path}" } },
            table: { pointInTimeRecovery: true },
        });
        const fn = recorder.one(T.fn).inputs;
        expect(fn.reservedConcurrentExecutions).toBe(-1);
        expect(fn.environment.variables).toMatchObject({ [ENV.actionIdTemplate]: "{method}", [ENV.resourceIdTemplate]: "{apiId}/{stage}{path}" });
        expect(recorder.one(T.logGroup).inputs.retentionInDays).toBe(14);
        expect(recorder.one(T.table).inputs).toMatchObject({ deletionProtectionEnabled: true, pointInTimeRecovery: { enabled: true } });
        expect(recorder.one(T.table).options.retainOnDelete).toBe(true);
        expect(recorder.one(T.pool).options.retainOnDelete).toBe(true);
    });

    it("creates no schema resource when validation is off and no schema is given", async () => {
        const { recorder } = await build({
            stage: "pr-7",
            accountAlias: "sandpit",
            policyStore: { validationMode: ValidationMode.Off, policies: [{ id: "all", statement: "permit(principal, action, resource);" }] },
        });
        expect(recorder.byType(T.schema)).toEqual([]);
        expect(recorder.one(T.store).inputs.validationSettings).toEqual({ mode: "OFF" });
        expect(recorder.one(T.identitySource).inputs.principalEntityType).toBe("User");
    });
});

describe("AuthorizerWithPolicyStore behind API Gateway", () => {
    it("exports identity sources keyed by token, method and path, and no permission unless an API is given", async () => {
        const { recorder, result } = await build(ephemeralArgs);
        expect(await resolveOutput(result.authorizerIdentitySource)).toBe("method.request.header.Authorization,context.httpMethod,context.path");
        expect(await resolveOutput(result.authorizerHttpApiIdentitySources)).toEqual(["$request.header.Authorization", "$context.httpMethod", "$context.path"]);
        expect(recorder.byType(T.permission)).toEqual([]);
        expect(result.authorizerInvokeSourceArn).toBeUndefined();
    });

    it("lets exactly the given API's authorizers invoke the function", async () => {
        const { recorder, result } = await build({ ...ephemeralArgs, authorizer: { apiExecutionArn: API_EXECUTION_ARN } });
        const permission = recorder.one(T.permission);
        expect(permission.inputs).toEqual({
            action: "lambda:InvokeFunction",
            function: "auth-pr-7-authorizer",
            principal: "apigateway.amazonaws.com",
            sourceArn: `${API_EXECUTION_ARN}/authorizers/*`,
        });
        expect(recorder.descendants(recorder.one(T.component, "auth"))).toContain(permission);
        expect(await resolveOutput(result.authorizerInvokeSourceArn)).toBe(`${API_EXECUTION_ARN}/authorizers/*`);
        assertGuardrails(recorder.resources, { profile: "ephemeral" });
    });

    it("grants the live alias when provisioned concurrency serves through it, and takes an Output", async () => {
        const { recorder } = await build({ ...productionArgs, authorizer: { ...productionArgs.authorizer, apiExecutionArn: pulumi.output(API_EXECUTION_ARN) } });
        expect(recorder.one(T.permission).inputs).toMatchObject({ function: "auth-prod-authorizer", qualifier: "live", sourceArn: `${API_EXECUTION_ARN}/authorizers/*` });
    });

    it("checks an execution ARN known only at deployment when it resolves, with the same error", async () => {
        const { errors, recorder } = await recordFailing(() => new AuthorizerWithPolicyStore("auth", { ...ephemeralArgs, authorizer: { apiExecutionArn: pulumi.output(`${API_EXECUTION_ARN}/*`) } }));
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) expect(error.message).toContain(`AuthorizerWithPolicyStore "auth": authorizer.apiExecutionArn: got "${API_EXECUTION_ARN}/*"; the execution ARN of one API Gateway API`);
        expect(recorder.byType(T.permission)).toEqual([]);
    });
});

describe("AuthorizerWithPolicyStore concurrency", () => {
    it("reserves 1 in ephemeral stages and says at preview what that costs", async () => {
        const warn = vi.spyOn(pulumi.log, "warn");
        try {
            const { recorder } = await build(ephemeralArgs);
            expect(recorder.one(T.fn).inputs.reservedConcurrentExecutions).toBe(1);
            expect(warn.mock.calls.map((c) => String(c[0]))).toContain(
                "authorizer.reservedConcurrency is 1: it serialises requests: one authorization runs at a time and further concurrent requests are throttled (API Gateway answers 500). " +
                    "Accounts whose Lambda concurrency quota is under 11 refuse the reservation at deployment, since Lambda keeps a minimum unreserved (10 in new accounts, 100 in most). " +
                    "Set authorizer.reservedConcurrency to 0 to reserve none.",
            );
        } finally {
            warn.mockRestore();
        }
    });

    it("reserves nothing in production by default, and warns about nothing", async () => {
        const warn = vi.spyOn(pulumi.log, "warn");
        try {
            const { recorder } = await build({ ...productionArgs, authorizer: { tokenSource: TokenSource.JwtSecret, ...JWT_CLAIMS } });
            expect(recorder.one(T.fn).inputs.reservedConcurrentExecutions).toBe(-1);
            expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("reservedConcurrency"))).toEqual([]);
        } finally {
            warn.mockRestore();
        }
    });
});

describe("AuthorizerWithPolicyStore Cognito changes", () => {
    const existingEmailPool = (args: { type: string; name: string }) => (args.type === T.pool ? { usernameAttributes: ["email"], aliasAttributes: [] } : computeState(args));

    it("adds app clients, all trusted by the identity source and the authorizer", async () => {
        const { recorder, result } = await build({ ...ephemeralArgs, cognito: { ...ephemeralArgs.cognito, appClients: ["web", "mobile"] } });
        const clients = recorder.byType(T.client);
        expect(clients.map((c) => c.inputs.name)).toEqual(["auth-pr-7-client", "web", "mobile"]);
        for (const c of clients) expect(c.inputs).toMatchObject({ userPoolId: "auth-user-pool-id", generateSecret: false, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
        const ids = ["auth-client-id", "auth-client-web-id", "auth-client-mobile-id"];
        expect(recorder.one(T.identitySource).inputs.configuration.cognitoUserPoolConfiguration.clientIds).toEqual(ids);
        expect(recorder.one(T.fn).inputs.environment.variables[ENV.clientIds]).toBe(ids.join(","));
        expect(await resolveOutput(result.userPoolClientIds)).toEqual(ids);
    });

    it("fixes the pool's sign-in attributes once it exists (ignoreChanges), unless replacement is allowed", async () => {
        const fixed = await build(ephemeralArgs);
        expect([...fixed.recorder.one(T.pool).options.ignoreChanges].sort()).toEqual(["aliasAttributes", "usernameAttributes", "usernameConfiguration"]);
        const replaceable = await build({ ...ephemeralArgs, cognito: { ...ephemeralArgs.cognito, allowUserPoolReplacement: true } });
        expect(replaceable.recorder.one(T.pool).options.ignoreChanges ?? []).toEqual([]);
    });

    it("refuses at preview a sign-in alias change that would replace the pool and lose its users: one error, both attributes", async () => {
        const { errors, recorder } = await recordFailing(() => new AuthorizerWithPolicyStore("auth", { ...ephemeralArgs, cognito: { signInAliases: ["email", "preferred_username"] } }), {
            computeState: existingEmailPool,
        });
        expect(errors.length).toBeGreaterThan(0);
        const message = errors[0].message;
        expect(message).toContain('AuthorizerWithPolicyStore "auth" has 2 invalid arguments:');
        expect(message).toContain(
            'AuthorizerWithPolicyStore "auth": cognito.signInAliases: got ["email","preferred_username"]; the Cognito user pool "auth-pr-7" has usernameAttributes ["email"], fixed when it was created;',
        );
        // The pool returned no aliasAttributes: the guard counts that as none (a plain apply would skip an unknown value).
        expect(message).toContain('the Cognito user pool "auth-pr-7" has aliasAttributes [], fixed when it was created;');
        expect(message).toContain("lose every user in it");
        expect(message).toContain("set cognito.allowUserPoolReplacement to true to replace it");
        expect(recorder.byType(T.client)).toEqual([]);
        expect(recorder.byType(T.identitySource)).toEqual([]);
    });

    it("leaves an unchanged pool's clients known at preview, where outputs the provider did not return are unknown", async () => {
        const { recorder } = await record(() => new AuthorizerWithPolicyStore("auth", ephemeralArgs), { computeState: existingEmailPool, preview: true });
        const client = recorder.one(T.client);
        expect(client.unknownPaths).not.toContain("userPoolId");
        expect(client.inputs.userPoolId).toBe("auth-user-pool-id");
    });

    it("lets the same change through when replacement is allowed, and an unchanged pool always", async () => {
        const allowed = await record(() => new AuthorizerWithPolicyStore("auth", { ...ephemeralArgs, cognito: { signInAliases: ["email", "preferred_username"], allowUserPoolReplacement: true } }), {
            computeState: existingEmailPool,
        });
        expect(allowed.recorder.byType(T.client)).toHaveLength(1);
        const unchanged = await record(() => new AuthorizerWithPolicyStore("auth", ephemeralArgs), { computeState: existingEmailPool });
        expect(unchanged.recorder.byType(T.client)).toHaveLength(1);
    });
});

describe("AuthorizerWithPolicyStore, failures", () => {
    it("registers nothing when Cedar finds problems, and names the file", async () => {
        const dir = mkdtempSync(join(tmpdir(), "policies-"));
        writeFileSync(join(dir, "readers.cedar"), 'permit(principal, action == DocsApi::Action::"GET /nope", resource);');
        let error: unknown;
        const { recorder } = await record(() => {
            try {
                new AuthorizerWithPolicyStore("auth", { ...ephemeralArgs, policyStore: { schemaFile: SAMPLE_SCHEMA_FILE, policyDir: dir } });
            } catch (e) {
                error = e;
            }
        });
        expect(recorder.resources).toEqual([]);
        expect(error).toBeInstanceOf(ComponentValidationError);
        expect((error as Error).message).toContain('AuthorizerWithPolicyStore "auth": policyStore.policyDir/readers.cedar: Cedar: for policy `readers`, unrecognized action `DocsApi::Action::"GET /nope"`');
    });

    it("checks the SES identity's region against aws:region", async () => {
        const saved = process.env.AWS_REGION;
        process.env.AWS_REGION = "eu-west-1";
        try {
            expect(() => new AuthorizerWithPolicyStore("auth", { ...ephemeralArgs, cognito: { sesConfig: { sourceArn: SES_ARN, fromEmail: "a@example.com" } } })).toThrow(
                /cognito\.sesConfig\.sourceArn: got ".*"; an SES identity in the stack's region eu-west-1/,
            );
        } finally {
            if (saved === undefined) delete process.env.AWS_REGION;
            else process.env.AWS_REGION = saved;
        }
    });

    it("finds the package root from the sources and explains a missing bundle", () => {
        expect(packageRoot(join(ROOT, "provider", "src", "authorizerWithPolicyStore"))).toBe(ROOT);
        expect(packageRoot(join(ROOT, "bin", "authorizerWithPolicyStore"))).toBe(ROOT);
        const empty = mkdtempSync(join(tmpdir(), "pkg-"));
        expect(() => authorizerBundlePath(empty)).toThrow(`the authorizer Lambda bundle ${join(empty, "bin", "lambda", "authorizer", "index.js")} is missing: run \`npm run build\``);
    });
});
