import { describe, expect, it } from "vitest";
import {
    accessLogsBucketPolicy,
    appRunnerAccessPolicy,
    ciPushPolicy,
    ecrLifecyclePolicy,
    ecrRepositoryArnOfImage,
    executionRolePolicy,
    githubTrustPolicy,
    storageBucketPolicy,
    taskRoleDatabasePolicy,
} from "../../../provider/src/servicePlatform/policies";
import { secretArnForm, secretPolicyArns } from "../../../provider/src/shared/iam";

const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbC123";

describe("policy documents", () => {
    it("names the secret, not its JSON key, and matches partial ARNs with -??????", () => {
        expect(secretPolicyArns(`${SECRET}:password::`)).toEqual([SECRET]);
        expect(secretPolicyArns(SECRET)).toEqual([SECRET]);
        expect(secretPolicyArns("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db")).toEqual(["arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-??????"]);
        expect(secretPolicyArns("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db:password::")).toEqual(["arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-??????"]);
    });

    it("grants a partial ARN whose name ends like a random suffix both ways (issue 12: `-config` was taken for the suffix)", () => {
        const partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/otel-config";
        expect(secretArnForm(partial)).toBe("ambiguous");
        expect(secretPolicyArns(partial)).toEqual([partial, `${partial}-??????`]);
        expect(secretArnForm("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/api-tokens")).toBe("ambiguous");
        // AWS's own example suffix (lowercase and digits) cannot be told from a name either.
        expect(secretArnForm("arn:aws:secretsmanager:us-west-2:111122223333:secret:MyTestDatabaseSecret-a1b2c3")).toBe("ambiguous");
    });

    it("grants a full ARN exactly: the six characters AWS appends, letters of both cases and digits", () => {
        for (const full of [SECRET, "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbC123", "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x-9ZzQ1a"]) {
            expect(secretArnForm(full), full).toBe("full");
            expect(secretPolicyArns(full), full).toEqual([full]);
        }
    });

    it("grants the task role the RDS-managed secret by its exact ARN, whatever its random characters look like", () => {
        // RDS names its secret `rds!db-<uuid>-<6 random>`; a suffix with no digit or capital looks like a partial ARN.
        const rdsSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0f1e2d3c-abcdef";
        const policy = taskRoleDatabasePolicy(rdsSecret, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        expect(policy.Statement).toEqual([
            expect.objectContaining({ Sid: "ReadSecrets", Action: ["secretsmanager:GetSecretValue"], Resource: rdsSecret }),
            expect.objectContaining({ Sid: "DecryptSecrets", Action: ["kms:Decrypt"] }),
        ]);
    });
    it("reads no form from what is not a Secrets Manager ARN", () => {
        for (const bad of ["arn:aws:secretsmanager:us-east-1:123456789012:secret:", "arn:aws:secretsmanager::123456789012:secret:x", "arn:aws:secretsmanager:us-east-1:1234:secret:x", "arn:aws:ssm:us-east-1:123456789012:parameter/x", "arn:aws:secretsmanager:us-east-1:123456789012:secret:a b"]) {
            expect(secretArnForm(bad), bad).toBeUndefined();
        }
    });

    it("finds the repository of a private ECR image only", () => {
        expect(ecrRepositoryArnOfImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.2")).toBe("arn:aws:ecr:eu-west-1:123456789012:repository/team/api");
        expect(ecrRepositoryArnOfImage(`123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:${"a".repeat(64)}`)).toBe("arn:aws:ecr:us-east-1:123456789012:repository/api");
        expect(ecrRepositoryArnOfImage("public.ecr.aws/nginx/nginx:1")).toBeUndefined();
        expect(ecrRepositoryArnOfImage("nginx:1")).toBeUndefined();
    });

    it("lets the execution role read exactly its secrets, its log group and its repository", () => {
        const policy = executionRolePolicy({
            logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/rampart/app-dev/api",
            repositoryArns: ["arn:aws:ecr:us-east-1:123456789012:repository/app-dev-api"],
            secretsManager: [`${SECRET}:username::`, `${SECRET}:password::`],
            ssmParameters: ["arn:aws:ssm:us-east-1:123456789012:parameter/app/flags"],
            kmsKeys: [],
        });
        expect(policy.Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
            ["EcrLogin", ["ecr:GetAuthorizationToken"], "*"],
            ["PullImage", ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], "arn:aws:ecr:us-east-1:123456789012:repository/app-dev-api"],
            ["WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], "arn:aws:logs:us-east-1:123456789012:log-group:/rampart/app-dev/api:log-stream:*"],
            ["ReadSecrets", ["secretsmanager:GetSecretValue"], SECRET],
            ["ReadParameters", ["ssm:GetParameters"], "arn:aws:ssm:us-east-1:123456789012:parameter/app/flags"],
        ]);
    });

    it("adds KMS decrypt only for a customer-managed key, and no ECR statements for public images", () => {
        const key = "arn:aws:kms:us-east-1:123456789012:key/abc";
        const withKey = executionRolePolicy({ logGroupArn: "arn:aws:logs:us-east-1:1:log-group:g", repositoryArns: [], secretsManager: [SECRET], ssmParameters: [], kmsKeys: [key] });
        expect(withKey.Statement.map((s) => s.Sid)).toEqual(["WriteLogs", "ReadSecrets", "DecryptSecrets"]);
        expect(withKey.Statement[2].Resource).toBe(key);
    });

    it("lets CI log in on * and push to exactly the platform's repositories", () => {
        const repos = ["arn:aws:ecr:us-east-1:1:repository/b", "arn:aws:ecr:us-east-1:1:repository/a"];
        const policy = ciPushPolicy(repos);
        expect(policy.Statement[0]).toEqual({ Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" });
        expect(policy.Statement[1].Resource).toEqual([...repos].sort());
        expect(policy.Statement[1].Action).toEqual(["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]);
        expect(() => ciPushPolicy([])).toThrow(/at least one resource/);
        expect(appRunnerAccessPolicy([]).Statement).toHaveLength(1);
    });

    it("trusts GitHub for the audience and exact subjects only", () => {
        const trust = githubTrustPolicy("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com", ["repo:o/r:ref:refs/heads/main", "repo:o/r:environment:prod"]);
        expect(trust.Statement[0].Condition).toEqual({
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": ["repo:o/r:ref:refs/heads/main", "repo:o/r:environment:prod"],
            },
        });
    });

    it("writes bucket policies that deny plain HTTP and admit one distribution or the Region's log delivery", () => {
        const storage = storageBucketPolicy("arn:aws:s3:::b", "arn:aws:cloudfront::1:distribution/E1");
        expect(storage.Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] });
        expect(storage.Statement[1]).toMatchObject({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: ["s3:GetObject"], Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::1:distribution/E1" } } });
        expect(storageBucketPolicy("arn:aws:s3:::b").Statement).toHaveLength(1);
        const old = accessLogsBucketPolicy({ bucketArn: "arn:aws:s3:::logs", prefix: "alb", accountId: "123456789012", region: "us-east-1" });
        expect(old.Statement[1]).toMatchObject({ Principal: { AWS: "arn:aws:iam::127311923021:root" }, Resource: "arn:aws:s3:::logs/alb/AWSLogs/123456789012/*" });
        const newer = accessLogsBucketPolicy({ bucketArn: "arn:aws:s3:::logs", prefix: "alb", accountId: "123456789012", region: "ap-southeast-5" });
        expect(newer.Statement[1].Principal).toEqual({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
    });

    it("expires untagged images and keeps the newest N", () => {
        const rules = JSON.parse(ecrLifecyclePolicy(10)).rules;
        expect(rules.map((r: any) => [r.rulePriority, r.selection.tagStatus, r.selection.countType, r.selection.countNumber])).toEqual([
            [1, "untagged", "sinceImagePushed", 1],
            [2, "any", "imageCountMoreThan", 10],
        ]);
    });
});
