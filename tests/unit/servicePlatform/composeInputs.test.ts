/**
 * Issue 16 item 2, ServicePlatform: `secretsKmsKeyArns`, `services[].policyStatements[].resources`,
 * `storage.cdnDomain.name`, `database.existing.port`, `cache.existing.port` and `ci.githubRepository` take Outputs
 * (other resources' ids, ARNs, names and ports). Given as Outputs, the same plain values render the same children
 * (same logical names, same inputs, same policy documents) as before; a value known only at deployment is checked when
 * it resolves with the same pure problem function as at preview, in the component's one error naming the argument.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { Compute, ServicePlatform, ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { RecordedResource, record, withRejectionsCollected } from "../../utils/harness";
import { ACCOUNT_ID, build, computeState, doc, KMS_KEY_ARN, problems, REGION, resolve, T } from "./fixtures";

const ADMIN_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!db-5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-Ab12Cd`;
const REFERENCED_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:app/api-key-Ab12Cd`;
const SECOND_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/mrk-0123456789abcdef0123456789abcdef`;
const QUEUE = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:jobs`;
const TABLE = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/orders`;
const CDN_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const VPC = { vpcId: "vpc-0aaaabbbbccccdddd", publicSubnetIds: ["subnet-0a", "subnet-0b"], privateSubnetIds: ["subnet-0c", "subnet-0d"] };

/** Every argument this change makes composable, given as plain values. */
function plainArgs(): ServicePlatformArgs {
    return {
        stage: "pr-16",
        network: { existingVpc: VPC },
        services: [
            {
                name: "api",
                imageTag: "v1",
                public: true,
                useDatabase: true,
                useCache: true,
                secretArns: { API_KEY: REFERENCED_SECRET },
                policyStatements: [
                    { actions: ["sqs:SendMessage"], resources: [QUEUE] },
                    { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: [TABLE, `${TABLE}/index/by-user`] },
                ],
            },
        ],
        database: { existing: { host: `shared.c0ffee12ab34.${REGION}.rds.amazonaws.com`, port: 6432, adminSecretArn: ADMIN_SECRET, securityGroupId: "sg-0123456789abcdef0" } },
        cache: { existing: { host: "shared-x1y2z3.serverless.use1.cache.amazonaws.com", port: 6380, securityGroupId: "sg-0fedcba9876543210" } },
        storage: { cdn: true, cdnDomain: { name: "cdn.example.com", hostedZoneId: "Z0EXAMPLE", certificateArn: CDN_CERTIFICATE } },
        ci: { githubRepository: "dymocaptin/skreg", branches: ["main", "release"] },
        secretsKmsKeyArns: [KMS_KEY_ARN, SECOND_KEY],
    };
}

/** The same arguments, each composable one an Output (a list as an Output of a list, or a list of Outputs). */
function outputArgs(listsOfOutputs = false): ServicePlatformArgs {
    const a = plainArgs();
    const list = (values: string[]) => (listsOfOutputs ? values.map((v) => pulumi.output(v)) : pulumi.output(values));
    return {
        ...a,
        services: a.services.map((s) => ({ ...s, policyStatements: s.policyStatements!.map((st) => ({ ...st, resources: list(st.resources as string[]) })) })),
        database: { existing: { ...a.database!.existing!, port: pulumi.output(6432) } },
        cache: { existing: { ...a.cache!.existing!, port: pulumi.output(6380) } },
        storage: { ...a.storage!, cdnDomain: { ...a.storage!.cdnDomain!, name: pulumi.output("cdn.example.com") } },
        ci: { ...a.ci!, githubRepository: pulumi.output("dymocaptin/skreg") },
        secretsKmsKeyArns: list(a.secretsKmsKeyArns as string[]),
    };
}

/** Every child by logical name: type and resolved inputs. */
function children(resources: RecordedResource[]): Record<string, { type: string; inputs: unknown }> {
    return Object.fromEntries(resources.map((r) => [r.name, { type: r.type, inputs: r.inputs }]));
}

/** Runs a program whose resource inputs fail once an Output resolves (reported as unhandled rejections in tests): returns them. */
async function recordFailing(args: ServicePlatformArgs) {
    return withRejectionsCollected(async (errors: Error[]) => {
        const { recorder } = await record(() => new ServicePlatform("app", args), { computeState });
        await new Promise((done) => setTimeout(done, 50));
        return { messages: [...new Set(errors.filter((e) => e instanceof ComponentValidationError).map((e) => e.message))], recorder };
    });
}

const oneError = (line: string) => `ServicePlatform "app" has an invalid argument:\n  ServicePlatform "app": ${line}`;

describe("ServicePlatform: composable inputs render what their plain values render", () => {
    it("the plain arguments are valid (the baseline the Output variants compare against)", () => {
        expect(problems(plainArgs())).toEqual([]);
    });

    it("as Outputs (and lists as Outputs of lists): every child, logical name and input is identical, and so are the outputs", async () => {
        const plain = await build(plainArgs());
        const composed = await build(outputArgs());
        expect(children(composed.recorder.resources)).toEqual(children(plain.recorder.resources));
        expect(await resolve(composed.platform.cdnBaseUrl)).toBe("https://cdn.example.com");
        expect(await resolve(composed.platform.databaseEndpoint)).toBe(await resolve(plain.platform.databaseEndpoint));
        expect(await resolve(composed.platform.cacheEndpoint)).toBe("shared-x1y2z3.serverless.use1.cache.amazonaws.com:6380");
        expect(await resolve(composed.platform.estimatedMonthlyCostUsd)).toBe(await resolve(plain.platform.estimatedMonthlyCostUsd));
    });

    it("lists of Outputs render the same children too", async () => {
        const plain = await build(plainArgs());
        const composed = await build(outputArgs(true));
        expect(children(composed.recorder.resources)).toEqual(children(plain.recorder.resources));
    });

    it("on App Runner too: the instance role's policy is the same with the key list and statement resources as Outputs", async () => {
        const args = (composed: boolean): ServicePlatformArgs => ({
            stage: "pr-16",
            compute: Compute.AppRunner,
            services: [
                {
                    name: "api",
                    image: "public.ecr.aws/nginx/nginx:1.27",
                    public: true,
                    secretArns: { API_KEY: REFERENCED_SECRET },
                    policyStatements: [{ actions: ["sqs:SendMessage"], resources: composed ? pulumi.output([QUEUE]) : [QUEUE] }],
                },
            ],
            secretsKmsKeyArns: composed ? pulumi.output([KMS_KEY_ARN]) : [KMS_KEY_ARN],
        });
        const plain = await build(args(false));
        const composed = await build(args(true));
        expect(children(composed.recorder.resources)).toEqual(children(plain.recorder.resources));
        const policies = JSON.stringify(composed.all(T.rolePolicy).map((r) => doc(r)));
        expect(policies).toContain(QUEUE);
        expect(policies).toContain(KMS_KEY_ARN);
    });

    it("the resolved values land where they belong: policies, trust policy, CDN alias and records, security group rules, environment", async () => {
        const b = await build(outputArgs());
        const task = doc(b.one(T.rolePolicy, "app-task-policy-api"));
        const statementOf = (action: string) => (task.Statement as { Action: string | string[]; Resource: string | string[] }[]).find((st) => [st.Action].flat().includes(action));
        expect([statementOf("sqs:SendMessage")!.Resource].flat()).toEqual([QUEUE]);
        expect([statementOf("dynamodb:GetItem")!.Resource].flat()).toEqual([TABLE, `${TABLE}/index/by-user`]);
        const execution = JSON.stringify(doc(b.one(T.rolePolicy, "app-exec-policy-api")));
        expect(execution).toContain(KMS_KEY_ARN);
        expect(execution).toContain(SECOND_KEY);
        const trust = doc(b.one(T.role, "app-ci-role"), "assumeRolePolicy");
        expect(JSON.stringify(trust)).toContain("repo:dymocaptin/skreg:ref:refs/heads/release");
        expect(b.one(T.role, "app-ci-role").inputs.description).toContain("(dymocaptin/skreg)");
        expect(b.one("aws:cloudfront/distribution:Distribution").inputs.aliases).toEqual(["cdn.example.com"]);
        expect(b.all(T.record).map((r) => [r.name, r.inputs.name, r.inputs.type])).toEqual([
            ["app-cdn-alias-a", "cdn.example.com", "A"],
            ["app-cdn-alias-aaaa", "cdn.example.com", "AAAA"],
        ]);
        const ports = (type: string, name: string) => [b.one(type, name).inputs.fromPort, b.one(type, name).inputs.toPort];
        expect(ports(T.ingress, "app-shared-db-from-api")).toEqual([6432, 6432]);
        expect(ports(T.egress, "app-svc-api-to-shared-db")).toEqual([6432, 6432]);
        expect(ports(T.ingress, "app-shared-cache-from-api")).toEqual([6380, 6380]);
        expect(ports(T.egress, "app-svc-api-to-shared-cache")).toEqual([6380, 6380]);
        const containers = JSON.parse(b.one(T.taskDefinition, "app-task-api").inputs.containerDefinitions) as { name: string; environment: { name: string; value: string }[] }[];
        const env = (container: string) => Object.fromEntries(containers.find((c) => c.name === container)!.environment.map((e) => [e.name, e.value]));
        expect(env("api")).toMatchObject({ DB_PORT: "6432", CACHE_ENDPOINT: "shared-x1y2z3.serverless.use1.cache.amazonaws.com:6380" });
        expect(env("db-init")).toMatchObject({ PGPORT: "6432" });
        expect(JSON.parse(b.one("aws:secretsmanager/secretVersion:SecretVersion", "app-db-secret-value").inputs.secretString)).toMatchObject({ port: 6432 });
    });
});

describe("ServicePlatform: a composable input known only at deployment is checked when it resolves", () => {
    const cases: { what: string; args: (a: ServicePlatformArgs) => ServicePlatformArgs; line: string }[] = [
        {
            what: "secretsKmsKeyArns as an Output of a list with an alias ARN",
            args: (a) => ({ ...a, secretsKmsKeyArns: pulumi.output([KMS_KEY_ARN, `arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/app`]) }),
            line: `secretsKmsKeyArns[1]: got "arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/app"; a KMS key ARN, arn:<partition>:kms:<region>:<12-digit account>:key/<key id> (an alias ARN does not authorize kms:Decrypt)`,
        },
        {
            what: "secretsKmsKeyArns as a list whose Output elements repeat a key",
            args: (a) => ({ ...a, secretsKmsKeyArns: [KMS_KEY_ARN, pulumi.output(KMS_KEY_ARN)] }),
            line: `secretsKmsKeyArns[1]: got "${KMS_KEY_ARN}"; each key must be unique; secretsKmsKeyArns[0] already uses it`,
        },
        {
            what: 'policyStatements[].resources as an Output of ["*"]',
            args: (a) => ({ ...a, services: [{ ...a.services[0], policyStatements: [{ actions: ["sqs:SendMessage"], resources: pulumi.output(["*"]) }] }] }),
            line: 'services[0].policyStatements[0].resources[0]: got "*"; a resource ARN: "*" grants the actions on every resource in the account; name the resources',
        },
        {
            what: 'a policyStatements[].resources element that resolves to "*"',
            args: (a) => ({ ...a, services: [{ ...a.services[0], policyStatements: [{ actions: ["sqs:SendMessage"], resources: [QUEUE, pulumi.output("*")] }] }] }),
            line: 'services[0].policyStatements[0].resources[1]: got "*"; a resource ARN: "*" grants the actions on every resource in the account; name the resources',
        },
        {
            what: "policyStatements[].resources as an Output of an empty list",
            args: (a) => ({ ...a, services: [{ ...a.services[0], policyStatements: [{ actions: ["sqs:SendMessage"], resources: pulumi.output([] as string[]) }] }] }),
            line: "services[0].policyStatements[0].resources: got []; a non-empty list of resource ARNs",
        },
        {
            what: "storage.cdnDomain.name with capitals",
            args: (a) => ({ ...a, storage: { ...a.storage, cdnDomain: { ...a.storage!.cdnDomain!, name: pulumi.output("CDN.Example.com") } } }),
            line: 'storage.cdnDomain.name: got "CDN.Example.com"; a lowercase fully qualified domain name such as cdn.example.com',
        },
        {
            what: "database.existing.port below RDS's range",
            args: (a) => ({ ...a, database: { existing: { ...a.database!.existing!, port: pulumi.output(80) } } }),
            line: "database.existing.port: got 80; an integer from 1150 to 65535",
        },
        {
            what: "cache.existing.port above 65535",
            args: (a) => ({ ...a, cache: { existing: { ...a.cache!.existing!, port: pulumi.output(70000) } } }),
            line: "cache.existing.port: got 70000; an integer from 1 to 65535",
        },
        {
            what: "ci.githubRepository with a wildcard",
            args: (a) => ({ ...a, ci: { ...a.ci!, githubRepository: pulumi.output("dymocaptin/*") } }),
            line: 'ci.githubRepository: got "dymocaptin/*"; a GitHub repository as org/repo, without wildcards',
        },
        {
            what: "ci.subjects of another repository than the one ci.githubRepository resolves to",
            args: (a) => ({ ...a, ci: { githubRepository: pulumi.output("dymocaptin/skreg"), subjects: ["repo:other/app:environment:production"] } }),
            line: 'ci.subjects[0]: got "repo:other/app:environment:production"; a subject of the repository dymocaptin/skreg (repo:dymocaptin/skreg:...): a subject naming another repository would let its workflows in',
        },
    ];

    for (const c of cases) {
        it(`${c.what}: the component's one error naming the argument`, async () => {
            const { messages } = await recordFailing(c.args(plainArgs()));
            expect(messages).toHaveLength(1);
            expect(messages[0].startsWith(oneError(c.line))).toBe(true);
        });
    }

    it("the same value known at construction is refused at preview with the same line", () => {
        const a = plainArgs();
        expect(problems({ ...a, secretsKmsKeyArns: [KMS_KEY_ARN, `arn:aws:kms:${REGION}:${ACCOUNT_ID}:alias/app`] })).toEqual([cases[0].line]);
        expect(problems({ ...a, database: { existing: { ...a.database!.existing!, port: 80 } } })).toEqual([cases[6].line]);
        expect(problems({ ...a, cache: { existing: { ...a.cache!.existing!, port: 70000 } } })).toEqual([cases[7].line]);
        expect(problems({ ...a, ci: { githubRepository: "dymocaptin/skreg", subjects: ["repo:other/app:environment:production"] } })).toEqual([cases[9].line]);
        expect(problems({ ...a, services: [{ ...a.services[0], policyStatements: [{ actions: ["sqs:SendMessage"], resources: ["*"] }] }] })).toEqual([cases[2].line]);
        expect(problems({ ...a, storage: { ...a.storage, cdnDomain: { ...a.storage!.cdnDomain!, name: "CDN.Example.com" } } })[0].startsWith(cases[5].line)).toBe(true);
    });

    it("good values known only at deployment pass: no error, the children get them", async () => {
        const { messages, recorder } = await recordFailing(outputArgs());
        expect(messages).toEqual([]);
        expect(recorder.one(T.role, "app-ci-role").inputs.assumeRolePolicy).toContain("repo:dymocaptin/skreg:ref:refs/heads/main");
    });

    it("with a bad value, the refused policy is not written with it", async () => {
        const a = plainArgs();
        const { recorder } = await recordFailing({ ...a, services: [{ ...a.services[0], policyStatements: [{ actions: ["sqs:SendMessage"], resources: pulumi.output(["*"]) }] }] });
        expect(recorder.byType(T.rolePolicy).filter((r) => r.name === "app-task-policy-api")).toEqual([]);
    });
});
