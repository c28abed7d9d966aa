/**
 * The OFFLINE STAND-IN's AWS rules (tests/standin/rules.ts), name uniqueness and in-use refusals
 * (uniqueness.ts), delete-first replacement of named resources and the drift hook (account.ts).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AccountStore, autoMinorUpgrade, rotateSecret } from "../standin/account";
import { StandInProvider } from "../standin/provider";
import { resolveEngineVersion } from "../standin/rdsVersions";
import { cedarHead, forcesNewResource, REPLACE_TABLE } from "../standin/replaceTable";
import { PROPERTY_RULES, type RuleLookup, violations } from "../standin/rules";
import { NAME_UNIQUENESS } from "../standin/uniqueness";

const urnOf = (type: string, name: string, stack = "dev") => `urn:pulumi:${stack}::rampart::${type}::${name}`;
const noResources: RuleLookup = { resource: () => undefined };

const SUBNET = "aws:ec2/subnet:Subnet";
const EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService";
const subnets: Record<string, Record<string, unknown>> = {
    "subnet-a24": { cidrBlock: "10.0.0.0/24", availabilityZone: "us-east-1a" },
    "subnet-b24": { cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1b" },
    "subnet-a28": { cidrBlock: "10.0.2.0/28", availabilityZone: "us-east-1a" },
    "subnet-b28": { cidrBlock: "10.0.2.16/28", availabilityZone: "us-east-1b" },
};
const account: RuleLookup = {
    resource: (type, id) => (type === SUBNET ? subnets[id] : type === "aws:ec2/vpc:Vpc" && id === "vpc-1" ? { cidrBlock: "10.0.0.0/16" } : undefined),
};

interface RuleCase {
    type: string;
    valid: Record<string, unknown>;
    invalid: Record<string, unknown>;
    /** A fragment of the error text. */
    says: string | RegExp;
}

const manyTags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));

/** One accepted and one refused input per rule; every rule in PROPERTY_RULES must appear here. */
const CASES: Record<string, RuleCase> = {
    "tagging.limits": { type: "aws:ec2/vpc:Vpc", valid: { tags: { a: "b" } }, invalid: { tags: manyTags }, says: "TooManyTagsException" },
    "events.ruleName": { type: "aws:cloudwatch/eventRule:EventRule", valid: { name: "skreg-dev-db-rotation" }, invalid: { name: "a".repeat(65) }, says: "expected length of name" },
    "events.targetId": { type: "aws:cloudwatch/eventTarget:EventTarget", valid: { targetId: "redeploy" }, invalid: { targetId: "re deploy" }, says: "invalid value for targetId" },
    "events.eventPattern": {
        type: "aws:cloudwatch/eventRule:EventRule",
        valid: { eventPattern: JSON.stringify({ source: ["aws.secretsmanager"], detail: { eventName: ["RotationSucceeded"] } }) },
        invalid: { eventPattern: JSON.stringify({ source: "aws.secretsmanager" }) },
        says: "InvalidEventPatternException",
    },
    "sfn.stateMachineName": { type: "aws:sfn/stateMachine:StateMachine", valid: { name: "skreg-dev-db-rotation" }, invalid: { name: "skreg.dev" }, says: "invalid value for name" },
    "sfn.definition": {
        type: "aws:sfn/stateMachine:StateMachine",
        valid: { definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Parallel", Branches: [{ StartAt: "B", States: { B: { Type: "Pass", End: true } } }], End: true } } }) },
        invalid: { definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" } } }) },
        says: "MISSING_TRANSITION_TARGET",
    },
    "sfn.logging": {
        type: "aws:sfn/stateMachine:StateMachine",
        valid: { loggingConfiguration: { level: "ALL", includeExecutionData: false, logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/x:*" } },
        invalid: { loggingConfiguration: { level: "ALL", logDestination: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/x" } },
        says: "InvalidLoggingConfiguration",
    },
    "logs.retention": { type: "aws:cloudwatch/logGroup:LogGroup", valid: { retentionInDays: 14 }, invalid: { retentionInDays: 10 }, says: "expected retentionInDays to be one of" },
    "logs.groupName": { type: "aws:cloudwatch/logGroup:LogGroup", valid: { name: "/rampart/app/api" }, invalid: { name: "bad name!" }, says: "invalid value for name" },
    "ecs.fargateSize": {
        type: "aws:ecs/taskDefinition:TaskDefinition",
        valid: { requiresCompatibilities: ["FARGATE"], cpu: "512", memory: "1024" },
        invalid: { requiresCompatibilities: ["FARGATE"], cpu: "512", memory: "512" },
        says: "No Fargate configuration exists for given values: 512 CPU, 512 memory",
    },
    "ecs.containerDependencies": {
        type: "aws:ecs/taskDefinition:TaskDefinition",
        valid: {
            containerDefinitions: JSON.stringify([
                { name: "api", essential: true, dependsOn: [{ containerName: "db-init", condition: "SUCCESS" }] },
                { name: "db-init", essential: false },
            ]),
        },
        invalid: {
            containerDefinitions: JSON.stringify([
                { name: "api", essential: true, dependsOn: [{ containerName: "db-init", condition: "SUCCESS" }] },
                { name: "db-init", essential: true },
            ]),
        },
        says: "Dependency condition SUCCESS cannot be set on essential container db-init",
    },
    "cloudfront.viewerCertificate": {
        type: "aws:cloudfront/distribution:Distribution",
        valid: { aliases: ["cdn.skreg.dev"], viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" } },
        invalid: { aliases: ["cdn.skreg.dev"], viewerCertificate: { acmCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc", sslSupportMethod: "sni-only" } },
        says: "isn't in us-east-1 region",
    },
    "ecs.family": { type: "aws:ecs/taskDefinition:TaskDefinition", valid: { family: "skreg-dev-api" }, invalid: { family: "skreg/dev" }, says: "invalid value for family" },
    "ecs.clusterName": { type: "aws:ecs/cluster:Cluster", valid: { name: "skreg-dev" }, invalid: { name: "skreg.dev" }, says: "invalid value for name" },
    "ecs.serviceName": { type: "aws:ecs/service:Service", valid: { name: "api" }, invalid: { name: "a".repeat(256) }, says: "expected length of name" },
    "ecs.expressServiceName": { type: EXPRESS, valid: { serviceName: "app-dev" }, invalid: { serviceName: "app.dev" }, says: "invalid value for serviceName" },
    "ecs.expressService": {
        type: EXPRESS,
        valid: {
            executionRoleArn: "arn:aws:iam::123456789012:role/x-exec",
            infrastructureRoleArn: "arn:aws:iam::123456789012:role/x-infra",
            primaryContainer: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1" },
            cpu: "256",
            memory: "512",
            networkConfigurations: [{ subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"] }],
            scalingTargets: [{ autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: 70, minTaskCount: 1, maxTaskCount: 2 }],
        },
        invalid: { executionRoleArn: "arn:aws:iam::123456789012:role/x-exec", primaryContainer: {}, cpu: "8192", networkConfigurations: [{ subnets: ["subnet-a"] }], scalingTargets: [{ autoScalingMetric: "CPU", minTaskCount: 3, maxTaskCount: 2 }] },
        says: /infrastructure_role_arn" is required[\s\S]*primary_container\.image[\s\S]*cpu to be one of[\s\S]*at least 2 subnets[\s\S]*autoScalingMetric[\s\S]*must not exceed/,
    },
    "ecs.expressFargateSize": { type: EXPRESS, valid: { cpu: "4096", memory: "8192" }, invalid: { cpu: "256", memory: "4096" }, says: "ClientException: No Fargate configuration exists for given values: 256 CPU, 4096 memory" },
    "ecr.repositoryName": { type: "aws:ecr/repository:Repository", valid: { name: "skreg/api" }, invalid: { name: "Skreg/API" }, says: "invalid value for name" },
    "elb.loadBalancerName": { type: "aws:lb/loadBalancer:LoadBalancer", valid: { name: "skreg-dev" }, invalid: { name: "internal-skreg" }, says: 'cannot begin with "internal-"' },
    "elb.targetGroupName": { type: "aws:lb/targetGroup:TargetGroup", valid: { name: "skreg-dev-api" }, invalid: { name: "skreg-dev-api-target-group-long-name" }, says: "(1 - 32)" },
    "elb.targetGroupHealthCheck": { type: "aws:lb/targetGroup:TargetGroup", valid: { port: 8080, healthCheck: { interval: 15, timeout: 5 } }, invalid: { port: 8080, healthCheck: { interval: 1 } }, says: "healthCheck.interval" },
    "elb.albSubnets": { type: "aws:lb/loadBalancer:LoadBalancer", valid: { subnets: ["subnet-a24", "subnet-b24"] }, invalid: { subnets: ["subnet-a28", "subnet-b28"] }, says: "at least /27" },
    "vpc.cidrSize": { type: "aws:ec2/vpc:Vpc", valid: { cidrBlock: "10.0.0.0/16" }, invalid: { cidrBlock: "10.0.0.0/8" }, says: "InvalidVpc.Range" },
    "vpc.subnetCidr": { type: SUBNET, valid: { vpcId: "vpc-1", cidrBlock: "10.0.3.0/24" }, invalid: { vpcId: "vpc-1", cidrBlock: "10.1.0.0/24" }, says: "InvalidSubnet.Range" },
    "ec2.securityGroupText": { type: "aws:ec2/securityGroup:SecurityGroup", valid: { name: "alb", description: "Load balancer: HTTPS from anywhere" }, invalid: { name: "alb", description: "Team's group" }, says: "invalid value for description" },
    "vpc.securityGroupRuleText": { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", valid: { description: "HTTPS from the VPC" }, invalid: { description: "it's open" }, says: "Invalid rule description" },
    "rds.identifier": { type: "aws:rds/instance:Instance", valid: { identifier: "skreg-dev" }, invalid: { identifier: "skreg--dev" }, says: "invalid value for identifier" },
    "rds.subnetGroupName": { type: "aws:rds/subnetGroup:SubnetGroup", valid: { name: "skreg-dev" }, invalid: { name: "default" }, says: '"default" is not allowed' },
    "rds.instanceSettings": { type: "aws:rds/instance:Instance", valid: { engine: "postgres", allocatedStorage: 20, instanceClass: "db.t4g.micro" }, invalid: { engine: "postgres", allocatedStorage: 10 }, says: "Invalid storage size" },
    "elasticache.serverlessCacheName": { type: "aws:elasticache/serverlessCache:ServerlessCache", valid: { name: "unkey-dev" }, invalid: { name: "unkey-dev-" }, says: "invalid value for name" },
    "s3.bucketName": { type: "aws:s3/bucket:Bucket", valid: { bucket: "skreg-dev-assets" }, invalid: { bucket: "skreg..assets" }, says: "two adjacent periods" },
    "iam.roleName": { type: "aws:iam/role:Role", valid: { name: "skreg-dev-ci" }, invalid: { name: "r".repeat(65) }, says: "(1 - 64)" },
    "iam.rolePolicyName": { type: "aws:iam/rolePolicy:RolePolicy", valid: { name: "read-secrets" }, invalid: { name: "read secrets" }, says: "invalid value for name" },
    "iam.roleSettings": { type: "aws:iam/role:Role", valid: { maxSessionDuration: 3600, path: "/" }, invalid: { maxSessionDuration: 60 }, says: "maxSessionDuration" },
    "iam.oidcProvider": { type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", valid: { url: "https://token.actions.githubusercontent.com" }, invalid: { url: "http://token.actions.githubusercontent.com" }, says: "invalid value for url" },
    "secretsmanager.name": { type: "aws:secretsmanager/secret:Secret", valid: { name: "skreg/dev/api/DATABASE_URL" }, invalid: { name: "skreg dev" }, says: "invalid value for name" },
    "secretsmanager.recoveryWindow": { type: "aws:secretsmanager/secret:Secret", valid: { recoveryWindowInDays: 0 }, invalid: { recoveryWindowInDays: 3 }, says: "recovery_window_in_days" },
    "ssm.parameterName": { type: "aws:ssm/parameter:Parameter", valid: { name: "/rampart/unkey/spire/server.conf" }, invalid: { name: "/aws/reserved" }, says: "must not begin with aws or ssm" },
    "kms.settings": { type: "aws:kms/key:Key", valid: { deletionWindowInDays: 30 }, invalid: { deletionWindowInDays: 3 }, says: "deletionWindowInDays" },
    "kms.aliasName": { type: "aws:kms/alias:Alias", valid: { name: "alias/skreg-dev" }, invalid: { name: "alias/aws/s3" }, says: "reserved for AWS managed keys" },
    "lambda.functionName": { type: "aws:lambda/function:Function", valid: { name: "docs-dev-authorizer" }, invalid: { name: "docs.authorizer" }, says: "invalid value for name" },
    "lambda.limits": { type: "aws:lambda/function:Function", valid: { memorySize: 128, timeout: 10 }, invalid: { memorySize: 64 }, says: "Member must have value between 128 and 10240" },
    "dynamodb.tableName": { type: "aws:dynamodb/table:Table", valid: { name: "docs-dev-entities" }, invalid: { name: "ab" }, says: "(3 - 255)" },
    "cognito.userPoolName": { type: "aws:cognito/userPool:UserPool", valid: { name: "docs dev" }, invalid: { name: "docs/dev" }, says: "invalid value for name" },
    "cognito.userGroupName": { type: "aws:cognito/userGroup:UserGroup", valid: { name: "admins" }, invalid: { name: "g".repeat(129) }, says: "(1 - 128)" },
    "cognito.domainPrefix": { type: "aws:cognito/userPoolDomain:UserPoolDomain", valid: { domain: "docs-dev-login" }, invalid: { domain: "docs-cognito-login" }, says: "Domain cannot contain reserved word: cognito" },
    "apprunner.serviceName": { type: "aws:apprunner/service:Service", valid: { serviceName: "combine-dev-api" }, invalid: { serviceName: "api" }, says: "(4 - 40)" },
    "apprunner.vpcConnectorName": { type: "aws:apprunner/vpcConnector:VpcConnector", valid: { vpcConnectorName: "combine-dev" }, invalid: { vpcConnectorName: "-combine" }, says: "invalid value for vpcConnectorName" },
    "apprunner.vpcIngressConnectionName": { type: "aws:apprunner/vpcIngressConnection:VpcIngressConnection", valid: { name: "combine-dev-internal" }, invalid: { name: "_internal" }, says: "invalid value for name" },
    "apprunner.autoScalingConfigurationName": { type: "aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion", valid: { autoScalingConfigurationName: "combine-dev" }, invalid: { autoScalingConfigurationName: "c".repeat(33) }, says: "(4 - 32)" },
    "apprunner.instanceSize": { type: "aws:apprunner/service:Service", valid: { instanceConfiguration: { cpu: "1024", memory: "2048" } }, invalid: { instanceConfiguration: { cpu: "256", memory: "4096" } }, says: "InvalidRequestException" },
    "apprunner.autoScaling": { type: "aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion", valid: { maxConcurrency: 100, maxSize: 5, minSize: 1 }, invalid: { maxSize: 30 }, says: "maxSize" },
    "cloudfront.originAccessControlName": { type: "aws:cloudfront/originAccessControl:OriginAccessControl", valid: { name: "skreg-dev" }, invalid: { name: "o".repeat(65) }, says: "(1 - 64)" },
};

describe("stand-in AWS rule table", () => {
    it("has a unit case and a documentation URL for every rule", () => {
        expect(Object.keys(CASES).sort()).toEqual(PROPERTY_RULES.map((r) => r.id).sort());
        for (const rule of PROPERTY_RULES) {
            expect(rule.source, rule.id).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|registry\.terraform\.io\/providers\/hashicorp\/aws)\//);
        }
    });

    for (const rule of PROPERTY_RULES) {
        it(`${rule.id} (${rule.enforcement}): accepts what AWS accepts, refuses what AWS refuses`, () => {
            const c = CASES[rule.id];
            expect(rule.verify(c.valid, account)).toEqual([]);
            const refused = rule.verify(c.invalid, account);
            expect(refused.length, JSON.stringify(c.invalid)).toBeGreaterThan(0);
            expect(refused.map((v) => v.message).join("\n")).toMatch(c.says);
            expect(violations(c.type, c.invalid, rule.enforcement, account).map((v) => v.message)).toEqual(expect.arrayContaining(refused.map((v) => v.message)));
        });
    }

    it("accepts every documented log retention and Fargate size, and nothing between", () => {
        const retention = (days: number) => violations("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: days }, "check", noResources);
        for (const d of [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]) expect(retention(d)).toEqual([]);
        for (const d of [2, 10, 21, 45, 366, 3650]) expect(retention(d)).not.toEqual([]);
        const fargate = (cpu: number, memory: number) => violations("aws:ecs/taskDefinition:TaskDefinition", { requiresCompatibilities: ["FARGATE"], cpu: String(cpu), memory: String(memory) }, "apply", noResources);
        expect(fargate(256, 2048)).toEqual([]);
        expect(fargate(256, 3072)).not.toEqual([]);
        expect(fargate(4096, 30720)).toEqual([]);
        expect(fargate(8192, 20480)).toEqual([]);
        expect(fargate(8192, 18432)).not.toEqual([]);
        expect(fargate(16384, 122880)).toEqual([]);
    });

    it("counts default tags into the 50-tag limit and refuses the aws: prefix", () => {
        const forty = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`t${i}`, "v"]));
        const defaults = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`d${i}`, "v"]));
        expect(violations("aws:s3/bucket:Bucket", { tags: forty, tagsAll: { ...defaults, ...forty } }, "apply", noResources)[0].message).toContain("55 tags");
        expect(violations("aws:s3/bucket:Bucket", { tags: { "aws:team": "x" } }, "apply", noResources)[0].message).toContain("reserved");
    });
});

describe("stand-in simulated account", () => {
    const type = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
    const github = { url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] };

    it("shares one account between providers on the same accounts file, and one OIDC provider per URL", async () => {
        const file = join(mkdtempSync(join(tmpdir(), "standin-accounts-")), "accounts.json");
        const pr1 = new StandInProvider("aws", undefined, { accountsFile: file });
        const pr2 = new StandInProvider("aws", undefined, { accountsFile: file });
        const urn1 = urnOf(type, "github", "pr-1");
        const first = await pr1.create(urn1, (await pr1.check(urn1, {}, github)).inputs);
        const urn2 = urnOf(type, "github", "pr-2");
        await expect(pr2.create(urn2, (await pr2.check(urn2, {}, github)).inputs)).rejects.toThrow("EntityAlreadyExists: Provider with url https://token.actions.githubusercontent.com already exists.");
        await pr1.delete(first.id, urn1, first.outs);
        await expect(pr2.create(urn2, (await pr2.check(urn2, {}, github)).inputs)).resolves.toMatchObject({ id: first.id });
    });

    it("looks up the account's OIDC provider by URL (getOpenIdConnectProvider), and fails as the data source does when there is none", async () => {
        const file = join(mkdtempSync(join(tmpdir(), "standin-accounts-")), "accounts.json");
        const provider = new StandInProvider("aws", undefined, { accountsFile: file });
        const lookup = (url: string) => provider.invoke("aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider", { url });
        await expect(lookup(github.url)).rejects.toThrow(/reading IAM OIDC Provider \(https:\/\/token\.actions\.githubusercontent\.com\): empty result/);
        const urn = urnOf(type, "github", "bootstrap");
        const created = await provider.create(urn, (await provider.check(urn, {}, github)).inputs);
        await expect(lookup(github.url)).resolves.toMatchObject({ outputs: { arn: created.id, clientIdLists: ["sts.amazonaws.com"] } });
        await expect(lookup("https://api.pulumi.com/oidc")).rejects.toThrow(/empty result/);
    });

    it("keeps one Route 53 record set per name and type in a zone unless allowOverwrite takes it over", async () => {
        const file = join(mkdtempSync(join(tmpdir(), "standin-accounts-")), "accounts.json");
        const pr1 = new StandInProvider("aws", undefined, { accountsFile: file });
        const pr2 = new StandInProvider("aws", undefined, { accountsFile: file });
        const record = "aws:route53/record:Record";
        const alias = { zoneId: "Z0UNKEY", name: "api.unkey.cloud", type: "A", aliases: [{ name: "lb.example.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }] };
        const urn1 = urnOf(record, "alias", "pr-1");
        await pr1.create(urn1, (await pr1.check(urn1, {}, alias)).inputs);
        const urn2 = urnOf(record, "alias", "pr-2");
        await expect(pr2.create(urn2, (await pr2.check(urn2, {}, alias)).inputs)).rejects.toThrow("InvalidChangeBatch: [Tried to create resource record set [name='api.unkey.cloud.', type='A'] but it already exists]");
        const other = { ...alias, name: "pr-2.api.unkey.cloud" };
        await expect(pr2.create(urn2, (await pr2.check(urn2, {}, other)).inputs)).resolves.toBeDefined();
        const overwrite = { ...alias, allowOverwrite: true };
        const urn3 = urnOf(record, "alias-upsert", "pr-3");
        await expect(pr2.create(urn3, (await pr2.check(urn3, {}, overwrite)).inputs)).resolves.toBeDefined();
    });

    it("reports a resource another stack deleted from the shared account as gone on refresh", async () => {
        const file = join(mkdtempSync(join(tmpdir(), "standin-accounts-")), "accounts.json");
        const mine = new StandInProvider("aws", undefined, { accountsFile: file });
        const theirs = new StandInProvider("aws", undefined, { accountsFile: file });
        const t = "aws:ecr/repository:Repository";
        const urn = urnOf(t, "api");
        const created = await mine.create(urn, (await mine.check(urn, {}, { name: "shared/api" })).inputs);
        expect(await mine.read(created.id, urn, created.outs)).toMatchObject({ id: created.id });
        await theirs.delete(created.id, urnOf(t, "api", "pr-2"), created.outs);
        expect(await mine.read(created.id, urn, created.outs)).toEqual({ id: "", props: {} });
        expect(await mine.read("never-created", urn, {})).toMatchObject({ id: "never-created" });
    });

    it("App Runner VPC ingress connections: only to an apprunner.requests interface endpoint in the same VPC, one per service, replaced on any argument", async () => {
        const aws = new StandInProvider("aws", undefined, { accountsFile: join(mkdtempSync(join(tmpdir(), "standin-accounts-")), "a.json") });
        const create = async (t: string, name: string, inputs: Record<string, unknown>) => aws.create(urnOf(t, name), (await aws.check(urnOf(t, name), {}, inputs)).inputs);
        const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
        const INGRESS = "aws:apprunner/vpcIngressConnection:VpcIngressConnection";
        const endpoint = (service: string) => ({ vpcId: "vpc-1", serviceName: `com.amazonaws.us-east-1.${service}`, vpcEndpointType: "Interface", privateDnsEnabled: false, subnetIds: ["subnet-a"] });
        const requests = await create(ENDPOINT, "requests", endpoint("apprunner.requests"));
        const logs = await create(ENDPOINT, "logs", endpoint("logs"));
        const serviceArn = "arn:aws:apprunner:us-east-1:123456789012:service/app-dev-internal/8fe1e10304f84fd2b0df550fe98a71fa";
        const connection = (vpcEndpointId: string, vpcId = "vpc-1", name = "app-dev-internal") => ({ name, serviceArn, ingressVpcConfiguration: { vpcId, vpcEndpointId } });
        await expect(create(INGRESS, "wrong-endpoint", connection(logs.id))).rejects.toThrow("is not an interface endpoint for apprunner.requests");
        await expect(create(INGRESS, "wrong-vpc", connection(requests.id, "vpc-2"))).rejects.toThrow(`VPC endpoint ${requests.id} is in vpc-1, not in vpc-2`);
        const APPRUNNER = "aws:apprunner/service:Service";
        const appService = (serviceName: string, isPubliclyAccessible: boolean) => ({
            serviceName,
            sourceConfiguration: { imageRepository: { imageIdentifier: "public.ecr.aws/nginx/nginx:1.27", imageRepositoryType: "ECR_PUBLIC" } },
            networkConfiguration: { ingressConfiguration: { isPubliclyAccessible } },
        });
        const publicService = await create(APPRUNNER, "web", appService("app-dev-web", true));
        await expect(create(INGRESS, "public", { ...connection(requests.id, "vpc-1", "app-dev-web"), serviceArn: publicService.id })).rejects.toThrow("needs a private service");
        const privateService = await create(APPRUNNER, "internal-svc", appService("app-dev-internal", false));
        await expect(create(INGRESS, "private", { ...connection(requests.id, "vpc-1", "app-dev-private"), serviceArn: privateService.id })).resolves.toBeDefined();
        const created = await create(INGRESS, "internal", connection(requests.id));
        expect(created.outs).toMatchObject({ arn: created.id, status: "AVAILABLE", domainName: expect.stringMatching(/\.us-east-1\.awsapprunner\.com$/) });
        expect(created.id).toMatch(/^arn:aws:apprunner:us-east-1:123456789012:vpcingressconnection\/app-dev-internal\//);
        await expect(create(INGRESS, "second", connection(requests.id, "vpc-1", "app-dev-internal-2"))).rejects.toThrow("already has a VPC Ingress Connection");
        for (const key of ["name", "serviceArn", "ingressVpcConfiguration"]) expect(forcesNewResource(INGRESS, key, "a", "b"), key).toBe(true);
        expect(forcesNewResource(ENDPOINT, "serviceName", "a", "b")).toBe(true);
    });

    it("Express Mode services: the ECS service ARN and URL, names unique per cluster among all its ECS services, replaced on serviceName and infrastructure role", async () => {
        const aws = new StandInProvider("aws", undefined, { accountsFile: join(mkdtempSync(join(tmpdir(), "standin-accounts-")), "a.json") });
        const create = async (t: string, name: string, inputs: Record<string, unknown>) => aws.create(urnOf(t, name), (await aws.check(urnOf(t, name), {}, inputs)).inputs);
        const cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/combine-dev";
        const express = {
            serviceName: "app-dev",
            cluster,
            executionRoleArn: "arn:aws:iam::123456789012:role/x-exec",
            infrastructureRoleArn: "arn:aws:iam::123456789012:role/x-infra",
            primaryContainer: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1" },
        };
        const created = await create(EXPRESS, "app", express);
        expect(created.id).toBe("arn:aws:ecs:us-east-1:123456789012:service/combine-dev/app-dev");
        expect(created.outs).toMatchObject({ serviceArn: created.id, cpu: "1024", memory: "2048", healthCheckPath: "/" });
        expect(created.outs.ingressPaths[0].endpoint).toMatch(/^app-dev-[a-z0-9]{8}\.ecs\.us-east-1\.on\.aws$/);
        await expect(create(EXPRESS, "again", express)).rejects.toThrow("InvalidParameterException: Creation of service was not idempotent.");
        // A plain ECS service of that name in that cluster (given by name) collides too; in another cluster it does not.
        await expect(create("aws:ecs/service:Service", "plain", { name: "app-dev", cluster: "combine-dev" })).rejects.toThrow("Creation of service was not idempotent");
        await create(EXPRESS, "elsewhere", { ...express, cluster: "arn:aws:ecs:us-east-1:123456789012:cluster/other" });
        await expect(create(EXPRESS, "bad", { ...express, serviceName: "bad-size", cluster: "other2", cpu: "256", memory: "4096" })).rejects.toThrow("ClientException: No Fargate configuration exists");
        expect(forcesNewResource(EXPRESS, "serviceName", "a", "b")).toBe(true);
        expect(forcesNewResource(EXPRESS, "infrastructureRoleArn", "a", "b")).toBe(true);
        for (const property of ["primaryContainer", "cpu", "memory", "scalingTargets", "executionRoleArn", "taskRoleArn", "healthCheckPath", "networkConfigurations"]) {
            expect(forcesNewResource(EXPRESS, property, "a", "b"), property).toBe(false);
        }
    });

    it("keeps names unique in their scope: global buckets, regional log groups, security groups per VPC", async () => {
        const aws = new StandInProvider("aws", undefined, { accountsFile: join(mkdtempSync(join(tmpdir(), "standin-accounts-")), "a.json") });
        const create = async (t: string, name: string, inputs: Record<string, unknown>) => aws.create(urnOf(t, name), (await aws.check(urnOf(t, name), {}, inputs)).inputs);
        await create("aws:s3/bucket:Bucket", "a", { bucket: "shared-name" });
        await expect(create("aws:s3/bucket:Bucket", "b", { bucket: "shared-name", region: "eu-west-1" })).rejects.toThrow("BucketAlreadyOwnedByYou");
        await create("aws:cloudwatch/logGroup:LogGroup", "a", { name: "/app" });
        await expect(create("aws:cloudwatch/logGroup:LogGroup", "b", { name: "/app" })).rejects.toThrow("ResourceAlreadyExistsException");
        await create("aws:cloudwatch/logGroup:LogGroup", "c", { name: "/app", region: "eu-west-1" });
        await create("aws:ec2/securityGroup:SecurityGroup", "a", { name: "alb", vpcId: "vpc-1" });
        await create("aws:ec2/securityGroup:SecurityGroup", "b", { name: "alb", vpcId: "vpc-2" });
        await expect(create("aws:ec2/securityGroup:SecurityGroup", "c", { name: "alb", vpcId: "vpc-1" })).rejects.toThrow("InvalidGroup.Duplicate");
        for (const [t, u] of Object.entries(NAME_UNIQUENESS)) expect(u.source, t).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    });

    it("reserves a deleted secret's name for its recovery window, not when deleted without recovery", async () => {
        const aws = new StandInProvider("aws");
        const t = "aws:secretsmanager/secret:Secret";
        const make = async (name: string, inputs: Record<string, unknown>) => {
            const urn = urnOf(t, name);
            const created = await aws.create(urn, (await aws.check(urn, {}, inputs)).inputs);
            return { urn, ...created };
        };
        const kept = await make("a", { name: "app/key", recoveryWindowInDays: 7 });
        await aws.delete(kept.id, kept.urn, kept.outs);
        await expect(make("b", { name: "app/key" })).rejects.toThrow("already scheduled for deletion");
        const gone = await make("c", { name: "app/other", recoveryWindowInDays: 0 });
        await aws.delete(gone.id, gone.urn, gone.outs);
        await expect(make("d", { name: "app/other" })).resolves.toBeDefined();
    });

    it("refuses an ALB on /28 subnets and a subnet outside its VPC, reading them from the account", async () => {
        const aws = new StandInProvider("aws");
        const create = async (t: string, name: string, inputs: Record<string, unknown>) => aws.create(urnOf(t, name), (await aws.check(urnOf(t, name), {}, inputs)).inputs);
        const vpc = await create("aws:ec2/vpc:Vpc", "v", { cidrBlock: "10.0.0.0/24" });
        await expect(create(SUBNET, "outside", { vpcId: vpc.id, cidrBlock: "10.9.0.0/28" })).rejects.toThrow("InvalidSubnet.Range");
        const a = await create(SUBNET, "a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/28", availabilityZone: "us-east-1a" });
        const b = await create(SUBNET, "b", { vpcId: vpc.id, cidrBlock: "10.0.0.16/28", availabilityZone: "us-east-1b" });
        await expect(create("aws:lb/loadBalancer:LoadBalancer", "alb", { name: "alb", subnets: [a.id, b.id] })).rejects.toThrow(/creating aws:lb\/loadBalancer:LoadBalancer \(alb\): InvalidSubnet: .* at least \/27/);
    });

    it("refuses to delete a security group or target group still in use", async () => {
        const aws = new StandInProvider("aws");
        const make = async (t: string, name: string, inputs: Record<string, unknown>) => {
            const urn = urnOf(t, name);
            return { urn, ...(await aws.create(urn, (await aws.check(urn, {}, inputs)).inputs)) };
        };
        const sg = await make("aws:ec2/securityGroup:SecurityGroup", "alb", { name: "alb", vpcId: "vpc-1" });
        const tg = await make("aws:lb/targetGroup:TargetGroup", "api", { name: "api", port: 8080, protocol: "HTTP", vpcId: "vpc-1" });
        const lb = await make("aws:lb/loadBalancer:LoadBalancer", "alb", { name: "alb", securityGroups: [sg.id] });
        const listener = await make("aws:lb/listener:Listener", "https", { loadBalancerArn: lb.id, defaultActions: [{ type: "forward", targetGroupArn: tg.id }] });
        await expect(aws.delete(sg.id, sg.urn, sg.outs)).rejects.toThrow(`DependencyViolation: resource ${sg.id} has a dependent object`);
        await expect(aws.delete(tg.id, tg.urn, tg.outs)).rejects.toThrow("ResourceInUse: Target group");
        await aws.delete(listener.id, listener.urn, listener.outs);
        await aws.delete(tg.id, tg.urn, tg.outs);
        await aws.delete(lb.id, lb.urn, lb.outs);
        await aws.delete(sg.id, sg.urn, sg.outs);
    });

    it("replaces explicitly named resources delete-first, autonamed ones create-first (as the bridge decides)", async () => {
        const aws = new StandInProvider("aws");
        const t = "aws:lb/targetGroup:TargetGroup";
        const named = await aws.check(urnOf(t, "api"), {}, { name: "skreg-dev-api", port: 8080, protocol: "HTTP", vpcId: "vpc-1" });
        const created = await aws.create(urnOf(t, "api"), named.inputs);
        const moved = await aws.check(urnOf(t, "api"), named.inputs, { name: "skreg-dev-api", port: 9090, protocol: "HTTP", vpcId: "vpc-1" });
        expect(await aws.diff(created.id, urnOf(t, "api"), created.outs, moved.inputs)).toEqual({ changes: true, replaces: ["port"], deleteBeforeReplace: true });

        const auto = await aws.check(urnOf(t, "web"), {}, { port: 8080, protocol: "HTTP", vpcId: "vpc-1" });
        expect(auto.inputs.__defaults).toEqual(["name"]);
        const autoCreated = await aws.create(urnOf(t, "web"), auto.inputs);
        const autoMoved = await aws.check(urnOf(t, "web"), auto.inputs, { port: 9090, protocol: "HTTP", vpcId: "vpc-1" });
        expect(await aws.diff(autoCreated.id, urnOf(t, "web"), autoCreated.outs, autoMoved.inputs)).toEqual({ changes: true, replaces: ["port"], deleteBeforeReplace: false });
        expect(await aws.diff(autoCreated.id, urnOf(t, "web"), autoCreated.outs, { ...autoMoved.inputs, port: 8080, tags: { team: "a" } })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    });
});

describe("stand-in drift hook", () => {
    const RDS = "aws:rds/instance:Instance";
    const rdsInputs = (engineVersion: string) => ({ identifier: "skreg-dev", engine: "postgres", engineVersion, instanceClass: "db.t4g.micro", allocatedStorage: 20 });
    async function deployed(engineVersion: string) {
        const store = new AccountStore();
        const aws = new StandInProvider("aws");
        Object.assign(aws, { accounts: store });
        const urn = urnOf(RDS, "db");
        const inputs = (await aws.check(urn, {}, rdsInputs(engineVersion))).inputs;
        const created = await aws.create(urn, inputs);
        return { store, aws, urn, inputs, created };
    }
    /** The next minor after `version` (`17.7` -> `17.8`): what an automatic minor upgrade moves to. */
    const nextMinor = (version: string) => version.replace(/\.(\d+)$/, (_, minor) => `.${Number(minor) + 1}`);

    it("runs RDS's default minor for a major-only version, and a pinned minor as given", async () => {
        const major = await deployed("17");
        expect(major.created.outs.engineVersion).toBe("17");
        expect(major.created.outs.engineVersionActual).toMatch(/^17\.\d+$/);
        const pinned = await deployed("16.3");
        expect(pinned.created.outs).toMatchObject({ engineVersion: "16.3", engineVersionActual: "16.3" });
        const aws = new StandInProvider("aws");
        Object.assign(aws, { accounts: new AccountStore() });
        await expect(aws.create(urnOf(RDS, "db"), (await aws.check(urnOf(RDS, "db"), {}, rdsInputs("99"))).inputs)).rejects.toThrow("InvalidParameterCombination: Cannot find version 99 for postgres");
    });

    it("keeps a major-only engineVersion after an automatic minor upgrade: refresh reports the running version only as engineVersionActual", async () => {
        const { store, aws, urn, inputs, created } = await deployed("17");
        const upgraded = nextMinor(created.outs.engineVersionActual);
        autoMinorUpgrade(store, created.id, upgraded);
        const refreshed = await aws.read(created.id, urn, created.outs);
        expect(refreshed.props).toMatchObject({ engineVersion: "17", engineVersionActual: upgraded });
        expect(await aws.diff(created.id, urn, refreshed.props, (await aws.check(urn, inputs, rdsInputs("17"))).inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
        // Another change does not send the version, and the instance keeps running the upgraded one.
        const resized = await aws.update(created.id, urn, refreshed.props, { ...inputs, instanceClass: "db.t4g.small" });
        expect(resized.outs).toMatchObject({ engineVersion: "17", engineVersionActual: upgraded });
    });

    it("records the running version as engineVersion for a pinned minor, so the program plans a downgrade that RDS refuses", async () => {
        const { store, aws, urn, inputs, created } = await deployed("16.3");
        autoMinorUpgrade(store, created.id, "16.4");
        const refreshed = await aws.read(created.id, urn, created.outs);
        expect(refreshed.props).toMatchObject({ engineVersion: "16.4", engineVersionActual: "16.4" });
        const diff = await aws.diff(created.id, urn, refreshed.props, (await aws.check(urn, created.outs, inputs)).inputs);
        expect(diff).toMatchObject({ changes: true, replaces: [] });
        await expect(aws.update(created.id, urn, refreshed.props, { ...inputs, engineVersion: "16.3" })).rejects.toThrow("InvalidParameterCombination: Cannot upgrade postgres from 16.4 to 16.3");
        await expect(aws.update(created.id, urn, refreshed.props, { ...inputs, engineVersion: "16.5" })).resolves.toMatchObject({ outs: { engineVersionActual: "16.5" } });
    });

    it("refuses a major-only version whose default minor is older than the running one, even without a refresh", async () => {
        // A stack created with a pinned minor equal to RDS's default, upgraded by RDS since, whose program now says "17".
        const defaultMinor = String(resolveEngineVersion("postgres", "17"));
        expect(defaultMinor).toMatch(/^17\.\d+$/);
        const { store, aws, urn, inputs, created } = await deployed(defaultMinor);
        const running = nextMinor(defaultMinor);
        autoMinorUpgrade(store, created.id, running);
        await expect(aws.update(created.id, urn, created.outs, { ...inputs, engineVersion: "17" })).rejects.toThrow(`InvalidParameterCombination: Cannot upgrade postgres from ${running} to ${defaultMinor}`);
        // Without EngineVersion in the request (unchanged), the update goes through and the instance keeps its version.
        await expect(aws.update(created.id, urn, created.outs, { ...inputs, instanceClass: "db.t4g.small" })).resolves.toMatchObject({ outs: { engineVersionActual: running } });
    });

    it("reports a rotated secret's version as no longer current", async () => {
        const store = new AccountStore();
        const aws = new StandInProvider("aws");
        Object.assign(aws, { accounts: store });
        const t = "aws:secretsmanager/secretVersion:SecretVersion";
        const urn = urnOf(t, "v");
        const created = await aws.create(urn, (await aws.check(urn, {}, { secretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf", secretString: "s" })).inputs);
        expect(created.outs.versionStages).toEqual(["AWSCURRENT"]);
        rotateSecret(store, created.id);
        expect((await aws.read(created.id, urn, created.outs)).props.versionStages).toEqual(["AWSPREVIOUS"]);
    });
});

describe("stand-in replace-on-change table", () => {
    /** `new aws.ec2.Vpc(` in provider/src -> `aws:ec2/vpc:Vpc`. */
    function awsTypesRampartCreates(): string[] {
        const root = join(__dirname, "../../provider/src");
        const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
        const types = new Set<string>();
        for (const f of files) {
            for (const m of readFileSync(join(root, f), "utf8").matchAll(/new aws\.([a-z0-9]+)\.([A-Za-z0-9]+)\(/g)) {
                types.add(`aws:${m[1]}/${m[2][0].toLowerCase()}${m[2].slice(1)}:${m[2]}`);
            }
        }
        return [...types].sort();
    }

    it("has an entry, with its Terraform AWS provider page, for every aws type rampart creates", () => {
        const types = awsTypesRampartCreates();
        expect(types.length).toBeGreaterThan(60);
        expect(types.filter((t) => !REPLACE_TABLE[t])).toEqual([]);
        for (const [type, entry] of Object.entries(REPLACE_TABLE)) expect(entry.source, type).toMatch(/^https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/latest\/docs\/resources\/[a-z0-9_]+$/);
    });

    it("never replaces on a tags-only change", () => {
        for (const type of Object.keys(REPLACE_TABLE).filter((t) => t !== "aws:lambda/permission:Permission")) {
            expect(forcesNewResource(type, "tags", { a: "1" }, { a: "2" }), type).toBe(false);
            expect(forcesNewResource(type, "tagsAll", { a: "1" }, { a: "2" }), type).toBe(false);
        }
    });

    it("replaces an ECR repository when its encryption changes", async () => {
        const aws = new StandInProvider("aws");
        const t = "aws:ecr/repository:Repository";
        const urn = urnOf(t, "api");
        const created = await aws.create(urn, (await aws.check(urn, {}, { name: "skreg/api" })).inputs);
        const kms = (await aws.check(urn, created.outs, { name: "skreg/api", encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:us-east-1:123456789012:key/k" }] })).inputs;
        expect(await aws.diff(created.id, urn, created.outs, kms)).toEqual({ changes: true, replaces: ["encryptionConfigurations"], deleteBeforeReplace: true });
    });

    it("replaces a Verified Permissions policy when its effect, principal or resource changes, not its conditions", () => {
        const t = "aws:verifiedpermissions/policy:Policy";
        const def = (statement: string) => ({ static: { statement, description: "d" } });
        const base = 'permit (principal in Group::"admins", action == Action::"read", resource) when { context.mfa };';
        expect(cedarHead(base)).toBe('permit(principal in Group::"admins", resource)');
        expect(forcesNewResource(t, "definition", def(base), def(base.replace("context.mfa", "context.mfa && true")))).toBe(false);
        expect(forcesNewResource(t, "definition", def(base), def(base.replace('action == Action::"read"', 'action in [Action::"read", Action::"list"]')))).toBe(false);
        expect(forcesNewResource(t, "definition", def(base), def(base.replace("permit", "forbid")))).toBe(true);
        expect(forcesNewResource(t, "definition", def(base), def(base.replace('"admins"', '"editors"')))).toBe(true);
        expect(forcesNewResource(t, "definition", def(base), def(base.replace("resource)", 'resource in Folder::"docs")')))).toBe(true);
        expect(forcesNewResource(t, "definition", def(base), "04da6b54-80e4-46f7-96ec-b56ff0331ba9")).toBe(false);
        expect(forcesNewResource(t, "policyStoreId", "a", "b")).toBe(true);
    });
});

describe("stand-in CloudFront viewer certificate", () => {
    const check = (inputs: Record<string, unknown>) => violations("aws:cloudfront/distribution:Distribution", inputs, "apply", noResources).map((v) => v.message);
    it("refuses an alias without a custom certificate and a minimum protocol above TLSv1 with the default one", () => {
        expect(check({ viewerCertificate: { cloudfrontDefaultCertificate: true } })).toEqual([]);
        expect(check({ aliases: ["cdn.skreg.dev"], viewerCertificate: { cloudfrontDefaultCertificate: true } })).toEqual([expect.stringMatching(/you must attach a trusted certificate/)]);
        expect(check({ viewerCertificate: { cloudfrontDefaultCertificate: true, minimumProtocolVersion: "TLSv1.2_2021" } })).toEqual([expect.stringMatching(/minimum protocol version is TLSv1/)]);
        expect(check({ viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" } })).toEqual([expect.stringMatching(/sslSupportMethod is required/)]);
    });
});
