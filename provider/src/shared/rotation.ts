import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, allowOnAnyResource, policyDocument, PolicyDocument, serviceTrustPolicy, STATES_LOG_DELIVERY_ACTIONS } from "./iam";
import { assertLogRetention } from "./logs";
import { ComponentScope } from "./scope";
import { createLogGroup } from "./logGroup";

/**
 * Redeploy on rotation: the one implementation both components use so that services which read the RDS-managed
 * master password only when they start (ECS `secrets`, App Runner `runtimeEnvironmentSecrets`, the SPIRE server) keep
 * connecting after Secrets Manager rotates it (RDS rotates it every 7 days by default,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html).
 *
 * No code of rampart's runs in AWS for this. An EventBridge rule on the default bus matches the CloudTrail-delivered
 * `RotationSucceeded` event of exactly this secret (source `aws.secretsmanager`, detail-type
 * `AWS Service Event via CloudTrail`, the secret's ARN in `detail.additionalEventData.SecretId`:
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-eventbridge.html,
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html) and starts a Step
 * Functions state machine whose Task states call the AWS SDK service integrations
 * (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): ECS `UpdateService` with
 * `forceNewDeployment` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html) and App
 * Runner `StartDeployment` (https://docs.aws.amazon.com/apprunner/latest/api/API_StartDeployment.html) for each
 * consumer. ECS injects a secret when a container starts and a rotated value reaches only new tasks; AWS's remedy is
 * to update the service with "Force new deployment"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html). New tasks and
 * App Runner instances read the secret's AWSCURRENT version, so they connect with the rotated password.
 *
 * What remains: between the rotation and the moment the rolling deployment has replaced a task (minutes), that
 * task's new connections fail; established connections keep working (PostgreSQL checks the password only when a
 * connection is opened). EventBridge receives CloudTrail-delivered events on a best-effort basis. An application that
 * reads the secret when it connects has no window at all (see the docs, "Database password rotation").
 */

/** The CloudTrail event name Secrets Manager records when a rotation succeeded. */
export const ROTATION_SUCCEEDED = "RotationSucceeded";

/** An ECS service whose tasks read the secret at start. */
export interface EcsConsumer {
    /** Cluster ARN or name (`UpdateService`'s `cluster`). */
    cluster: pulumi.Input<string>;
    /** Service name (`UpdateService`'s `service`). */
    serviceName: pulumi.Input<string>;
    /** Service ARN (`arn:<partition>:ecs:<region>:<account>:service/<cluster>/<service>`), what IAM names. */
    serviceArn: pulumi.Input<string>;
}

export interface RotationRedeployArgs {
    /** Logical-name key: children are `<component>-<key>-rotation-*`, physical names `<component>-<stage>-<key>-rotation`. */
    key: string;
    /** The RDS-managed master user secret (full ARN, as `masterUserSecrets[0].secretArn` returns it). */
    secretArn: pulumi.Input<string>;
    ecsServices: EcsConsumer[];
    /** App Runner service ARNs. */
    appRunnerServiceArns: pulumi.Input<string>[];
    env: { partition: pulumi.Input<string>; region: pulumi.Input<string>; accountId: pulumi.Input<string> };
    /** Retention of the state machine's execution log. */
    logRetentionDays: number;
    /** What the consumers are, for descriptions (for example "services api, worker"). */
    consumersLabel: string;
}

export interface RotationRedeploy {
    rule: aws.cloudwatch.EventRule;
    target: aws.cloudwatch.EventTarget;
    stateMachine: aws.sfn.StateMachine;
    eventsRole: aws.iam.Role;
    stateMachineRole: aws.iam.Role;
    logGroup: aws.cloudwatch.LogGroup;
}

/**
 * The EventBridge event pattern matching the `RotationSucceeded` CloudTrail event of exactly one secret. Exact-value
 * arrays only (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
 */
export function rotationSucceededPattern(secretArn: string): Record<string, unknown> {
    return {
        source: ["aws.secretsmanager"],
        "detail-type": ["AWS Service Event via CloudTrail"],
        detail: {
            eventSource: ["secretsmanager.amazonaws.com"],
            eventName: [ROTATION_SUCCEEDED],
            additionalEventData: { SecretId: [secretArn] },
        },
    };
}

/** Retries of each redeploy call: throttling, and App Runner refusing while another operation runs (InvalidStateException). */
export const REDEPLOY_RETRY = [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 10, MaxAttempts: 6, BackoffRate: 2 }] as const;

/**
 * The Amazon States Language definition (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html):
 * one Parallel state with a branch per consumer, each a Task state calling the AWS SDK integration
 * `arn:<partition>:states:::aws-sdk:<service>:<action>` with the API's own parameter names.
 */
export function redeployDefinition(args: {
    partition: string;
    secretArn: string;
    ecsServices: { cluster: string; serviceName: string }[];
    appRunnerServiceArns: string[];
}): Record<string, unknown> {
    const task = (comment: string, resource: string, parameters: Record<string, unknown>) => ({
        Type: "Task",
        Comment: comment,
        Resource: `arn:${args.partition}:states:::aws-sdk:${resource}`,
        Parameters: parameters,
        Retry: REDEPLOY_RETRY,
        End: true,
    });
    const branches = [
        ...args.ecsServices.map((s, i) => ({
            name: `UpdateEcsService${i + 1}`,
            state: task(`ECS service ${s.serviceName}: new tasks read the rotated secret`, "ecs:updateService", {
                Cluster: s.cluster,
                Service: s.serviceName,
                ForceNewDeployment: true,
            }),
        })),
        ...args.appRunnerServiceArns.map((arn, i) => ({
            name: `StartAppRunnerDeployment${i + 1}`,
            state: task(`App Runner service ${arn.split("/")[1] ?? arn}: new instances read the rotated secret`, "apprunner:startDeployment", { ServiceArn: arn }),
        })),
    ];
    return {
        Comment: `Redeploys the services that read ${args.secretArn} when they start, after Secrets Manager rotated it (rampart)`,
        StartAt: "Redeploy",
        States: {
            Redeploy: {
                Type: "Parallel",
                Branches: branches.map((b) => ({ StartAt: b.name, States: { [b.name]: b.state } })),
                End: true,
            },
        },
    };
}


/** The state machine role's policy: redeploy exactly these services, deliver its logs. */
export function redeployPolicy(args: { ecsServiceArns: string[]; appRunnerServiceArns: string[] }): PolicyDocument {
    return policyDocument([
        ...(args.ecsServiceArns.length ? [allow({ sid: "RedeployEcsServices", actions: ["ecs:UpdateService"], resources: [...args.ecsServiceArns].sort() })] : []),
        ...(args.appRunnerServiceArns.length
            ? [allow({ sid: "RedeployAppRunnerServices", actions: ["apprunner:StartDeployment"], resources: [...args.appRunnerServiceArns].sort() })]
            : []),
        allowOnAnyResource({ sid: "DeliverLogs", actions: STATES_LOG_DELIVERY_ACTIONS }),
    ]);
}

/** The EventBridge role's policy: start exactly this state machine (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html). */
export function startExecutionPolicy(stateMachineArn: string): PolicyDocument {
    return policyDocument([allow({ sid: "StartRedeploy", actions: ["states:StartExecution"], resources: [stateMachineArn] })]);
}

/** `arn:<partition>:states:<region>:<account>:stateMachine:<name>`, known before the state machine exists. */
export function stateMachineArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`;
}

/** Whether there is anything to redeploy. */
export function hasConsumers(args: Pick<RotationRedeployArgs, "ecsServices" | "appRunnerServiceArns">): boolean {
    return args.ecsServices.length + args.appRunnerServiceArns.length > 0;
}

/**
 * The rule, its target, the state machine, their two roles and the state machine's log group. Callers create it only
 * when there is a database and at least one consumer; it throws otherwise (a programming error).
 */
export function createRotationRedeploy(scope: ComponentScope, args: RotationRedeployArgs): RotationRedeploy {
    if (!hasConsumers(args)) throw new Error(`rotation redeploy ${args.key}: no services to redeploy`);
    assertLogRetention(args.logRetentionDays);
    const suffix = `${args.key}-rotation`;
    const name = scope.physical("stepFunctionsStateMachine", suffix);
    const ruleName = scope.physical("eventBridgeRule", suffix);
    const { partition, region, accountId } = args.env;
    const machineArn = pulumi.all([partition, region, accountId]).apply(([p, r, a]) => stateMachineArn(p, r, a, name));

    // Vended logs go to /aws/vendedlogs/ so CloudWatch Logs' resource policy stays within its size limit
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html).
    const logGroup = createLogGroup(scope, scope.child(suffix, "logs"), { name: `/aws/vendedlogs/states/${name}`, retentionInDays: args.logRetentionDays });

    // Confused-deputy protection for Step Functions: https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html
    const stateMachineRole = new aws.iam.Role(
        scope.child(suffix, "sfn-role"),
        {
            name: scope.physical("iamRoleName", `${suffix}-sfn`),
            description: `Step Functions role of ${name}: redeploys ${args.consumersLabel} after the database password rotated`,
            assumeRolePolicy: pulumi
                .all([accountId, machineArn])
                .apply(([account, arn]) =>
                    JSON.stringify(serviceTrustPolicy("states.amazonaws.com", { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": arn } })),
                ),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const stateMachinePolicy = new aws.iam.RolePolicy(
        scope.child(suffix, "sfn-policy"),
        {
            role: stateMachineRole.id,
            policy: pulumi
                .all([pulumi.all(args.ecsServices.map((s) => s.serviceArn)), pulumi.all(args.appRunnerServiceArns)])
                .apply(([ecsServiceArns, appRunnerServiceArns]) => JSON.stringify(redeployPolicy({ ecsServiceArns, appRunnerServiceArns }))),
        },
        scope.opts(),
    );

    const stateMachine = new aws.sfn.StateMachine(
        scope.child(suffix),
        {
            name,
            type: "STANDARD",
            roleArn: stateMachineRole.arn,
            definition: pulumi
                .all([
                    partition,
                    args.secretArn,
                    pulumi.all(args.ecsServices.map((s) => pulumi.all([s.cluster, s.serviceName]))),
                    pulumi.all(args.appRunnerServiceArns),
                ])
                .apply(([p, secretArn, ecs, appRunnerServiceArns]) =>
                    JSON.stringify(
                        redeployDefinition({
                            partition: p,
                            secretArn,
                            ecsServices: ecs.map(([cluster, serviceName]) => ({ cluster, serviceName })),
                            appRunnerServiceArns,
                        }),
                    ),
                ),
            // Security Hub StepFunctions.1 (logging on): https://docs.aws.amazon.com/securityhub/latest/userguide/stepfunctions-controls.html
            loggingConfiguration: { level: "ALL", includeExecutionData: false, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
            tags: scope.tags,
        },
        scope.opts({ dependsOn: [stateMachinePolicy] }),
    );

    const eventsRole = new aws.iam.Role(
        scope.child(suffix, "events-role"),
        {
            name: scope.physical("iamRoleName", `${suffix}-events`),
            description: `EventBridge role of rule ${ruleName}: starts ${name}`,
            assumeRolePolicy: pulumi.output(accountId).apply((account) => JSON.stringify(serviceTrustPolicy("events.amazonaws.com", { StringEquals: { "aws:SourceAccount": account } }))),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const eventsPolicy = new aws.iam.RolePolicy(
        scope.child(suffix, "events-policy"),
        { role: eventsRole.id, policy: stateMachine.arn.apply((arn) => JSON.stringify(startExecutionPolicy(arn))) },
        scope.opts(),
    );

    const rule = new aws.cloudwatch.EventRule(
        scope.child(suffix, "rule"),
        {
            name: ruleName,
            description: `Secrets Manager rotated the database password: redeploy ${args.consumersLabel}`,
            eventPattern: pulumi.output(args.secretArn).apply((arn) => JSON.stringify(rotationSucceededPattern(arn))),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const target = new aws.cloudwatch.EventTarget(
        scope.child(suffix, "target"),
        { rule: rule.name, targetId: "redeploy", arn: stateMachine.arn, roleArn: eventsRole.arn },
        scope.opts({ dependsOn: [eventsPolicy] }),
    );
    return { rule, target, stateMachine, eventsRole, stateMachineRole, logGroup };
}
