/**
 * Tests of the OFFLINE STAND-IN provider plugin (tests/standin): the provider class driven directly,
 * and once as a real gRPC plugin through its launcher.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushImages } from "../standin/account";
import { banner, StandInProvider } from "../standin/provider";
import { isSecret, plain, secret, UNKNOWN } from "../standin/values";

const ROOT = join(__dirname, "../..");
const ACCOUNT = "123456789012";

const urnOf = (type: string, name: string) => `urn:pulumi:dev::rampart::${type}::${name}`;

/** Check then Create, as the engine does for a new resource. */
async function make(p: StandInProvider, type: string, name: string, inputs: Record<string, any>) {
    const urn = urnOf(type, name);
    const checked = await p.check(urn, {}, inputs);
    expect(checked.failures ?? []).toEqual([]);
    const created = await p.create(urn, checked.inputs);
    return { urn, inputs: checked.inputs as Record<string, any>, id: created.id, outs: created.outs as Record<string, any> };
}

function which(cmd: string): boolean {
    try {
        execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
}

describe("stand-in aws provider", () => {
    const aws = new StandInProvider("aws");

    it("reports the impersonated package's version and a minimal schema", async () => {
        const version = JSON.parse(readFileSync(join(ROOT, "node_modules/@pulumi/aws/package.json"), "utf8")).version;
        expect(aws.version).toBe(version);
        expect(JSON.parse(await aws.getSchema())).toEqual({ name: "aws", version });
        expect(banner("aws")).toBe("OFFLINE STAND-IN for the aws provider: no cloud calls are made");
    });

    it("runs create, diff, update, read and delete honestly", async () => {
        const vpc = await make(aws, "aws:ec2/vpc:Vpc", "net", { cidrBlock: "10.0.0.0/16", tags: { Name: "net" } });
        expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
        expect(vpc.outs).toMatchObject({
            id: vpc.id,
            cidrBlock: "10.0.0.0/16",
            arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${vpc.id}`,
            tagsAll: { Name: "net" },
            region: "us-east-1",
        });
        expect(vpc.outs.defaultSecurityGroupId).toMatch(/^sg-[0-9a-f]{17}$/);
        expect(vpc.outs.mainRouteTableId).toMatch(/^rtb-/);
        expect(vpc.outs.defaultNetworkAclId).toMatch(/^acl-/);

        // A second run of the same program: no changes.
        const again = await aws.check(vpc.urn, vpc.inputs, { cidrBlock: "10.0.0.0/16", tags: { Name: "net" } });
        expect(await aws.diff(vpc.id, vpc.urn, vpc.outs, again.inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

        // A tag change updates in place; a CIDR change replaces.
        const retagged = { ...vpc.inputs, tags: { Name: "net", team: "a" } };
        expect(await aws.diff(vpc.id, vpc.urn, vpc.outs, retagged)).toMatchObject({ changes: true, replaces: [] });
        expect(await aws.diff(vpc.id, vpc.urn, vpc.outs, { ...vpc.inputs, cidrBlock: "10.1.0.0/16" })).toMatchObject({ changes: true, replaces: ["cidrBlock"] });
        // Dropping an input the program had set is a change; dropping a computed output is not.
        expect(await aws.diff(vpc.id, vpc.urn, vpc.outs, { cidrBlock: "10.0.0.0/16" })).toMatchObject({ changes: true, replaces: [] });
        // A value not known yet (preview) is a change, and replaces where the property forces it.
        expect(await aws.diff(vpc.id, vpc.urn, vpc.outs, { ...vpc.inputs, cidrBlock: UNKNOWN })).toMatchObject({ changes: true, replaces: ["cidrBlock"] });

        const updated = (await aws.update(vpc.id, vpc.urn, vpc.outs, retagged)).outs as Record<string, any>;
        expect(updated.id).toBe(vpc.id);
        expect(updated.tagsAll).toEqual({ Name: "net", team: "a" });
        expect(updated.defaultSecurityGroupId).toBe(vpc.outs.defaultSecurityGroupId);
        expect(await aws.diff(vpc.id, vpc.urn, updated, retagged)).toMatchObject({ changes: false });

        expect(await aws.read(vpc.id, vpc.urn, updated)).toEqual({ id: vpc.id, props: updated });
        await expect(aws.delete()).resolves.toBeUndefined();
    });

    it("gives deterministic ids, and a new id when a replacement changes the inputs", async () => {
        const a = await make(new StandInProvider("aws"), "aws:ec2/subnet:Subnet", "s", { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24" });
        const b = await make(new StandInProvider("aws"), "aws:ec2/subnet:Subnet", "s", { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24" });
        const c = await make(new StandInProvider("aws"), "aws:ec2/subnet:Subnet", "s", { vpcId: "vpc-1", cidrBlock: "10.0.2.0/24" });
        expect(a.id).toBe(b.id);
        expect(c.id).not.toBe(a.id);
        expect(a.outs.availabilityZone).toBe("us-east-1a");
        expect(a.outs.availabilityZoneId).toBe("use1-az1");
    });

    it("autonames like Pulumi and keeps the name on later runs", async () => {
        const role = await make(aws, "aws:iam/role:Role", "task-role", { assumeRolePolicy: "{}" });
        expect(role.inputs.name).toMatch(/^task-role-[0-9a-f]{7}$/);
        expect(role.id).toBe(role.inputs.name);
        expect(role.outs.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/${role.inputs.name}`);
        expect(role.outs.uniqueId).toMatch(/^AROA[A-Z0-9]{17}$/);
        expect(role.outs.region).toBeUndefined();
        const recheck = await aws.check(role.urn, role.inputs, { assumeRolePolicy: '{"changed":true}' });
        expect((recheck.inputs as any).name).toBe(role.inputs.name);
        expect(await aws.diff(role.id, role.urn, role.outs, recheck.inputs)).toMatchObject({ changes: true, replaces: [] });
        expect(await aws.diff(role.id, role.urn, role.outs, { ...role.inputs, name: "other" })).toMatchObject({ replaces: ["name"] });

        const bucket = await make(aws, "aws:s3/bucket:Bucket", "Assets", {});
        expect(bucket.inputs.bucket).toMatch(/^assets-[0-9a-f]{7}$/);
        expect(bucket.id).toBe(bucket.inputs.bucket);
        expect(bucket.outs).toMatchObject({
            arn: `arn:aws:s3:::${bucket.id}`,
            bucketDomainName: `${bucket.id}.s3.amazonaws.com`,
            bucketRegionalDomainName: `${bucket.id}.s3.us-east-1.amazonaws.com`,
        });

        const tooLong = await aws.check(urnOf("aws:lb/loadBalancer:LoadBalancer", "lb"), {}, { name: "a-load-balancer-name-that-is-too-long" });
        expect(tooLong.failures?.[0]?.property).toBe("name");
        const badBucket = await aws.check(urnOf("aws:s3/bucket:Bucket", "b"), {}, { bucket: "Not_Valid" });
        expect(badBucket.failures?.[0]?.property).toBe("bucket");
        const unknownName = await aws.check(urnOf("aws:lb/loadBalancer:LoadBalancer", "lb"), {}, { name: UNKNOWN });
        expect(unknownName.failures).toEqual([]);
    });

    it("builds ARNs and endpoints the way AWS does", async () => {
        const eu = new StandInProvider("aws");
        eu.configure({ "aws:config:region": "eu-west-1", "aws:defaultTags": JSON.stringify({ tags: { owner: "rampart" } }) });
        const logs = await make(eu, "aws:cloudwatch/logGroup:LogGroup", "logs", { name: "/rampart/app", tags: { app: "x" } });
        expect(logs.id).toBe("/rampart/app");
        expect(logs.outs.arn).toBe(`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/rampart/app`);
        expect(logs.outs.tagsAll).toEqual({ owner: "rampart", app: "x" });

        const repo = await make(eu, "aws:ecr/repository:Repository", "repo", { name: "app" });
        expect(repo.outs.repositoryUrl).toBe(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/app`);
        expect(repo.outs.registryId).toBe(ACCOUNT);

        const lb = await make(aws, "aws:lb/loadBalancer:LoadBalancer", "alb", { name: "web", loadBalancerType: "application" });
        expect(lb.outs.dnsName).toMatch(/^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
        expect(lb.outs.zoneId).toBe("Z35SXDOTRQ7X7K");
        expect(lb.id).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/web/[0-9a-f]{16}$`));
        const listener = await make(aws, "aws:lb/listener:Listener", "https", { loadBalancerArn: lb.id, port: 443 });
        expect(listener.outs.arn.startsWith(lb.id.replace(":loadbalancer/", ":listener/"))).toBe(true);
        const tg = await make(aws, "aws:lb/targetGroup:TargetGroup", "tg", { name: "api", port: 8080, protocol: "HTTP", vpcId: "vpc-1" });
        expect(tg.outs.arnSuffix).toMatch(/^targetgroup\/api\/[0-9a-f]{16}$/);

        const cluster = await make(aws, "aws:ecs/cluster:Cluster", "c", { name: "main" });
        expect(cluster.id).toBe(`arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/main`);
        const task = await make(aws, "aws:ecs/taskDefinition:TaskDefinition", "t", { family: "api", containerDefinitions: "[]" });
        expect(task.id).toBe("api");
        expect(task.outs.arn).toBe(`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api:${task.outs.revision}`);
        expect(task.outs.arnWithoutRevision).toBe(`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/api`);
        expect(await aws.diff(task.id, task.urn, task.outs, task.inputs)).toMatchObject({ changes: false });
        expect(await aws.diff(task.id, task.urn, task.outs, { ...task.inputs, containerDefinitions: '[{"name":"x"}]' })).toMatchObject({ replaces: ["containerDefinitions"] });
        const service = await make(aws, "aws:ecs/service:Service", "svc", { name: "api", cluster: cluster.id, taskDefinition: task.outs.arn });
        expect(service.id).toBe(`arn:aws:ecs:us-east-1:${ACCOUNT}:service/main/api`);

        // Rotation redeploy: the rule's ARN and id, the target's id, the state machine's ARN (= id); the type replaces.
        const rule = await make(aws, "aws:cloudwatch/eventRule:EventRule", "rule", { name: "db-rotation", eventPattern: '{"source":["aws.secretsmanager"]}' });
        expect([rule.id, rule.outs.arn]).toEqual(["db-rotation", `arn:aws:events:us-east-1:${ACCOUNT}:rule/db-rotation`]);
        const target = await make(aws, "aws:cloudwatch/eventTarget:EventTarget", "target", { rule: "db-rotation", targetId: "redeploy", arn: "arn:aws:states:us-east-1:1:stateMachine:x" });
        expect(target.id).toBe("db-rotation-redeploy");
        const definition = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });
        const machine = await make(aws, "aws:sfn/stateMachine:StateMachine", "sm", { name: "db-rotation", roleArn: "arn:aws:iam::1:role/x", definition });
        expect([machine.id, machine.outs.arn, machine.outs.type]).toEqual([`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:db-rotation`, `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:db-rotation`, "STANDARD"]);
        expect(await aws.diff(machine.id, machine.urn, machine.outs, { ...machine.inputs, type: "EXPRESS" })).toMatchObject({ replaces: ["type"] });
        expect(await aws.diff(machine.id, machine.urn, machine.outs, { ...machine.inputs, definition: JSON.stringify({ StartAt: "B", States: { B: { Type: "Pass", End: true } } }) })).toMatchObject({ changes: true, replaces: [] });

        const fn = await make(aws, "aws:lambda/function:Function", "authorizer", { name: "authz", role: "arn:aws:iam::1:role/x" });
        expect(fn.outs.arn).toBe(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:authz`);
        expect(fn.outs.invokeArn).toBe(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:authz/invocations`);
        expect(fn.outs.qualifiedArn).toBe(`${fn.outs.arn}:$LATEST`);
        expect(fn.outs.version).toBe("$LATEST");

        const oidc = await make(aws, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "gh", { url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
        expect(oidc.outs.arn).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);

        const cdn = await make(aws, "aws:cloudfront/distribution:Distribution", "cdn", { enabled: true });
        expect(cdn.outs.domainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
        expect(cdn.outs.hostedZoneId).toBe("Z2FDTNDATAQYW2");
        expect(cdn.outs.arn).toBe(`arn:aws:cloudfront::${ACCOUNT}:distribution/${cdn.id}`);

        const pool = await make(aws, "aws:cognito/userPool:UserPool", "users", { name: "users" });
        expect(pool.id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
        expect(pool.outs.endpoint).toBe(`cognito-idp.us-east-1.amazonaws.com/${pool.id}`);
        expect(pool.outs.arn).toBe(`arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/${pool.id}`);

        const store = await make(aws, "aws:verifiedpermissions/policyStore:PolicyStore", "store", { validationSettings: { mode: "STRICT" } });
        expect(store.outs.policyStoreId).toBe(store.id);
        expect(store.outs.arn).toBe(`arn:aws:verifiedpermissions::${ACCOUNT}:policy-store/${store.id}`);
        const policy = await make(aws, "aws:verifiedpermissions/policy:Policy", "p", { policyStoreId: store.id, definition: { static: { statement: "permit(principal, action, resource);" } } });
        expect(policy.id).toBe(`${policy.outs.policyId},${store.id}`);
        const schema = await make(aws, "aws:verifiedpermissions/schema:Schema", "s", { policyStoreId: store.id, definition: { value: JSON.stringify({ Rampart: { entityTypes: {}, actions: {} } }) } });
        expect(schema.outs.namespaces).toEqual(["Rampart"]);
        const source = await make(aws, "aws:verifiedpermissions/identitySource:IdentitySource", "src", { policyStoreId: store.id, configuration: {} });
        expect(source.id).toBe(`${store.id}:${source.outs.identitySourceId}`);

        const table = await make(aws, "aws:dynamodb/table:Table", "t", { name: "sessions", hashKey: "id", streamEnabled: true, streamViewType: "NEW_IMAGE" });
        expect(table.outs.streamArn).toMatch(new RegExp(`^arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/sessions/stream/`));
        const key = await make(aws, "aws:kms/key:Key", "k", {});
        expect(key.outs.keyId).toBe(key.id);
        expect(key.outs.arn).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${key.id}`);
        const record = await make(aws, "aws:route53/record:Record", "r", { zoneId: "Z123", name: "api.example.com", type: "A" });
        expect(record.outs.fqdn).toBe("api.example.com");
        expect(record.id).toBe("Z123_api.example.com_A");

        // Unknown types still work with the generic rule.
        const other = await make(aws, "aws:wafv2/webAcl:WebAcl", "waf", { scope: "REGIONAL" });
        expect(other.id).toMatch(/^web-acl-[0-9a-f]{12}$/);
        expect(other.outs.arn).toMatch(new RegExp(`^arn:aws:wafv2:us-east-1:${ACCOUNT}:web-acl/`));
    });

    it("returns the RDS managed master user secret and endpoint", async () => {
        const db = await make(aws, "aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.micro", manageMasterUserPassword: true, username: "app" });
        expect(db.inputs.identifier).toMatch(/^db-[0-9a-f]{7}$/);
        expect(db.outs.port).toBe(5432);
        expect(db.outs.endpoint).toBe(`${db.outs.address}:5432`);
        expect(db.outs.address).toMatch(new RegExp(`^${db.inputs.identifier}\\.[a-z0-9]{12}\\.us-east-1\\.rds\\.amazonaws\\.com$`));
        expect(db.outs.masterUserSecrets).toHaveLength(1);
        expect(db.outs.masterUserSecrets[0]).toMatchObject({ secretStatus: "active" });
        expect(db.outs.masterUserSecrets[0].secretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rds!db-`));
        expect(db.outs.masterUserSecrets[0].kmsKeyId).toMatch(/^arn:aws:kms:/);
        expect(await aws.diff(db.id, db.urn, db.outs, { ...db.inputs, engine: "mysql" })).toMatchObject({ replaces: ["engine"] });

        // Encrypted without a key: RDS reports the AWS-managed aws/rds key (the same one for every instance of the
        // account and region); setting no key later is no change (kms_key_id is Optional and Computed).
        expect(db.outs.kmsKeyId).toBeUndefined();
        const encrypted = await make(aws, "aws:rds/instance:Instance", "enc", { engine: "postgres", instanceClass: "db.t4g.micro", manageMasterUserPassword: true, username: "app", storageEncrypted: true });
        const other = await make(aws, "aws:rds/instance:Instance", "enc2", { engine: "postgres", instanceClass: "db.t4g.micro", manageMasterUserPassword: true, username: "app", storageEncrypted: true });
        expect(encrypted.outs.kmsKeyId).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/[0-9a-f-]{36}$`));
        expect(other.outs.kmsKeyId).toBe(encrypted.outs.kmsKeyId);
        expect(await aws.diff(encrypted.id, encrypted.urn, encrypted.outs, encrypted.inputs)).toMatchObject({ changes: false });
        const cmk = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f6c2a52-5b8e-4f0e-9a57-1d3c3f1d2e10`;
        expect(await aws.diff(encrypted.id, encrypted.urn, encrypted.outs, { ...encrypted.inputs, kmsKeyId: cmk })).toMatchObject({ replaces: ["kmsKeyId"] });
        const withKey = await make(aws, "aws:rds/instance:Instance", "cmk", { engine: "postgres", instanceClass: "db.t4g.micro", manageMasterUserPassword: true, username: "app", storageEncrypted: true, kmsKeyId: cmk });
        expect(withKey.outs.kmsKeyId).toBe(cmk);

        const cache = await make(aws, "aws:elasticache/serverlessCache:ServerlessCache", "cache", { engine: "valkey" });
        expect(cache.outs.endpoints).toEqual([{ address: expect.stringMatching(/\.serverless\.use1\.cache\.amazonaws\.com$/), port: 6379 }]);
        expect(cache.outs.readerEndpoints[0].port).toBe(6380);
    });

    it("derives ACM DNS validation records from the domain and alternative names", async () => {
        const cert = await make(aws, "aws:acm/certificate:Certificate", "cert", { domainName: "example.com", subjectAlternativeNames: ["*.example.com", "api.example.org"], validationMethod: "DNS" });
        const dvo = cert.outs.domainValidationOptions as Array<Record<string, string>>;
        expect(dvo.map((o) => o.domainName)).toEqual(["example.com", "*.example.com", "api.example.org"]);
        for (const o of dvo) {
            expect(o.resourceRecordType).toBe("CNAME");
            expect(o.resourceRecordName).toMatch(/^_[0-9a-f]{32}\./);
            expect(o.resourceRecordValue).toMatch(/\.acm-validations\.aws\.$/);
        }
        expect(dvo[0].resourceRecordName).toBe(dvo[1].resourceRecordName); // wildcard validates like the base domain
        expect(dvo[2].resourceRecordName.endsWith(".api.example.org.")).toBe(true);
        expect(cert.id).toMatch(new RegExp(`^arn:aws:acm:us-east-1:${ACCOUNT}:certificate/[0-9a-f-]{36}$`));
    });

    it("keeps secrets secret and compares them by value", async () => {
        const version = await make(aws, "aws:secretsmanager/secretVersion:SecretVersion", "v", { secretId: "arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf", secretString: secret("hunter2") });
        expect(isSecret(version.outs.secretString)).toBe(true);
        expect(plain(version.outs.secretString)).toBe("hunter2");
        expect(version.outs.versionId).toMatch(/^[0-9a-f-]{36}$/);
        expect(await aws.diff(version.id, version.urn, version.outs, { ...version.inputs, secretString: "hunter2" })).toMatchObject({ changes: false });
        expect(await aws.diff(version.id, version.urn, version.outs, { ...version.inputs, secretString: secret("other") })).toMatchObject({ replaces: ["secretString"] });

        const param = await make(aws, "aws:ssm/parameter:Parameter", "p", { name: "/rampart/x", type: "SecureString", value: secret("a") });
        expect(param.outs.arn).toBe(`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/rampart/x`);
        const updated = (await aws.update(param.id, param.urn, param.outs, { ...param.inputs, value: secret("b") })).outs as Record<string, any>;
        expect(updated.version).toBe(2);
        expect(isSecret(updated.value)).toBe(true);
    });

    it("lists the account's ECR repositories, their tags and pushed images, and log groups by prefix; refuses to delete a repository with images unless forced", async () => {
        const p = new StandInProvider("aws");
        const tags = { ManagedBy: "rampart", Stage: "dev" };
        const kept = await make(p, "aws:ecr/repository:Repository", "kept", { name: "skreg-dev-api", forceDelete: false, tags });
        const forced = await make(p, "aws:ecr/repository:Repository", "forced", { name: "skreg-dev-jobs", forceDelete: true, tags });
        await make(p, "aws:cloudwatch/logGroup:LogGroup", "logs", { name: "/rampart/skreg-dev/api", retentionInDays: 7 });
        await make(p, "aws:cloudwatch/logGroup:LogGroup", "other", { name: "/rampart/skreg-devx/api", retentionInDays: 7 });
        pushImages(p.accounts!, "skreg-dev-api", ["v1", "v2"]);
        pushImages(p.accounts!, "skreg-dev-jobs", ["v1"]);
        expect((await p.invoke("aws:ecr/getRepositories:getRepositories", {})).outputs.names).toEqual(["skreg-dev-api", "skreg-dev-jobs"]);
        expect((await p.invoke("aws:ecr/getRepository:getRepository", { name: "skreg-dev-api" })).outputs.tags).toEqual(tags);
        expect((await p.invoke("aws:ecr/getImages:getImages", { repositoryName: "skreg-dev-api" })).outputs.imageIds.map((i: any) => i.imageTag)).toEqual(["v1", "v2"]);
        await expect(p.invoke("aws:ecr/getImages:getImages", { repositoryName: "nope" })).rejects.toThrow("RepositoryNotFoundException");
        expect((await p.invoke("aws:cloudwatch/getLogGroups:getLogGroups", { logGroupNamePrefix: "/rampart/skreg-dev/" })).outputs.logGroupNames).toEqual(["/rampart/skreg-dev/api"]);
        await expect(p.delete(kept.id, kept.urn, kept.outs)).rejects.toThrow("RepositoryNotEmptyException");
        await p.delete(forced.id, forced.urn, forced.outs);
        expect((await p.invoke("aws:ecr/getRepositories:getRepositories", {})).outputs.names).toEqual(["skreg-dev-api"]);
    });

    it("App Runner: refuses to create or deploy a service whose image is not in its ECR repository of the account (CREATE_FAILED)", async () => {
        const p = new StandInProvider("aws");
        await make(p, "aws:ecr/repository:Repository", "repo", { name: "combine-dev-app", forceDelete: true });
        const registry = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
        const service = (image: string) => ({
            serviceName: "combine-dev-app",
            sourceConfiguration: { autoDeploymentsEnabled: false, imageRepository: { imageIdentifier: image, imageRepositoryType: "ECR", imageConfiguration: { port: "8000" } } },
        });
        const type = "aws:apprunner/service:Service";
        const urn = urnOf(type, "app");
        const missing = (await p.check(urn, {}, service(`${registry}/combine-dev-app:latest`))).inputs;
        await expect(p.create(urn, missing)).rejects.toThrow(/CREATE_FAILED.*combine-dev-app:latest: the repository 'combine-dev-app' holds no image tagged 'latest' \(it holds no images\)/);
        pushImages(p.accounts!, "combine-dev-app", ["sha-1"]);
        const created = await make(p, type, "app", service(`${registry}/combine-dev-app:sha-1`));
        const digest = `sha256:${createHash("sha256").update("combine-dev-app:sha-1").digest("hex")}`;
        await p.update(created.id, urn, created.outs, (await p.check(urn, created.outs, service(`${registry}/combine-dev-app@${digest}`))).inputs);
        const next = (await p.check(urn, created.outs, service(`${registry}/combine-dev-app:sha-2`))).inputs;
        await expect(p.update(created.id, urn, created.outs, next)).rejects.toThrow("holds no image tagged 'sha-2' (it holds 'sha-1')");
        // A repository the account does not know (another account's, or not created by a stack) is not judged.
        await make(p, type, "other", { ...service("210987654321.dkr.ecr.us-east-1.amazonaws.com/elsewhere:v1"), serviceName: "combine-dev-other" });
    });

    it("App Runner auto-scaling configurations: 5 revisions per name, 10 names per Region", async () => {
        const p = new StandInProvider("aws");
        const type = "aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion";
        const config = (name: string, min: number) => ({ autoScalingConfigurationName: name, minSize: min, maxSize: min, maxConcurrency: 100 });
        for (let min = 1; min <= 5; min++) await make(p, type, `a${min}`, config("app-pr-1", min));
        const sixth = (await p.check(urnOf(type, "a6"), {}, config("app-pr-1", 6))).inputs;
        await expect(p.create(urnOf(type, "a6"), sixth)).rejects.toThrow("the auto scaling configuration 'app-pr-1' already has the maximum of 5 revisions");
        for (let n = 2; n <= 10; n++) await make(p, type, `n${n}`, config(`app-pr-${n}`, 1));
        const eleventh = (await p.check(urnOf(type, "n11"), {}, config("app-pr-11", 1))).inputs;
        await expect(p.create(urnOf(type, "n11"), eleventh)).rejects.toThrow("maximum of 10 auto scaling configuration names in this Region");
    });

    it("answers the data sources components use and names unknown ones", async () => {
        expect((await aws.invoke("aws:index/getRegion:getRegion", {})).outputs).toMatchObject({ name: "us-east-1", region: "us-east-1" });
        const eu = new StandInProvider("aws");
        eu.configure({ "aws:region": "eu-central-1" });
        expect((await eu.invoke("aws:index/getRegion:getRegion", {})).outputs).toMatchObject({ region: "eu-central-1" });
        expect((await aws.invoke("aws:index/getCallerIdentity:getCallerIdentity", {})).outputs).toMatchObject({ accountId: ACCOUNT });
        expect((await aws.invoke("aws:index/getPartition:getPartition", {})).outputs).toMatchObject({ partition: "aws", dnsSuffix: "amazonaws.com" });
        const zones = (await eu.invoke("aws:index/getAvailabilityZones:getAvailabilityZones", { state: "available" })).outputs;
        expect(zones.names).toEqual(["a", "b", "c", "d", "e", "f"].map((l) => `eu-central-1${l}`));
        expect(zones.zoneIds[0]).toBe("euc1-az1");
        expect((await aws.invoke("aws:ec2/getAmi:getAmi", { owners: ["amazon"], mostRecent: true })).outputs.id).toMatch(/^ami-[0-9a-f]{17}$/);
        expect((await aws.invoke("aws:ssm/getParameter:getParameter", { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" })).outputs.value).toMatch(/^ami-/);

        const doc = (
            await aws.invoke("aws:iam/getPolicyDocument:getPolicyDocument", {
                statements: [
                    {
                        sid: "Assume",
                        actions: ["sts:AssumeRoleWithWebIdentity"],
                        principals: [{ type: "Federated", identifiers: ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"] }],
                        conditions: [
                            { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
                            { test: "StringLike", variable: "token.actions.githubusercontent.com:sub", values: ["repo:o/r:ref:refs/heads/main", "repo:o/r:environment:prod"] },
                        ],
                    },
                    { effect: "Deny", actions: ["s3:GetObject", "s3:PutObject"], resources: ["*"] },
                    { actions: ["logs:PutLogEvents"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
                ],
            })
        ).outputs;
        expect(JSON.parse(doc.json)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "Assume",
                    Effect: "Allow",
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
                    Condition: {
                        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                        StringLike: { "token.actions.githubusercontent.com:sub": ["repo:o/r:ref:refs/heads/main", "repo:o/r:environment:prod"] },
                    },
                },
                { Effect: "Deny", Action: ["s3:PutObject", "s3:GetObject"], Resource: "*" },
                { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*", Principal: "*" },
            ],
        });
        expect(doc.json).toContain('\n  "Version"');
        expect(JSON.parse(doc.minifiedJson)).toEqual(JSON.parse(doc.json));

        await expect(aws.invoke("aws:rds/getEngineVersion:getEngineVersion", {})).rejects.toThrow('does not implement the function "aws:rds/getEngineVersion:getEngineVersion"');
    });
});

describe("stand-in tls provider", () => {
    const tls = new StandInProvider("tls");
    let caKey: Awaited<ReturnType<typeof make>>;
    let caCert: Awaited<ReturnType<typeof make>>;
    const work = mkdtempSync(join(tmpdir(), "standin-tls-"));

    beforeAll(async () => {
        caKey = await make(tls, "tls:index/privateKey:PrivateKey", "ca-key", { algorithm: "ECDSA", ecdsaCurve: "P256" });
        caCert = await make(tls, "tls:index/selfSignedCert:SelfSignedCert", "ca", {
            privateKeyPem: caKey.outs.privateKeyPem,
            subject: { commonName: "rampart root CA", organization: "Rampart" },
            validityPeriodHours: 87600,
            isCaCertificate: true,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        });
    });

    it("generates a real key, secret, stable across updates, replaced on algorithm changes", async () => {
        const key = await make(tls, "tls:index/privateKey:PrivateKey", "k", { algorithm: "RSA" });
        expect(key.inputs.rsaBits).toBe(2048);
        expect(isSecret(key.outs.privateKeyPem)).toBe(true);
        const privateKey = createPrivateKey(plain(key.outs.privateKeyPem));
        expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
        expect(plain(key.outs.privateKeyPem)).toContain("BEGIN RSA PRIVATE KEY");
        expect(createPublicKey(privateKey).export({ type: "spki", format: "pem" })).toBe(key.outs.publicKeyPem);
        expect(key.outs.publicKeyFingerprintSha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
        expect(key.outs.publicKeyOpenssh).toMatch(/^ssh-rsa AAAA/);

        expect(await tls.diff(key.id, key.urn, key.outs, key.inputs)).toMatchObject({ changes: false });
        expect(await tls.diff(key.id, key.urn, key.outs, { ...key.inputs, rsaBits: 4096 })).toMatchObject({ replaces: ["rsaBits"] });
        expect(await tls.diff(key.id, key.urn, key.outs, { ...key.inputs, algorithm: "ECDSA" })).toMatchObject({ replaces: ["algorithm"] });
        const updated = (await tls.update(key.id, key.urn, key.outs, key.inputs)).outs as Record<string, any>;
        expect(updated.privateKeyPem).toEqual(key.outs.privateKeyPem);
        expect(updated.publicKeyPem).toBe(key.outs.publicKeyPem);

        if (which("ssh-keygen")) {
            const file = join(work, "id");
            writeFileSync(file, plain(key.outs.privateKeyOpenssh), { mode: 0o600 });
            expect(execFileSync("ssh-keygen", ["-y", "-f", file]).toString().trim()).toBe(key.outs.publicKeyOpenssh.trim());
        }
        const bad = await tls.check(urnOf("tls:index/privateKey:PrivateKey", "bad"), {}, { algorithm: "DSA" });
        expect(bad.failures?.[0]?.property).toBe("algorithm");
    });

    it("makes a self-signed CA certificate that verifies", () => {
        expect(isSecret(caCert.outs.privateKeyPem)).toBe(true); // the secret input stays secret
        const x509 = new X509Certificate(caCert.outs.certPem);
        expect(x509.ca).toBe(true);
        expect(x509.subject).toContain("CN=rampart root CA");
        expect(x509.subject).toContain("O=Rampart");
        expect(x509.issuer).toBe(x509.subject);
        expect(x509.verify(createPublicKey(plain(caKey.outs.privateKeyPem)))).toBe(true);
        expect(new Date(x509.validTo).getTime() - new Date(x509.validFrom).getTime()).toBe(87600 * 3600_000);
        expect(caCert.outs.validityStartTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(caCert.outs.keyAlgorithm).toBe("ECDSA");
        expect(caCert.id).toBe(BigInt(`0x${x509.serialNumber}`).toString());
        if (which("openssl")) {
            const file = join(work, "ca.pem");
            writeFileSync(file, caCert.outs.certPem);
            const text = execFileSync("openssl", ["x509", "-noout", "-text", "-in", file]).toString();
            expect(text).toMatch(/CA:TRUE/);
            expect(text).toMatch(/Certificate Sign, CRL Sign/);
            expect(text).toMatch(/ecdsa-with-SHA256/);
            expect(execFileSync("openssl", ["verify", "-CAfile", file, file]).toString()).toContain("OK");
        }
    });

    it("signs a certificate request with the CA (SPIFFE URI SAN kept)", async () => {
        const leafKey = await make(tls, "tls:index/privateKey:PrivateKey", "leaf-key", { algorithm: "RSA", rsaBits: 2048 });
        const csr = await make(tls, "tls:index/certRequest:CertRequest", "csr", {
            privateKeyPem: leafKey.outs.privateKeyPem,
            subject: { commonName: "workload" },
            uris: ["spiffe://example.org/ns/prod/sa/api"],
            dnsNames: ["api.internal"],
        });
        expect(csr.outs.certRequestPem).toContain("BEGIN CERTIFICATE REQUEST");
        const leaf = await make(tls, "tls:index/locallySignedCert:LocallySignedCert", "leaf", {
            certRequestPem: csr.outs.certRequestPem,
            caPrivateKeyPem: caKey.outs.privateKeyPem,
            caCertPem: caCert.outs.certPem,
            validityPeriodHours: 24,
            allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
        });
        const x509 = new X509Certificate(leaf.outs.certPem);
        expect(x509.ca).toBe(false);
        expect(x509.subject).toBe("CN=workload");
        expect(x509.checkIssued(new X509Certificate(caCert.outs.certPem))).toBe(true);
        expect(x509.verify(createPublicKey(plain(caKey.outs.privateKeyPem)))).toBe(true);
        expect(x509.subjectAltName).toContain("URI:spiffe://example.org/ns/prod/sa/api");
        expect(x509.subjectAltName).toContain("DNS:api.internal");
        expect(x509.publicKey.export({ type: "spki", format: "pem" })).toBe(leafKey.outs.publicKeyPem);
        if (which("openssl")) {
            const ca = join(work, "ca.pem");
            const file = join(work, "leaf.pem");
            writeFileSync(ca, caCert.outs.certPem);
            writeFileSync(file, leaf.outs.certPem);
            expect(execFileSync("openssl", ["verify", "-CAfile", ca, file]).toString()).toContain("OK");
        }
        await expect(
            tls.create(urnOf("tls:index/locallySignedCert:LocallySignedCert", "wrong"), { ...leaf.inputs, caPrivateKeyPem: leafKey.outs.privateKeyPem }),
        ).rejects.toThrow(/does not match/);
    });
});

describe("stand-in random provider", () => {
    const random = new StandInProvider("random");

    it("honours length and character classes, keeps the password, and replaces on keepers", async () => {
        const pw = await make(random, "random:index/randomPassword:RandomPassword", "db", { length: 32, special: false, minUpper: 4, minNumeric: 4, keepers: { v: "1" } });
        expect(isSecret(pw.outs.result)).toBe(true);
        const value = plain(pw.outs.result) as string;
        expect(value).toHaveLength(32);
        expect(value).toMatch(/^[A-Za-z0-9]+$/);
        expect(value.replace(/[^A-Z]/g, "").length).toBeGreaterThanOrEqual(4);
        expect(value.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(4);
        expect(await random.diff(pw.id, pw.urn, pw.outs, pw.inputs)).toMatchObject({ changes: false });
        const updated = (await random.update(pw.id, pw.urn, pw.outs, { ...pw.inputs })).outs as Record<string, any>;
        expect(updated.result).toEqual(pw.outs.result);
        expect(await random.diff(pw.id, pw.urn, pw.outs, { ...pw.inputs, keepers: { v: "2" } })).toMatchObject({ changes: true, replaces: ["keepers"] });
        // Removing `special: false` means the default (true): a new password.
        const { special: _special, ...withoutSpecial } = pw.inputs;
        const rechecked = await random.check(pw.urn, pw.inputs, withoutSpecial);
        expect(await random.diff(pw.id, pw.urn, pw.outs, rechecked.inputs)).toMatchObject({ replaces: ["special"] });

        const str = await make(random, "random:index/randomString:RandomString", "s", { length: 40, upper: false, numeric: false, overrideSpecial: "_" });
        expect(str.outs.result).toMatch(/^[a-z_]{40}$/);
        expect(isSecret(str.outs.result)).toBe(false);
        const bad = await random.check(urnOf("random:index/randomPassword:RandomPassword", "x"), {}, { length: 3, minUpper: 2, minNumeric: 2 });
        expect(bad.failures?.[0]?.property).toBe("length");
    });

    it("makes ids, uuids, integers and pets", async () => {
        const id = await make(random, "random:index/randomId:RandomId", "id", { byteLength: 8 });
        const bytes = Buffer.from(id.outs.hex, "hex");
        expect(bytes).toHaveLength(8);
        expect(id.outs.b64Std).toBe(bytes.toString("base64"));
        expect(id.outs.b64Url).toBe(bytes.toString("base64url"));
        expect(id.outs.dec).toBe(BigInt(`0x${id.outs.hex}`).toString());
        expect(id.id).toBe(id.outs.b64Url);
        const uuid = await make(random, "random:index/randomUuid:RandomUuid", "u", {});
        expect(uuid.outs.result).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const int = await make(random, "random:index/randomInteger:RandomInteger", "i", { min: 10, max: 12 });
        expect([10, 11, 12]).toContain(int.outs.result);
        const pet = await make(random, "random:index/randomPet:RandomPet", "p", { length: 3, prefix: "rampart" });
        expect(pet.id).toMatch(/^rampart-[a-z]+-[a-z]+-[a-z]+$/);
        const again = await make(new StandInProvider("random"), "random:index/randomPet:RandomPet", "p", { length: 3, prefix: "rampart" });
        expect(again.id).toBe(pet.id);
    });
});

describe("stand-in plugin over gRPC", () => {
    const launcher = join(ROOT, "tests/.work/standin/bin/pulumi-resource-aws");
    let child: ChildProcess | undefined;

    afterAll(() => {
        if (child?.pid && child.exitCode === null) child.kill();
    });

    it("serves GetPluginInfo, Configure, Invoke and Create as a real plugin", async () => {
        execFileSync("bash", [join(ROOT, "tests/standin/build.sh")], { stdio: "pipe" });
        expect(existsSync(launcher)).toBe(true);

        child = spawn(launcher, [], { stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            child!.stdout!.on("data", (d) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            child!.on("exit", (code) => reject(new Error(`plugin exited with ${code}: ${stderr}`)));
        });

        // The same grpc and protobuf modules @pulumi/pulumi uses.
        const req = createRequire(require.resolve("@pulumi/pulumi/proto/provider_grpc_pb.js"));
        const grpc = req("@grpc/grpc-js");
        const services = req("./provider_grpc_pb.js");
        const messages = req("./provider_pb.js");
        const { Empty } = req("google-protobuf/google/protobuf/empty_pb.js");
        const { Struct } = req("google-protobuf/google/protobuf/struct_pb.js");
        const client = new services.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const call = <T>(method: string, request: unknown) =>
            new Promise<T>((resolve, reject) => client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));

        try {
            const info: any = await call("getPluginInfo", new Empty());
            expect(info.getVersion()).toBe(JSON.parse(readFileSync(join(ROOT, "node_modules/@pulumi/aws/package.json"), "utf8")).version);

            const configure = new messages.ConfigureRequest();
            configure.getVariablesMap().set("aws:config:region", "eu-west-1");
            await call("configure", configure);

            const invoke = new messages.InvokeRequest();
            invoke.setTok("aws:index/getRegion:getRegion");
            invoke.setArgs(Struct.fromJavaScript({}));
            const region: any = await call("invoke", invoke);
            expect(region.getReturn().toJavaScript()).toMatchObject({ region: "eu-west-1" });

            const check = new messages.CheckRequest();
            check.setUrn(urnOf("aws:iam/role:Role", "task-role"));
            check.setOlds(Struct.fromJavaScript({}));
            check.setNews(Struct.fromJavaScript({ assumeRolePolicy: "{}" }));
            const checked: any = await call("check", check);
            expect(checked.getInputs().toJavaScript().name).toMatch(/^task-role-[0-9a-f]{7}$/);

            const create = new messages.CreateRequest();
            create.setUrn(urnOf("aws:ec2/vpc:Vpc", "net"));
            create.setProperties(Struct.fromJavaScript({ cidrBlock: "10.0.0.0/16" }));
            const created: any = await call("create", create);
            expect(created.getId()).toMatch(/^vpc-[0-9a-f]{17}$/);
            expect(created.getProperties().toJavaScript()).toMatchObject({ cidrBlock: "10.0.0.0/16", arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/${created.getId()}` });

            const unknown = new messages.InvokeRequest();
            unknown.setTok("aws:rds/getEngineVersion:getEngineVersion");
            unknown.setArgs(Struct.fromJavaScript({}));
            await expect(call("invoke", unknown)).rejects.toThrow(/aws:rds\/getEngineVersion:getEngineVersion/);
            expect(stderr).toContain("OFFLINE STAND-IN for the aws provider: no cloud calls are made");
        } finally {
            client.close();
            child.kill();
        }
    });
});
