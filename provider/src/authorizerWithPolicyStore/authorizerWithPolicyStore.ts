import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsEnvironment } from "../shared/environment";
import { deploymentRefusal, observe } from "../shared/replacementGuard";
import { ComponentScope } from "../shared/scope";
import { isKnown } from "../shared/validation";
import { AuthorizerWithPolicyStoreArgs, TokenSource } from "./args";
import { HTTP_API_IDENTITY_SOURCES, REST_API_IDENTITY_SOURCE } from "./apiGateway";
import { createAuthorizerFunction } from "./authorizerFunction";
import { adoptCognito, createCognito, createIdentitySource, findOwnPools, leftBehindPoolProblems } from "./cognito";
import { createJwtSecret } from "./jwtSecret";
import { authorizerBundlePath } from "./lambdaAsset";
import { createPolicies, createPolicyStore } from "./policyStore";
import { JWT_ENTITY_PREFIX } from "./sources";
import { createTable } from "./table";
import { COMPONENT, reservedConcurrencyWarning, validateAuthorizerArgs, withResolvedChecks } from "./validate";

export const AUTHORIZER_TYPE = "rampart:index:AuthorizerWithPolicyStore";
/** The type the earlier public component used; stacks made with it move here without replacement. */
export const LEGACY_AUTHORIZER_TYPE = "verified-permissions-authorizer:index:AuthorizerWithPolicyStore";

/**
 * Amazon Verified Permissions for an API: a policy store with Cedar policies validated before deploy,
 * a Lambda authorizer that fails closed, a Cognito identity source and a DynamoDB table, with
 * defaults that cost nothing idle for per-PR stages.
 */
export class AuthorizerWithPolicyStore extends pulumi.ComponentResource {
    /** Id of the policy store. */
    public readonly policyStoreId!: pulumi.Output<string>;
    /** ARN of the policy store. */
    public readonly policyStoreArn!: pulumi.Output<string>;
    /** ARN API Gateway invokes: the `live` alias when provisioned concurrency is on, else the function. */
    public readonly authorizerFunctionArn!: pulumi.Output<string>;
    /** Invoke ARN for an API Gateway authorizer's `authorizerUri`. */
    public readonly authorizerInvokeArn!: pulumi.Output<string>;
    /** Name of the authorizer function. */
    public readonly authorizerFunctionName!: pulumi.Output<string>;
    /** ARN of the authorizer's execution role. */
    public readonly authorizerRoleArn!: pulumi.Output<string>;
    /** Authorizer result cache TTL in seconds, for the API Gateway authorizer. */
    public readonly authorizerCacheTtlSeconds!: pulumi.Output<number>;
    /**
     * `identitySource` of a REST API REQUEST authorizer whose cache key covers exactly what a
     * decision covers: `method.request.header.Authorization,context.httpMethod,context.path`.
     */
    public readonly authorizerIdentitySource!: pulumi.Output<string>;
    /** `identitySources` of an HTTP API REQUEST authorizer, keyed the same way: token, method and path. */
    public readonly authorizerHttpApiIdentitySources!: pulumi.Output<string[]>;
    /** Source ARN of the Lambda permission for `authorizer.apiExecutionArn`: `<executionArn>/authorizers/*`. Present with `authorizer.apiExecutionArn`. */
    public readonly authorizerInvokeSourceArn?: pulumi.Output<string>;
    /** Id of the Cognito user pool. Present with `cognito`. */
    public readonly userPoolId?: pulumi.Output<string>;
    /** ARN of the Cognito user pool. Present with `cognito`. */
    public readonly userPoolArn?: pulumi.Output<string>;
    /** App client ids of the user pool: the default client first, then `cognito.appClients` in order. Present with `cognito`. */
    public readonly userPoolClientIds?: pulumi.Output<string[]>;
    /** Hosted UI domain of the user pool, for example `auth-pr-12-sandpit.auth.us-east-1.amazoncognito.com`. Present when rampart creates the user pool (`cognito` without `existingUserPoolId`). */
    public readonly userPoolDomain?: pulumi.Output<string>;
    /**
     * Id of the Verified Permissions identity source. Present when rampart creates it: `cognito` with a store of its
     * own, or with `policyStore.existingPolicyStoreId` and `policyStore.createIdentitySource`. Absent in a stage that
     * shares the adopted store's identity source.
     */
    public readonly identitySourceId?: pulumi.Output<string>;
    /** Name of the DynamoDB table. */
    public readonly tableName!: pulumi.Output<string>;
    /** ARN of the DynamoDB table. */
    public readonly tableArn!: pulumi.Output<string>;
    /** ARN of the table's stream. Present with `table.streams`. */
    public readonly tableStreamArn?: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret holding the JWT signing secret. Present with `authorizer.tokenSource: jwtSecret`. */
    public readonly jwtSecretArn?: pulumi.Output<string>;

    /**
     * Checks arguments as the constructor does, creating nothing: throws one ComponentValidationError listing every
     * problem with the values known now. The plugin calls it to report the component's problems together with
     * type errors from Python, Go and YAML.
     */
    static validateArguments(name: string, args: AuthorizerWithPolicyStoreArgs): void {
        validateAuthorizerArgs(name, args, { region: aws.config.region ?? undefined });
    }

    constructor(name: string, args: AuthorizerWithPolicyStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        // aws:region (or AWS_REGION) when set: the SES identity and an adopted pool must be in the stack's region.
        const region = aws.config.region ?? undefined;
        // Values known now are checked at once; values known only at deployment when they resolve, with the same checks.
        const checked = withResolvedChecks(name, args, region);
        const { settings, cedar, groupType } = validateAuthorizerArgs(name, checked, { region });
        const codePath = authorizerBundlePath();
        super(AUTHORIZER_TYPE, name, {}, pulumi.mergeOptions(opts, { aliases: [{ type: LEGACY_AUTHORIZER_TYPE }] }));

        const scope = new ComponentScope(this, name, {
            stage: checked.stage,
            profile: settings.profile,
            userTags: checked.tags,
            componentTags: { Account: checked.accountAlias, Repo: checked.repo, Owner: checked.owner, TTL: checked.ttl },
            retainOnDelete: settings.retainOnDelete,
            protectDataStores: settings.protectDataStores,
        });
        for (const warning of cedar.warnings) pulumi.log.warn(`${warning.path}: ${warning.message}`, this);
        const concurrencyWarning = reservedConcurrencyWarning(settings.authorizer.reservedConcurrency);
        if (concurrencyWarning) pulumi.log.warn(concurrencyWarning, this);

        // Switching to an adopted pool must not delete the pool this component created unasked (cognito.ts).
        const adoptedPool = settings.cognito.existingUserPoolId;
        // Not skipped for retainOnDelete: a removed resource is deleted as its last `up` left it, so only an earlier `up` retains it.
        if (adoptedPool !== undefined && !settings.cognito.allowUserPoolDeletion) {
            // An id known only at deployment is unknown at preview (observe): it cannot be this component's existing pool.
            scope.gateChildren(
                Promise.all([findOwnPools(scope), observe(adoptedPool)]).then(([found, adopted]) => {
                    const adoptedId = adopted.known ? (adopted.value as string) : undefined;
                    const raw = args.cognito?.existingUserPoolId;
                    const problems = leftBehindPoolProblems(scope.physical("cognitoUserPool"), adoptedId, found, isKnown(raw) ? raw : (adoptedId ?? raw));
                    if (problems.length) throw deploymentRefusal(COMPONENT, name, problems);
                }),
            );
        }
        const store = createPolicyStore(scope, settings, cedar);
        const cognito = !settings.cognito.enabled ? undefined : adoptedPool !== undefined ? adoptCognito(scope, settings) : createCognito(scope, settings);
        const entityPrefix: pulumi.Input<string> = cognito ? cognito.poolId : JWT_ENTITY_PREFIX;
        // A store holds one identity source: an adopted store's is shared and made once (policyStore.createIdentitySource).
        const identitySource = cognito && settings.policyStore.createIdentitySource
            ? createIdentitySource(scope, {
                  policyStoreId: store.id,
                  cognito,
                  principalType: settings.principalType,
                  groupType,
                  dependsOn: store.schema ? [store.schema] : [],
              })
            : undefined;
        const { policies, templates } = createPolicies(scope, store, cedar, entityPrefix);
        const table = createTable(scope, settings);
        const jwtMode = settings.authorizer.tokenSource === TokenSource.JwtSecret;
        const secret = jwtMode ? createJwtSecret(scope, checked.authorizer?.jwtSecret) : undefined;

        const mapping = settings.authorizer.mapping;
        const fn = createAuthorizerFunction(scope, settings, {
            codePath,
            policyStoreArn: store.arn,
            jwtSecretArn: secret?.secret.arn,
            environment: {
                POLICY_STORE_ID: store.id,
                TOKEN_SOURCE: settings.authorizer.tokenSource,
                USER_POOL_ID: cognito?.poolId,
                CLIENT_IDS: cognito?.clientIds.apply((ids) => ids.join(",")),
                JWT_SECRET_ARN: secret?.secret.arn,
                JWT_ISSUER: jwtMode ? settings.authorizer.jwtIssuer : undefined,
                JWT_AUDIENCE: jwtMode ? settings.authorizer.jwtAudience : undefined,
                CACHE_TTL_SECONDS: String(settings.authorizer.cacheTtlSeconds),
                PRINCIPAL_TYPE: settings.principalType,
                GROUP_TYPE: groupType,
                ENTITY_PREFIX: entityPrefix,
                ACTION_TYPE: mapping.actionType,
                ACTION_ID_TEMPLATE: mapping.actionIdTemplate,
                RESOURCE_TYPE: mapping.resourceType,
                RESOURCE_ID_TEMPLATE: mapping.resourceIdTemplate,
            },
            dependsOn: [...policies, ...templates, ...(identitySource ? [identitySource] : []), ...(secret ? [secret.version] : [])],
            apiExecutionArn: checked.authorizer?.apiExecutionArn,
        });

        this.policyStoreId = store.id;
        this.policyStoreArn = store.arn;
        this.authorizerFunctionArn = fn.arn;
        this.authorizerInvokeArn = fn.invokeArn;
        this.authorizerFunctionName = fn.fn.name;
        this.authorizerRoleArn = fn.role.arn;
        this.authorizerCacheTtlSeconds = pulumi.output(settings.authorizer.cacheTtlSeconds);
        this.authorizerIdentitySource = pulumi.output(REST_API_IDENTITY_SOURCE);
        this.authorizerHttpApiIdentitySources = pulumi.output(HTTP_API_IDENTITY_SOURCES);
        this.authorizerInvokeSourceArn = fn.permission?.sourceArn.apply((arn) => arn!);
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.tableStreamArn = settings.table.streams ? table.streamArn : undefined;
        this.jwtSecretArn = secret?.secret.arn;
        if (cognito) {
            this.userPoolId = cognito.poolId;
            this.userPoolArn = cognito.poolArn;
            this.userPoolClientIds = cognito.clientIds;
            if (cognito.domain) this.userPoolDomain = pulumi.interpolate`${cognito.domain.domain}.auth.${awsEnvironment(scope).region}.amazoncognito.com`;
            // The provider's id is the identity source id (imports use `<policy store id>:<identity source id>`).
            if (identitySource) this.identitySourceId = identitySource.id.apply((id) => id.split(":").pop()!);
        }
        this.registerOutputs({
            policyStoreId: this.policyStoreId,
            policyStoreArn: this.policyStoreArn,
            authorizerFunctionArn: this.authorizerFunctionArn,
            authorizerInvokeArn: this.authorizerInvokeArn,
            authorizerFunctionName: this.authorizerFunctionName,
            authorizerRoleArn: this.authorizerRoleArn,
            authorizerCacheTtlSeconds: this.authorizerCacheTtlSeconds,
            authorizerIdentitySource: this.authorizerIdentitySource,
            authorizerHttpApiIdentitySources: this.authorizerHttpApiIdentitySources,
            authorizerInvokeSourceArn: this.authorizerInvokeSourceArn,
            userPoolId: this.userPoolId,
            userPoolArn: this.userPoolArn,
            userPoolClientIds: this.userPoolClientIds,
            userPoolDomain: this.userPoolDomain,
            identitySourceId: this.identitySourceId,
            tableName: this.tableName,
            tableArn: this.tableArn,
            tableStreamArn: this.tableStreamArn,
            jwtSecretArn: this.jwtSecretArn,
        });
    }
}
