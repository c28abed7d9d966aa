/**
 * IAM policy documents built so that least privilege is the easy path: statements name their
 * actions and resources explicitly, and a `*` is refused unless the action is one AWS only
 * accepts on every resource (listed below), in which case the statement says why.
 */

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource?: string | string[] | unknown;
    Principal?: Record<string, string | string[]>;
    Condition?: ConditionBlock;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/**
 * Actions the state machine's role needs to deliver its logs to CloudWatch Logs. AWS grants them only on `*`
 * (CloudWatch Logs' log-delivery APIs have no resource-level permissions):
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy
 */
export const STATES_LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

/**
 * The Session Manager message channels ECS Exec opens from a task (its task role needs them). The service defines no
 * resource types for them, so they are granted on `*`:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsessionmanagermessagegatewayservice.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
 */
export const ECS_EXEC_ACTIONS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"];

/**
 * An IAM action as rampart accepts it: `service:Action`, no wildcard
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
 */
export const IAM_ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/** Actions AWS only authorizes on `Resource: "*"`. */
export const ACTIONS_REQUIRING_WILDCARD_RESOURCE: ReadonlySet<string> = new Set([
    "ecr:GetAuthorizationToken",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "cloudwatch:PutMetricData",
    // No resource types: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
    "kms:CreateKey",
    "kms:ListKeys",
    "kms:ListAliases",
    ...STATES_LOG_DELIVERY_ACTIONS,
    ...ECS_EXEC_ACTIONS,
]);

export class IamPolicyError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "IamPolicyError";
    }
}

export interface AllowArgs {
    sid?: string;
    actions: string[];
    /** Resource ARNs (plain strings or Output values resolved by the caller before serialising). */
    resources: unknown[];
    conditions?: ConditionBlock;
}

/** An Allow statement that refuses wildcard actions and wildcard resources. */
export function allow(args: AllowArgs): PolicyStatement {
    checkActions(args.actions);
    if (args.resources.length === 0) {
        throw new IamPolicyError(`statement ${args.sid ?? args.actions.join(",")}: at least one resource is required`);
    }
    if (args.resources.some((r) => r === "*")) {
        throw new IamPolicyError(
            `statement ${args.sid ?? args.actions.join(",")}: Resource "*" is not allowed; name the resources, or use allowOnAnyResource for actions AWS only grants on "*"`,
        );
    }
    return {
        ...(args.sid ? { Sid: args.sid } : {}),
        Effect: "Allow",
        Action: [...new Set(args.actions)].sort(),
        Resource: args.resources.length === 1 ? args.resources[0] : args.resources,
        ...(args.conditions ? { Condition: args.conditions } : {}),
    };
}

/** An Allow statement on `Resource: "*"`, accepted only for actions AWS cannot scope to a resource. */
export function allowOnAnyResource(args: { sid?: string; actions: string[]; conditions?: ConditionBlock }): PolicyStatement {
    checkActions(args.actions);
    const scopable = args.actions.filter((a) => !ACTIONS_REQUIRING_WILDCARD_RESOURCE.has(a));
    if (scopable.length > 0) {
        throw new IamPolicyError(
            `statement ${args.sid ?? args.actions.join(",")}: ${scopable.join(", ")} can be scoped to resources; Resource "*" is only for ${[
                ...ACTIONS_REQUIRING_WILDCARD_RESOURCE,
            ].join(", ")}`,
        );
    }
    return {
        ...(args.sid ? { Sid: args.sid } : {}),
        Effect: "Allow",
        Action: [...new Set(args.actions)].sort(),
        Resource: "*",
        ...(args.conditions ? { Condition: args.conditions } : {}),
    };
}

function checkActions(actions: string[]): void {
    if (actions.length === 0) throw new IamPolicyError("a statement needs at least one action");
    for (const action of actions) {
        if (!IAM_ACTION_PATTERN.test(action)) {
            throw new IamPolicyError(`action "${action}" is not allowed: name each action as service:Action, without "*"`);
        }
    }
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
    if (statements.length === 0) throw new IamPolicyError("a policy document needs at least one statement");
    return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy letting one AWS service (for example `ecs-tasks.amazonaws.com`) assume a role. */
export function serviceTrustPolicy(service: string, conditions?: ConditionBlock): PolicyDocument {
    if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(service)) {
        throw new IamPolicyError(`"${service}" is not an AWS service principal (<name>.amazonaws.com)`);
    }
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: service },
            Action: ["sts:AssumeRole"],
            ...(conditions ? { Condition: conditions } : {}),
        },
    ]);
}

/**
 * A Secrets Manager secret ARN as ECS (`valueFrom`) and App Runner take it:
 * `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>[-<6 random characters>]`, optionally followed by
 * `:<json-key>:<version-stage>:<version-id>` (ECS picks a JSON key or version; each part may be empty). Secret names
 * are letters, digits and `/_+=.@-`, up to 512 characters (and `!` in the
 * secrets RDS manages, `rds!db-<id>`).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html,
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
 */
export const SECRET_REFERENCE_PATTERN =
    /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):secretsmanager:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):secret:([A-Za-z0-9/_+=.@!-]{1,512})(?::([^:]*):([^:]*):([^:]*))?$/;

/** What a Secrets Manager reference was given as, read from its text. */
export type SecretArnForm = "full" | "partial" | "ambiguous";

/**
 * Whether a secret ARN is full (it ends in the hyphen and six random characters Secrets Manager appends to the name)
 * or partial (the name alone). AWS cannot tell a full ARN from a partial one whose name itself ends in a hyphen and
 * six letters or digits (`app/config`'s ARN ends in `-config`): it advises against such names
 * (API_CreateSecret, `Name`), and such references are "ambiguous" here.
 */
export function secretArnForm(reference: string): SecretArnForm | undefined {
    const m = SECRET_REFERENCE_PATTERN.exec(reference);
    if (!m) return undefined;
    const name = m[4];
    if (!/-[A-Za-z0-9]{6}$/.test(name)) return "partial";
    // A name part after the last `/` that is only the six characters (`app/-AbC123`) is no suffix.
    return /[A-Za-z0-9_+=.@!]-[A-Za-z0-9]{6}$/.test(name) && /\d/.test(name.slice(-6)) && /[A-Z]/.test(name.slice(-6)) ? "full" : "ambiguous";
}

/**
 * The resources an IAM policy names so a role can read the secret a reference points to, as AWS documents
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html): a full ARN exactly;
 * a partial ARN with `-??????` for the six random characters (a `*` would also match other secrets whose names
 * start the same); an ambiguous one both ways, so it works whichever it is. A JSON key or version suffix is not
 * part of the secret's ARN and is dropped.
 */
export function secretPolicyArns(reference: string): string[] {
    const m = SECRET_REFERENCE_PATTERN.exec(reference);
    const base = m ? reference.split(":").slice(0, 7).join(":") : reference;
    switch (secretArnForm(reference)) {
        case "full":
            return [base];
        case "partial":
            return [`${base}-??????`];
        case "ambiguous":
            return [base, `${base}-??????`];
        default:
            return [base];
    }
}

/**
 * Deny every request to the bucket that does not use TLS (Security Hub S3.5,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5; the `aws:SecureTransport` key:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html).
 */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: ["s3:*"],
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}
