/** IAM, bucket and lifecycle policy documents of the platform: pure functions of resolved ARNs. */
import { allow, allowOnAnyResource, ConditionBlock, denyInsecureTransport, ECS_EXEC_ACTIONS, policyDocument, PolicyDocument, PolicyStatement, secretPolicyArns } from "../shared/iam";
import { BucketAccess } from "./args";
import { githubActionsTrustPolicy } from "../shared/github";
import { parseArn } from "../shared/validation";

/** The actions `docker push` needs on a repository (skreg's AwsOidc list). */
export const ECR_PUSH_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
];
/** The actions pulling an image needs on a repository. */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/** The repository ARN of a private ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]`), else undefined. */
export function ecrRepositoryArnOfImage(image: string, partition = "aws"): string | undefined {
    const m = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._/-]+?)(?::[\w.-]+)?(?:@sha256:[a-f0-9]{64})?$/.exec(image);
    if (!m) return undefined;
    return `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[3]}`;
}

/** Whether an image comes from ECR Public (App Runner's other supported source). */
export function isEcrPublicImage(image: string): boolean {
    return image.startsWith("public.ecr.aws/");
}

export interface ReadableSecrets {
    /** Full ARNs of the secrets rampart stores and RDS manages: granted exactly. */
    createdSecretArns?: string[];
    /** Secrets Manager `valueFrom` references the user gave (full or partial ARNs, optionally with a JSON key suffix). */
    secretsManager: string[];
    /** SSM parameter ARNs. */
    ssmParameters: string[];
    /**
     * Customer-managed KMS keys that encrypt what the role reads: the platform's `kmsKeyArn` when it protects secrets
     * rampart stores or RDS manages, and the keys named in `secretsKmsKeyArns`.
     */
    kmsKeys: string[];
}

/** Statements that let a role read exactly the given secrets and parameters (nothing when there are none). */
export function secretReadStatements(secrets: ReadableSecrets): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    const sm = unique([...(secrets.createdSecretArns ?? []), ...secrets.secretsManager.flatMap((reference) => secretPolicyArns(reference))]);
    const ssm = unique(secrets.ssmParameters);
    if (sm.length) statements.push(allow({ sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: sm }));
    if (ssm.length) statements.push(allow({ sid: "ReadParameters", actions: ["ssm:GetParameters"], resources: ssm }));
    if (secrets.kmsKeys.length && (sm.length || ssm.length)) {
        statements.push(allow({ sid: "DecryptSecrets", actions: ["kms:Decrypt"], resources: unique(secrets.kmsKeys) }));
    }
    return statements;
}

/**
 * An ECS task role's policy when its service uses the database: read the RDS-managed secret (and decrypt it with the
 * platform's key when one encrypts it), so the application can fetch the current password when it connects. RDS
 * reports the secret's full ARN, so it is granted exactly, whatever its six random characters look like.
 */
export function taskRoleDatabasePolicy(secretArn: string, kmsKeyArn?: string): PolicyDocument {
    return policyDocument(secretReadStatements({ createdSecretArns: [secretArn], secretsManager: [], ssmParameters: [], kmsKeys: kmsKeyArn ? [kmsKeyArn] : [] }));
}

/** The S3 actions each `bucketAccess` grants on the objects of the platform's bucket (`ListBucket` goes on the bucket itself). */
export const BUCKET_OBJECT_ACTIONS: Readonly<Record<BucketAccess, string[]>> = {
    [BucketAccess.Read]: ["s3:GetObject"],
    [BucketAccess.ReadWrite]: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
};

/**
 * What a service's own role (ECS task role, App Runner instance role) may do: read the RDS-managed secret when it uses
 * the database, reach the platform's bucket as `bucketAccess` says, open ECS Exec channels, and the user's statements.
 * The bucket is SSE-S3, so no KMS grant is needed for it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
 */
export interface ServiceRoleInputs {
    databaseSecretArn?: string;
    kmsKeyArn?: string;
    bucket?: { arn: string; access: BucketAccess };
    executeCommand?: boolean;
    statements?: { actions: string[]; resources: string[] }[];
}

/** The statements of a service's own role, empty when it needs none. */
export function serviceRoleStatements(inputs: ServiceRoleInputs): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    if (inputs.databaseSecretArn) {
        statements.push(
            ...secretReadStatements({ createdSecretArns: [inputs.databaseSecretArn], secretsManager: [], ssmParameters: [], kmsKeys: inputs.kmsKeyArn ? [inputs.kmsKeyArn] : [] }),
        );
    }
    if (inputs.bucket) {
        statements.push(allow({ sid: "ListBucket", actions: ["s3:ListBucket"], resources: [inputs.bucket.arn] }));
        statements.push(allow({ sid: "BucketObjects", actions: BUCKET_OBJECT_ACTIONS[inputs.bucket.access], resources: [`${inputs.bucket.arn}/*`] }));
    }
    if (inputs.executeCommand) statements.push(allowOnAnyResource({ sid: "EcsExec", actions: ECS_EXEC_ACTIONS }));
    (inputs.statements ?? []).forEach((s, i) => statements.push(allow({ sid: `Service${i + 1}`, actions: s.actions, resources: unique(s.resources) })));
    return statements;
}

export interface ExecutionRoleInputs extends ReadableSecrets {
    logGroupArn: string;
    /** Private ECR repositories the task pulls its image from. */
    repositoryArns: string[];
}

/**
 * The ECS task execution role's policy: pull the image from its repository, write to its own log group, read the
 * secrets its container references. AWS's managed AmazonECSTaskExecutionRolePolicy grants these on `*`.
 */
export function executionRolePolicy(inputs: ExecutionRoleInputs): PolicyDocument {
    const statements: PolicyStatement[] = [];
    const repos = unique(inputs.repositoryArns);
    if (repos.length) {
        statements.push(allowOnAnyResource({ sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"] }));
        statements.push(allow({ sid: "PullImage", actions: ECR_PULL_ACTIONS, resources: repos }));
    }
    statements.push(allow({ sid: "WriteLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${inputs.logGroupArn}:log-stream:*`] }));
    statements.push(...secretReadStatements(inputs));
    return policyDocument(statements);
}

/** App Runner's access role: pull from the given private repositories (log in only, when the image turns out to be public). */
export function appRunnerAccessPolicy(repositoryArns: string[]): PolicyDocument {
    const repos = unique(repositoryArns);
    return policyDocument([
        allowOnAnyResource({ sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"] }),
        ...(repos.length ? [allow({ sid: "PullImage", actions: [...ECR_PULL_ACTIONS, "ecr:DescribeImages"], resources: repos })] : []),
    ]);
}

/** The CI role's policy: log in to ECR (AWS grants that action only on `*`) and push to exactly these repositories. */
export function ciPushPolicy(repositoryArns: string[]): PolicyDocument {
    return policyDocument([
        allowOnAnyResource({ sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"] }),
        allow({ sid: "PushImages", actions: ECR_PUSH_ACTIONS, resources: unique(repositoryArns) }),
    ]);
}

/** Trust policy for the CI role: audience `sts.amazonaws.com` and exactly the given `sub` claims (StringEquals, no wildcards). */
export function githubTrustPolicy(providerArn: string, subjects: string[]): PolicyDocument {
    return githubActionsTrustPolicy(providerArn, { exact: [...subjects], wildcard: [] }, "ServicePlatform CI role");
}

/** Trust policy for a service principal, limited to this account (confused-deputy protection). */
export function accountScopedTrust(accountId: string): ConditionBlock {
    return { StringEquals: { "aws:SourceAccount": accountId } };
}

/** The VPC flow logs role's policy: write to one log group. */
export function flowLogsPolicy(logGroupArn: string): PolicyDocument {
    return policyDocument([
        allow({
            sid: "WriteFlowLogs",
            actions: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
        }),
    ]);
}

/** The storage bucket's policy: TLS only, and reads by exactly one CloudFront distribution when there is a CDN. */
export function storageBucketPolicy(bucketArn: string, distributionArn?: string): PolicyDocument {
    const statements: PolicyStatement[] = [denyInsecureTransport(bucketArn)];
    if (distributionArn) {
        statements.push({
            Sid: "CloudFrontReads",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: ["s3:GetObject"],
            Resource: `${bucketArn}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
        });
    }
    return policyDocument(statements);
}

/**
 * Elastic Load Balancing's log-delivery accounts in the Regions that existed before August 2022; newer Regions use
 * the `logdelivery.elasticloadbalancing.amazonaws.com` service principal instead (AWS ELB user guide, "Enable access logs").
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
};

/** The access-logs bucket's policy: TLS only, and log delivery into `<prefix>/AWSLogs/<account>/` only. */
export function accessLogsBucketPolicy(args: { bucketArn: string; prefix: string; accountId: string; region: string; partition?: string }): PolicyDocument {
    const resource = `${args.bucketArn}/${args.prefix}/AWSLogs/${args.accountId}/*`;
    const elbAccount = ELB_LOG_DELIVERY_ACCOUNTS[args.region];
    const principal: Record<string, string> = elbAccount
        ? { AWS: `arn:${args.partition ?? "aws"}:iam::${elbAccount}:root` }
        : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    return policyDocument([
        denyInsecureTransport(args.bucketArn),
        { Sid: "LoadBalancerLogDelivery", Effect: "Allow", Principal: principal, Action: ["s3:PutObject"], Resource: resource },
    ]);
}

/** ECR lifecycle: expire untagged images after a day and keep the newest `keep` images. */
export function ecrLifecyclePolicy(keep: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: "Expire untagged images after 1 day",
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the newest ${keep} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    });
}

/** The account id of an ARN, or undefined. */
export function accountOf(arn: string): string | undefined {
    return parseArn(arn)?.account || undefined;
}

function unique(values: string[]): string[] {
    return [...new Set(values.filter((v) => typeof v === "string" && v.length > 0))].sort();
}
