import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { assertGuardrails, checkGuardrails, GUARDRAIL_RULES, type GuardrailOptions, type GuardrailViolation } from "../utils/guardrails";
import { ACCOUNT_ID, record, type RecordedResource } from "../utils/harness";

const LEAKED = "hunter2-leaked-value";
const GITHUB_PROVIDER = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
const TARGET_GROUP = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT_ID}:targetgroup/app/0123456789abcdef`;
const CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/00000000-0000-0000-0000-000000000000`;
const SUBNETS = ["subnet-a", "subnet-b"];

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** Every insecure setting the guardrails know about, one (or two) resources per rule. */
class Insecure extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Insecure", name, {}, opts);
        const p = { parent: this };

        const cluster = new aws.ecs.Cluster("bad-cluster", {}, p);
        const task = new aws.ecs.TaskDefinition(
            "bad-task",
            {
                family: "bad",
                containerDefinitions: JSON.stringify([
                    { name: "app", image: "app:1", privileged: true, environment: [{ name: "DB_PASSWORD", value: LEAKED }] },
                ]),
            },
            p,
        );
        new aws.ecs.Service(
            "bad-service",
            { cluster: cluster.arn, taskDefinition: task.arn, networkConfiguration: { subnets: SUBNETS, assignPublicIp: true } },
            p,
        );

        const alb = new aws.lb.LoadBalancer("bad-alb", { loadBalancerType: "application", subnets: SUBNETS }, p);
        new aws.lb.Listener("bad-http", { loadBalancerArn: alb.arn, protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: TARGET_GROUP }] }, p);
        new aws.lb.Listener(
            "bad-https",
            {
                loadBalancerArn: alb.arn,
                protocol: "HTTPS",
                port: 443,
                certificateArn: CERTIFICATE,
                sslPolicy: "ELBSecurityPolicy-2016-08",
                defaultActions: [{ type: "forward", targetGroupArn: TARGET_GROUP }],
            },
            p,
        );

        new aws.ecr.Repository("bad-repo", { imageTagMutability: "MUTABLE" }, p);

        new aws.rds.Instance(
            "bad-db",
            { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, username: "app", password: "not-a-known-secret", publiclyAccessible: true },
            p,
        );

        new aws.s3.Bucket("bad-bucket", {}, p);

        new aws.ec2.Vpc("bad-vpc", { cidrBlock: "10.0.0.0/16" }, p);
        const openVpc = new aws.ec2.Vpc("bad-open-vpc", { cidrBlock: "10.1.0.0/16" }, p);
        new aws.ec2.DefaultSecurityGroup("bad-open-default-sg", { vpcId: openVpc.id, egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }, p);

        new aws.ec2.Instance(
            "bad-nat",
            { ami: "ami-12345678", instanceType: "t4g.nano", sourceDestCheck: false, userData: `#!/bin/sh\nexport UPSTREAM_KEY=${LEAKED}\n` },
            p,
        );
        new aws.ec2.LaunchTemplate("bad-launch-template", { metadataOptions: { httpTokens: "optional" } }, p);

        new aws.elasticache.ReplicationGroup("bad-cache", { description: "cache", nodeType: "cache.t4g.micro", atRestEncryptionEnabled: false }, p);
        new aws.elasticache.ServerlessCache("bad-serverless-cache", { engine: "valkey" }, p);

        new aws.cloudwatch.LogGroup("bad-logs", {}, p);

        const role = new aws.iam.Role(
            "bad-role",
            {
                assumeRolePolicy: policy({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }),
                inlinePolicies: [{ name: "everything", policy: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }],
            },
            p,
        );
        new aws.iam.RolePolicy("bad-role-policy", { role: role.id, policy: policy({ Effect: "Allow", Action: ["s3:*"], Resource: ["*"] }) }, p);
        new aws.iam.Role(
            "bad-github-role",
            {
                assumeRolePolicy: policy({
                    Effect: "Allow",
                    Principal: { Federated: GITHUB_PROVIDER },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
                }),
            },
            p,
        );
        new aws.iam.Role(
            "bad-github-org-role",
            {
                assumeRolePolicy: policy({
                    Effect: "Allow",
                    Principal: { Federated: GITHUB_PROVIDER },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } },
                }),
            },
            p,
        );
        this.registerOutputs({});
    }
}

/** Rule id and resource name of every violation the insecure set must produce (ephemeral profile). */
const INSECURE_EXPECTED: [rule: string, name: string][] = [
    ["ECS.2", "bad-service"],
    ["ECS.4", "bad-task"],
    ["ECS.5", "bad-task"],
    ["ECS.8", "bad-task"],
    ["ECS.9", "bad-task"],
    ["ECS.12", "bad-cluster"],
    ["ELB.1", "bad-http"],
    ["ELB.4", "bad-alb"],
    ["ELB.17", "bad-https"],
    ["ECR.1", "bad-repo"],
    ["ECR.2", "bad-repo"],
    ["ECR.3", "bad-repo"],
    ["RDS.2", "bad-db"],
    ["RDS.3", "bad-db"],
    ["RDS.11", "bad-db"],
    ["RDS.PASSWORD", "bad-db"],
    ["S3.8", "bad-bucket"],
    ["S3.5", "bad-bucket"],
    ["S3.ENCRYPTION", "bad-bucket"],
    ["EC2.2", "bad-vpc"],
    ["EC2.2", "bad-open-vpc"],
    ["EC2.IMDSV2", "bad-nat"],
    ["EC2.IMDSV2", "bad-launch-template"],
    ["ELASTICACHE", "bad-cache"],
    ["ELASTICACHE", "bad-serverless-cache"],
    ["LOGS.RETENTION", "bad-logs"],
    ["IAM.WILDCARD_ACTION", "bad-role"],
    ["IAM.WILDCARD_ACTION", "bad-role-policy"],
    ["IAM.WILDCARD_RESOURCE", "bad-role"],
    ["IAM.WILDCARD_RESOURCE", "bad-role-policy"],
    ["IAM.TRUST_WILDCARD", "bad-role"],
    ["IAM.TRUST_WILDCARD", "bad-github-role"],
    ["IAM.TRUST_WILDCARD", "bad-github-org-role"],
    ["SECRETS.PLAINTEXT", "bad-task"],
    ["SECRETS.PLAINTEXT", "bad-nat"],
];

interface SecureArgs {
    /** Add what only production needs: access logs, deletion protection, flow logs, HTTPS. */
    production: boolean;
}

/** The same kinds of resources done right. */
class Secure extends pulumi.ComponentResource {
    constructor(name: string, args: SecureArgs, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Secure", name, {}, opts);
        const p = { parent: this };
        const prod = args.production;

        const cluster = new aws.ecs.Cluster("good-cluster", { settings: [{ name: "containerInsights", value: "enhanced" }] }, p);
        const logs = new aws.cloudwatch.LogGroup("good-logs", { retentionInDays: 30 }, p);
        const dbSecret = new aws.secretsmanager.Secret("good-db-secret", {}, p);
        new aws.secretsmanager.SecretVersion("good-db-secret-value", { secretId: dbSecret.id, secretString: pulumi.secret(LEAKED) }, p);
        const task = new aws.ecs.TaskDefinition(
            "good-task",
            {
                family: "good",
                containerDefinitions: pulumi.jsonStringify([
                    {
                        name: "app",
                        image: "app:1",
                        readonlyRootFilesystem: true,
                        environment: [
                            { name: "LOG_LEVEL", value: "info" },
                            { name: "TOKEN_ENDPOINT", value: "https://idp.example.com/token" },
                        ],
                        secrets: [{ name: "DB_PASSWORD", valueFrom: dbSecret.arn }],
                        logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": logs.name } },
                    },
                ]),
            },
            p,
        );
        new aws.ecs.Service(
            "good-service",
            { cluster: cluster.arn, taskDefinition: task.arn, networkConfiguration: { subnets: SUBNETS, assignPublicIp: false } },
            p,
        );

        const alb = new aws.lb.LoadBalancer(
            "good-alb",
            {
                subnets: SUBNETS,
                dropInvalidHeaderFields: true,
                ...(prod ? { accessLogs: { bucket: "alb-logs", enabled: true }, enableDeletionProtection: true } : {}),
            },
            p,
        );
        if (prod) {
            new aws.lb.Listener(
                "good-http",
                {
                    loadBalancerArn: alb.arn,
                    protocol: "HTTP",
                    port: 80,
                    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                },
                p,
            );
            new aws.lb.Listener(
                "good-https",
                {
                    loadBalancerArn: alb.arn,
                    protocol: "HTTPS",
                    port: 443,
                    certificateArn: CERTIFICATE,
                    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    defaultActions: [{ type: "forward", targetGroupArn: TARGET_GROUP }],
                },
                p,
            );
        } else {
            // The declared no-domain mode: HTTP only, allowed in ephemeral.
            new aws.lb.Listener("good-http", { loadBalancerArn: alb.arn, protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: TARGET_GROUP }] }, p);
        }
        const nlb = new aws.lb.LoadBalancer("good-nlb", { loadBalancerType: "network", subnets: SUBNETS, enableDeletionProtection: prod }, p);
        new aws.lb.Listener(
            "good-tls",
            {
                loadBalancerArn: nlb.arn,
                protocol: "TLS",
                port: 443,
                certificateArn: CERTIFICATE,
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                defaultActions: [{ type: "forward", targetGroupArn: TARGET_GROUP }],
            },
            p,
        );

        const repo = new aws.ecr.Repository("good-repo", { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } }, p);
        new aws.ecr.LifecyclePolicy(
            "good-repo-lifecycle",
            {
                repository: repo.name,
                policy: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: { type: "expire" } }] }),
            },
            p,
        );

        new aws.rds.Instance(
            "good-db",
            {
                engine: "postgres",
                instanceClass: "db.t4g.micro",
                allocatedStorage: 20,
                username: "app",
                manageMasterUserPassword: true,
                storageEncrypted: true,
                publiclyAccessible: false,
                backupRetentionPeriod: 7,
                deletionProtection: prod,
            },
            p,
        );
        const aurora = new aws.rds.Cluster(
            "good-aurora",
            {
                engine: "aurora-postgresql",
                masterUsername: "app",
                manageMasterUserPassword: true,
                storageEncrypted: true,
                backupRetentionPeriod: 7,
                deletionProtection: prod,
            },
            p,
        );
        new aws.rds.ClusterInstance("good-aurora-1", { clusterIdentifier: aurora.id, instanceClass: "db.t4g.medium", engine: "aurora-postgresql", publiclyAccessible: false }, p);

        const bucket = new aws.s3.Bucket("good-bucket", {}, p);
        new aws.s3.BucketPublicAccessBlock(
            "good-bucket-pab",
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            p,
        );
        new aws.s3.BucketPolicy(
            "good-bucket-policy",
            {
                bucket: bucket.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            },
            p,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            "good-bucket-sse",
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
            p,
        );

        const vpc = new aws.ec2.Vpc("good-vpc", { cidrBlock: "10.0.0.0/16" }, p);
        new aws.ec2.DefaultSecurityGroup("good-vpc-default-sg", { vpcId: vpc.id }, p);
        if (prod) new aws.ec2.FlowLog("good-vpc-flow-log", { vpcId: vpc.id, trafficType: "ALL", logDestination: logs.arn }, p);

        new aws.ec2.Instance("good-nat", { ami: "ami-12345678", instanceType: "t4g.nano", sourceDestCheck: false, metadataOptions: { httpTokens: "required" } }, p);
        new aws.ec2.LaunchTemplate("good-launch-template", { metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } }, p);

        new aws.elasticache.ReplicationGroup(
            "good-cache",
            { description: "cache", nodeType: "cache.t4g.micro", atRestEncryptionEnabled: true, transitEncryptionEnabled: true, securityGroupIds: ["sg-1"] },
            p,
        );
        new aws.elasticache.ServerlessCache("good-serverless-cache", { engine: "valkey", securityGroupIds: ["sg-1"], subnetIds: SUBNETS }, p);

        const role = new aws.iam.Role(
            "good-task-role",
            {
                assumeRolePolicy: policy({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }),
                inlinePolicies: [
                    {
                        name: "pull",
                        policy: pulumi.jsonStringify({
                            Version: "2012-10-17",
                            Statement: [
                                { Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: repo.arn },
                                { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                                { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
                            ],
                        }),
                    },
                ],
            },
            p,
        );
        new aws.iam.RolePolicy(
            "good-task-role-logs",
            { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logs.arn}:*` }] }) },
            p,
        );
        new aws.iam.Role(
            "good-github-role",
            {
                assumeRolePolicy: policy({
                    Effect: "Allow",
                    Principal: { Federated: GITHUB_PROVIDER },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main",
                        },
                    },
                }),
            },
            p,
        );
        this.registerOutputs({});
    }
}

const pairs = (violations: GuardrailViolation[]) => [...new Set(violations.map((v) => `${v.rule} ${v.resourceName}`))].sort();
const expectedPairs = (expected: [string, string][]) => [...new Set(expected.map(([rule, name]) => `${rule} ${name}`))].sort();

async function recordInsecure(): Promise<RecordedResource[]> {
    const { recorder } = await record(() => new Insecure("insecure"));
    return recorder.resources;
}

async function recordSecure(production: boolean): Promise<RecordedResource[]> {
    const { recorder } = await record(() => new Secure("secure", { production }));
    return recorder.resources;
}

describe("guardrails", () => {
    it("names every violation of a deliberately insecure resource set, and assertGuardrails lists them one per line", async () => {
        const resources = await recordInsecure();
        const options: GuardrailOptions = { knownSecrets: [LEAKED] };
        const violations = checkGuardrails(resources, options);

        expect(pairs(violations)).toEqual(expectedPairs(INSECURE_EXPECTED));
        for (const v of violations) {
            expect(v.resourceType).toBe(resources.find((r) => r.name === v.resourceName)?.type);
            expect(v.message.length).toBeGreaterThan(0);
        }
        // A few messages say precisely what is wrong.
        const message = (rule: string, name: string) => violations.filter((v) => v.rule === rule && v.resourceName === name).map((v) => v.message).join("\n");
        expect(message("ECS.8", "bad-task")).toContain('"DB_PASSWORD"');
        expect(message("ELB.1", "bad-http")).toContain('load balancer "bad-alb"');
        expect(message("ELB.17", "bad-https")).toContain("ELBSecurityPolicy-2016-08");
        expect(message("EC2.2", "bad-open-vpc")).toContain("egress");
        expect(message("IAM.TRUST_WILDCARD", "bad-github-role")).toMatch(/no StringEquals\/StringLike condition on .*:sub/);
        expect(message("IAM.TRUST_WILDCARD", "bad-github-org-role")).toContain("repo:acme/*");
        expect(message("IAM.TRUST_WILDCARD", "bad-github-org-role")).toContain(":aud");
        expect(message("SECRETS.PLAINTEXT", "bad-task")).toContain("containerDefinitions(json)[0].environment[0].value");
        expect(message("SECRETS.PLAINTEXT", "bad-nat")).toContain('"userData"');
        expect(message("RDS.PASSWORD", "bad-db")).toMatch(/password input.*\n.*manageMasterUserPassword/);

        let thrown: Error | undefined;
        try {
            assertGuardrails(resources, options);
        } catch (e) {
            thrown = e as Error;
        }
        expect(thrown).toBeInstanceOf(Error);
        const lines = thrown!.message.split("\n");
        expect(lines).toHaveLength(violations.length);
        for (const [i, v] of violations.entries()) {
            expect(lines[i]).toBe(`${v.rule} ${v.resourceType} "${v.resourceName}": ${v.message}`);
        }
        expect(thrown!.message).not.toContain(LEAKED);
        // The catalogue names every rule that fired.
        const catalogue = GUARDRAIL_RULES.map((r) => r.id);
        for (const v of violations) expect(catalogue).toContain(v.rule);
    });

    it("finds nothing wrong with the secure resource set, in both profiles", async () => {
        const ephemeral = await recordSecure(false);
        const production = await recordSecure(true);
        // Every rule type is represented, so a zero count means the rules ran and passed.
        expect(new Set(production.map((r) => r.type)).size).toBeGreaterThanOrEqual(25);
        expect(checkGuardrails(ephemeral, { profile: "ephemeral", knownSecrets: [LEAKED] })).toEqual([]);
        expect(checkGuardrails(production, { profile: "production", knownSecrets: [LEAKED] })).toEqual([]);
        expect(() => assertGuardrails(production, { profile: "production", knownSecrets: [LEAKED] })).not.toThrow();
    });

    it("applies production-only rules in production and not in ephemeral", async () => {
        const resources = await recordSecure(false); // no access logs, deletion protection, flow logs or HTTPS
        expect(checkGuardrails(resources)).toEqual([]);
        expect(checkGuardrails(resources, { profile: "ephemeral" })).toEqual([]);
        expect(pairs(checkGuardrails(resources, { profile: "production" }))).toEqual(
            expectedPairs([
                ["ELB.1", "good-http"],
                ["ELB.5", "good-alb"],
                ["ELB.6", "good-alb"],
                ["ELB.6", "good-nlb"],
                ["RDS.8", "good-db"],
                ["RDS.8", "good-aurora"],
                ["EC2.6", "good-vpc"],
            ]),
        );
        // The production-only rules fire on the insecure set too, on top of the ephemeral ones.
        const insecure = await recordInsecure();
        const extra = pairs(checkGuardrails(insecure, { profile: "production", knownSecrets: [LEAKED] })).filter(
            (p) => !expectedPairs(INSECURE_EXPECTED).includes(p),
        );
        expect(extra).toEqual(expectedPairs([["ELB.5", "bad-alb"], ["ELB.6", "bad-alb"], ["RDS.8", "bad-db"], ["EC2.6", "bad-vpc"], ["EC2.6", "bad-open-vpc"]]));
    });

    it("allow suppresses exactly the named rule on the named resource, and requires a known rule and a reason", async () => {
        const resources = await recordInsecure();
        const before = checkGuardrails(resources, { knownSecrets: [LEAKED] });
        const after = checkGuardrails(resources, {
            knownSecrets: [LEAKED],
            allow: [
                { rule: "ECR.2", name: "bad-repo", reason: "mutable tags needed by the demo pipeline" },
                { rule: "EC2.2", name: "bad-vpc", reason: "legacy VPC managed elsewhere" },
            ],
        });
        const suppressed = (v: GuardrailViolation) => (v.rule === "ECR.2" && v.resourceName === "bad-repo") || (v.rule === "EC2.2" && v.resourceName === "bad-vpc");
        expect(before.filter(suppressed)).toHaveLength(2);
        expect(after).toEqual(before.filter((v) => !suppressed(v)));
        // Same rule on another resource, and another rule on the same resource, still fire.
        expect(pairs(after)).toContain("EC2.2 bad-open-vpc");
        expect(pairs(after)).toContain("ECR.1 bad-repo");

        expect(() => checkGuardrails(resources, { allow: [{ rule: "ECR.99", name: "bad-repo", reason: "typo" }] })).toThrow(/unknown rule "ECR.99"/);
        expect(() => checkGuardrails(resources, { allow: [{ rule: "ECR.2", name: "bad-repo", reason: " " }] })).toThrow(/needs a reason/);
    });

    it("flags a known secret only where it is not marked secret, without printing it", async () => {
        const secretValue = "s3cr3t-Value-42";
        const container = (value: pulumi.Input<string>) =>
            pulumi.jsonStringify([
                {
                    name: "app",
                    image: "app:1",
                    readonlyRootFilesystem: true,
                    environment: [{ name: "UPSTREAM", value }],
                    logConfiguration: { logDriver: "awslogs" },
                },
            ]);
        const { recorder } = await record(() => {
            new aws.ecs.TaskDefinition("marked", { family: "marked", containerDefinitions: container(pulumi.secret(secretValue)) });
            new aws.ssm.Parameter("marked-param", { type: "SecureString", value: pulumi.secret(secretValue) });
            new aws.ecs.TaskDefinition("unmarked", { family: "unmarked", containerDefinitions: container(secretValue) });
            new aws.cloudwatch.LogGroup("unmarked-tag", { retentionInDays: 7, tags: { note: `prefix-${secretValue}-suffix` } });
        });
        const marked = recorder.one("aws:ecs/taskDefinition:TaskDefinition", "marked");
        expect(marked.secretPaths).toContain("containerDefinitions");

        const options = { knownSecrets: [secretValue] };
        const violations = checkGuardrails(recorder.resources, options);
        expect(violations.map((v) => `${v.rule} ${v.resourceName}`).sort()).toEqual(["SECRETS.PLAINTEXT unmarked", "SECRETS.PLAINTEXT unmarked-tag"]);
        expect(violations.find((v) => v.resourceName === "unmarked")?.message).toContain("containerDefinitions(json)[0].environment[0].value");
        expect(violations.find((v) => v.resourceName === "unmarked-tag")?.message).toContain('"tags.note"');
        for (const v of violations) expect(v.message).not.toContain(secretValue);
        expect(() => assertGuardrails(recorder.resources, options)).toThrow(/SECRETS\.PLAINTEXT/);
        try {
            assertGuardrails(recorder.resources, options);
        } catch (e) {
            expect((e as Error).message).not.toContain(secretValue);
        }
        // Without knownSecrets the same resources pass.
        expect(checkGuardrails(recorder.resources)).toEqual([]);
    });

    it("skips checks whose inputs are unknown (preview) instead of guessing", async () => {
        const { recorder } = await record(
            () => {
                // Under preview the bucket's physical name is not known yet, so nothing can be concluded about its companions.
                const bucket = new aws.s3.Bucket("preview-bucket", {});
                new aws.s3.BucketPublicAccessBlock("preview-pab", {
                    bucket: bucket.bucket,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                });
                new aws.s3.BucketServerSideEncryptionConfiguration("preview-sse", { bucket: bucket.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
                new aws.s3.BucketPolicy("preview-policy", { bucket: bucket.bucket, policy: pulumi.jsonStringify({ Statement: [{ Effect: "Deny", Resource: bucket.arn }] }) });
                new aws.ecs.TaskDefinition("preview-task", { family: "p", containerDefinitions: pulumi.jsonStringify([{ name: "app", image: bucket.bucket }]) });
            },
            { preview: true },
        );
        const task = recorder.one("aws:ecs/taskDefinition:TaskDefinition");
        expect(task.unknownPaths).toContain("containerDefinitions");
        expect(recorder.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").unknownPaths).toContain("bucket");
        expect(checkGuardrails(recorder.resources, { profile: "production" })).toEqual([]);
    });
});
