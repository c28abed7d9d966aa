/** The Lambda authorizer: its log group, role, least-privilege policy, function and optional provisioned concurrency. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { Validator } from "../shared/validation";
import { APIGATEWAY_SERVICE, authorizerPolicy, authorizerTrustPolicy } from "./permissions";
import { AuthorizerSettings } from "./settings";
import { checkApiExecutionArn, COMPONENT } from "./validate";
import { createLogGroup } from "../shared/logGroup";

export const AUTHORIZER_RUNTIME = "nodejs22.x";

/** Environment the handler reads (provider/lambda/authorizer/config.ts); names only, never a secret's value. */
export interface AuthorizerEnvironment {
    POLICY_STORE_ID: pulumi.Input<string>;
    TOKEN_SOURCE: string;
    USER_POOL_ID?: pulumi.Input<string>;
    CLIENT_IDS?: pulumi.Input<string>;
    JWT_SECRET_ARN?: pulumi.Input<string>;
    JWT_ISSUER?: pulumi.Input<string>;
    JWT_AUDIENCE?: pulumi.Input<string>;
    CACHE_TTL_SECONDS: string;
    PRINCIPAL_TYPE: string;
    GROUP_TYPE: string;
    ENTITY_PREFIX: pulumi.Input<string>;
    ACTION_TYPE: string;
    ACTION_ID_TEMPLATE: string;
    RESOURCE_TYPE: string;
    RESOURCE_ID_TEMPLATE: string;
}

export interface AuthorizerFunctionInputs {
    codePath: string;
    policyStoreArn: pulumi.Input<string>;
    jwtSecretArn?: pulumi.Input<string>;
    environment: AuthorizerEnvironment;
    /** Resources the function must not start before (the secret's value, the policies). */
    dependsOn: pulumi.Resource[];
    /** Execution ARN of the API whose authorizers may invoke the function. */
    apiExecutionArn?: pulumi.Input<string>;
}

export interface AuthorizerFunctionResources {
    logGroup: aws.cloudwatch.LogGroup;
    role: aws.iam.Role;
    rolePolicy: aws.iam.RolePolicy;
    fn: aws.lambda.Function;
    alias?: aws.lambda.Alias;
    provisioned?: aws.lambda.ProvisionedConcurrencyConfig;
    /** What API Gateway invokes: the alias when provisioned concurrency is on, else the function. */
    arn: pulumi.Output<string>;
    invokeArn: pulumi.Output<string>;
    /** Lets the given API's authorizers invoke `arn`. */
    permission?: aws.lambda.Permission;
}

function definedOnly(env: AuthorizerEnvironment): Record<string, pulumi.Input<string>> {
    return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, pulumi.Input<string>>;
}

export function createAuthorizerFunction(scope: ComponentScope, settings: AuthorizerSettings, inputs: AuthorizerFunctionInputs): AuthorizerFunctionResources {
    const a = settings.authorizer;
    const name = scope.physical("lambdaFunction", "authorizer");
    const logGroup = createLogGroup(scope, scope.child("authorizer-logs"), { name: `/aws/lambda/${name}`, retentionInDays: a.logRetentionDays });
    const role = new aws.iam.Role(
        scope.child("authorizer-role"),
        {
            name: scope.physical("iamRoleName", "authorizer"),
            description: `Lambda authorizer ${name}`,
            assumeRolePolicy: JSON.stringify(authorizerTrustPolicy()),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const rolePolicy = new aws.iam.RolePolicy(
        scope.child("authorizer-policy"),
        {
            role: role.name,
            name: "authorizer",
            policy: pulumi
                .all([inputs.policyStoreArn, logGroup.arn, inputs.jwtSecretArn])
                .apply(([policyStoreArn, logGroupArn, jwtSecretArn]) =>
                    JSON.stringify(authorizerPolicy({ tokenSource: a.tokenSource, policyStoreArn, logGroupArn, jwtSecretArn })),
                ),
        },
        scope.opts(),
    );
    const provisioned = a.provisionedConcurrency > 0;
    const fn = new aws.lambda.Function(
        scope.child("authorizer"),
        {
            name,
            description: `Verified Permissions authorizer (${scope.stage})`,
            role: role.arn,
            runtime: AUTHORIZER_RUNTIME,
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(inputs.codePath) }),
            architectures: [a.architecture],
            memorySize: a.memorySize,
            timeout: a.timeoutSeconds,
            reservedConcurrentExecutions: a.reservedConcurrency === 0 ? -1 : a.reservedConcurrency,
            publish: provisioned,
            environment: { variables: definedOnly(inputs.environment) },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            tags: scope.tags,
        },
        scope.opts({ dependsOn: [logGroup, rolePolicy, ...inputs.dependsOn] }),
    );
    if (!provisioned) {
        return { logGroup, role, rolePolicy, fn, arn: fn.arn, invokeArn: fn.invokeArn, permission: invokePermission(scope, fn.name, undefined, inputs.apiExecutionArn) };
    }
    const alias = new aws.lambda.Alias(scope.child("authorizer-live"), { name: "live", functionName: fn.name, functionVersion: fn.version }, scope.opts());
    const concurrency = new aws.lambda.ProvisionedConcurrencyConfig(
        scope.child("authorizer-provisioned"),
        { functionName: fn.name, qualifier: alias.name, provisionedConcurrentExecutions: a.provisionedConcurrency },
        scope.opts(),
    );
    const permission = invokePermission(scope, fn.name, alias.name, inputs.apiExecutionArn);
    return { logGroup, role, rolePolicy, fn, alias, provisioned: concurrency, arn: alias.arn, invokeArn: alias.invokeArn, permission };
}

/** `<execution ARN>/authorizers/*`: any authorizer of this one API, the form API Gateway invokes authorizers with. */
export function authorizerSourceArn(apiExecutionArn: string): string {
    return `${apiExecutionArn}/authorizers/*`;
}

/**
 * Lets API Gateway invoke the function (or its alias) for the authorizers of exactly one API. An
 * execution ARN known only at deployment is checked when it resolves, with the same error.
 */
function invokePermission(scope: ComponentScope, functionName: pulumi.Input<string>, qualifier: pulumi.Input<string> | undefined, apiExecutionArn: pulumi.Input<string> | undefined): aws.lambda.Permission | undefined {
    if (apiExecutionArn === undefined) return undefined;
    const sourceArn = pulumi.output(apiExecutionArn).apply((arn) => {
        const v = new Validator(COMPONENT, scope.name);
        checkApiExecutionArn(v, "authorizer.apiExecutionArn", arn);
        v.throwIfInvalid();
        return authorizerSourceArn(arn);
    });
    return new aws.lambda.Permission(
        scope.child("authorizer-invoke"),
        { action: "lambda:InvokeFunction", function: functionName, qualifier, principal: APIGATEWAY_SERVICE, sourceArn },
        scope.opts(),
    );
}
