/**
 * The three stacks the component was made from, each expressed as one ServicePlatform, in both profiles:
 * Unkey's API (seed 000), skreg (seed 001) and The Combine (seed 002). Every one passes the guardrails and the
 * platform-wide properties: security group chain, IAM scoped to exact ARNs, no secret value outside secret inputs,
 * production protections.
 */
import { describe, expect, it } from "vitest";
import { ServicePlatformArgs } from "../../../provider/src/servicePlatform/args";
import { RecordedResource } from "../../utils/harness";
import { assertGuardrails } from "../../utils/guardrails";
import { STATES_LOG_DELIVERY_ACTIONS } from "../../../provider/src/shared/iam";
import {
    ACCOUNT_ID,
    build,
    Built,
    Compute,
    containerOf,
    countByType,
    doc,
    OTEL_ENDPOINT_ARN,
    OTEL_HEADERS_ARN,
    Profile,
    RDS_SECRET_ARN,
    resolve,
    T,
} from "./fixtures";

const CLICKHOUSE_URL = "https://default:ch-password-7f3a@clickhouse.unkey.internal:8443";
const ANTHROPIC_KEY = "sk-ant-api03-the-combine-key";
const COMBINE_SECRET_KEY_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:the-combine/secret-key-Pq7Rs9`;

interface ReferenceStack {
    name: string;
    args: (profile: Profile) => ServicePlatformArgs;
    knownSecrets: string[];
}

const stage = (profile: Profile) => (profile === Profile.Production ? "prod" : "pr-42");

const STACKS: ReferenceStack[] = [
    {
        name: "unkey",
        knownSecrets: [CLICKHOUSE_URL],
        args: (profile) => ({
            stage: stage(profile),
            profile,
            tags: { Team: "api" },
            network: { cidrBlock: "10.20.0.0/16", availabilityZoneCount: profile === Profile.Production ? 3 : 2 },
            domain: { name: "api.unkey.cloud", hostedZoneId: "Z0UNKEY" },
            services: [
                {
                    name: "api",
                    cpu: 1024,
                    memory: 2048,
                    port: 7070,
                    public: true,
                    healthCheckPath: "/v1/liveness",
                    useDatabase: true,
                    useCache: true,
                    environment: { AWS_REGION: "us-east-1", PLATFORM: "aws" },
                    secrets: { CLICKHOUSE_URL },
                    autoscaling: { min: profile === Profile.Production ? 3 : 1, max: 10, cpuTarget: 60, requestsPerTarget: 1000 },
                },
            ],
            database: {},
            cache: { maxDataStorageGb: 1, maxEcpuPerSecond: 5000 },
            observability: { otelEndpointSecretArn: OTEL_ENDPOINT_ARN, otelHeadersSecretArn: OTEL_HEADERS_ARN },
            ci: { githubRepository: "unkeyed/unkey", branches: ["main"] },
        }),
    },
    {
        name: "skreg",
        knownSecrets: [],
        args: (profile) => ({
            stage: stage(profile),
            profile,
            services: [
                { name: "api", cpu: 512, memory: 1024, port: 8080, public: true, useDatabase: true, environment: { BIND_ADDR: "0.0.0.0:8080" } },
                { name: "worker", cpu: 256, memory: 512, useDatabase: true },
            ],
            database: { instanceClass: "db.t4g.micro" },
            storage: { bucket: true, cdn: true },
            ci: { githubRepository: "dymocaptin/skreg", branches: ["main"] },
            ...(profile === Profile.Production ? { domain: { name: "api.skreg.dev", hostedZoneId: "Z0SKREG" } } : {}),
        }),
    },
    {
        name: "combine",
        knownSecrets: [ANTHROPIC_KEY],
        args: (profile) => ({
            stage: stage(profile),
            profile,
            compute: Compute.AppRunner,
            domain: { name: "thecombine.ui", hostedZoneId: "Z0COMBINE" },
            services: [
                {
                    name: "app",
                    imageTag: "sha-0a1b2c3",
                    cpu: 256,
                    memory: 512,
                    port: 8000,
                    public: true,
                    healthCheckPath: "/health",
                    useDatabase: true,
                    secrets: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, SECRET_KEY: COMBINE_SECRET_KEY_ARN },
                },
            ],
            database: {},
            ci: { githubRepository: "tmoseley/the-combine" },
        }),
    },
];

/** Ingress rules of a security group, as `cidr:<block>` or `sg:<group id>` with the port range. */
function ingressOf(resources: RecordedResource[], groupId: string): string[] {
    return resources
        .filter((r) => r.type === T.ingress && r.inputs.securityGroupId === groupId)
        .map((r) => `${r.inputs.cidrIpv4 ? `cidr:${r.inputs.cidrIpv4}` : `sg:${r.inputs.referencedSecurityGroupId}`} ${r.inputs.ipProtocol}/${r.inputs.fromPort ?? "*"}-${r.inputs.toPort ?? "*"}`)
        .sort();
}

/** Every Allow statement of every IAM policy (inline and role policies). */
function allowStatements(resources: RecordedResource[]): { resource: string; statement: any }[] {
    return resources
        .filter((r) => r.type === T.rolePolicy)
        .flatMap((r) => doc(r).Statement.filter((s: any) => s.Effect === "Allow").map((statement: any) => ({ resource: r.name, statement })));
}

function checkSecurityGroupChain(b: Built, args: ServicePlatformArgs): void {
    const rs = b.recorder.resources;
    const p = `${b.one("rampart:index:ServicePlatform").name}`;
    const svc = (name: string) => `${p}-svc-${name}-sg-id`;
    const fargate = (args.compute ?? Compute.Fargate) === Compute.Fargate;
    // internet -> load balancer only, on its listener ports.
    const openToInternet = rs.filter((r) => r.type === T.ingress && r.inputs.cidrIpv4 === "0.0.0.0/0");
    expect(openToInternet.map((r) => `${r.inputs.securityGroupId}:${r.inputs.fromPort}`).sort()).toEqual(
        fargate ? [...(args.domain ? [`${p}-alb-sg-id:443`] : []), `${p}-alb-sg-id:80`] : [],
    );
    // load balancer -> public services' ports only; nothing reaches a private service.
    for (const s of args.services) {
        const port = s.port ?? 8080;
        expect(ingressOf(rs, svc(s.name)), s.name).toEqual(fargate && s.public ? [`sg:${p}-alb-sg-id tcp/${port}-${port}`] : []);
    }
    // services -> database and cache ports only, from exactly the services that use them.
    if (args.database) {
        expect(ingressOf(rs, `${p}-db-sg-id`)).toEqual(args.services.filter((s) => s.useDatabase).map((s) => `sg:${svc(s.name)} tcp/5432-5432`).sort());
    }
    if (args.cache) {
        expect(ingressOf(rs, `${p}-cache-sg-id`)).toEqual(args.services.filter((s) => s.useCache).map((s) => `sg:${svc(s.name)} tcp/6379-6380`).sort());
    }
    // No task or instance of the services has a public IP.
    for (const service of b.all(T.ecsService)) expect(service.inputs.networkConfiguration.assignPublicIp).toBe(false);
}

function checkIamScoping(b: Built): void {
    for (const { resource, statement } of allowStatements(b.recorder.resources)) {
        const resources = [statement.Resource].flat();
        // `*` only where AWS grants nothing narrower: ECR login, and the rotation state machine's log delivery.
        if (resources.includes("*")) expect([["ecr:GetAuthorizationToken"], [...STATES_LOG_DELIVERY_ACTIONS].sort()], resource).toContainEqual(statement.Action);
        for (const action of statement.Action) expect(action, resource).not.toMatch(/\*/);
    }
    // Task roles: nothing, or (services with useDatabase) GetSecretValue on exactly the database secret, plus the
    // platform's key when it encrypts that secret.
    const dbSecret = b.all(T.db).length ? RDS_SECRET_ARN : undefined;
    for (const role of b.all(T.role).filter((r) => r.name.includes("task-role"))) {
        const statements = b.all(T.rolePolicy).filter((p) => p.inputs.role === `${role.name}-id`).flatMap((p) => JSON.parse(p.inputs.policy).Statement);
        for (const s of statements) {
            if (s.Sid === "ReadSecrets") expect([s.Action, s.Resource], role.name).toEqual([["secretsmanager:GetSecretValue"], dbSecret]);
            else expect([s.Sid, s.Action], role.name).toEqual(["DecryptSecrets", ["kms:Decrypt"]]);
        }
    }
}

function checkNoPlaintextSecrets(b: Built, secrets: string[]): void {
    for (const r of b.recorder.resources) {
        if (r.type === T.secretVersion) {
            expect(r.secretPaths).toContain("secretString");
            continue;
        }
        const text = JSON.stringify(r.inputs);
        for (const secret of secrets) expect(text.includes(secret), `${r.type} ${r.name}`).toBe(false);
    }
}

function checkProductionProtections(b: Built, args: ServicePlatformArgs): void {
    for (const lb of b.all(T.lb)) {
        expect(lb.inputs.enableDeletionProtection).toBe(true);
        expect(lb.inputs.accessLogs.enabled).toBe(true);
    }
    const db = b.one(T.db);
    expect(db.inputs).toMatchObject({ deletionProtection: true, multiAz: true, skipFinalSnapshot: false, backupRetentionPeriod: 14 });
    expect(db.inputs.finalSnapshotIdentifier).toMatch(/-final$/);
    for (const r of [db, ...b.all(T.ecr), ...b.all(T.bucket).filter((x) => x.name.endsWith("-bucket"))]) expect(r.options.retainOnDelete, r.name).toBe(true);
    const zones = args.network?.availabilityZoneCount ?? 2;
    expect(b.all(T.natGateway)).toHaveLength(zones);
    expect(b.all(T.flowLog)).toHaveLength(1);
}

function checkEphemeralDisposal(b: Built): void {
    expect(b.one(T.db).inputs).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true });
    for (const repo of b.all(T.ecr)) expect(repo.inputs.forceDelete).toBe(true);
    for (const bucket of b.all(T.bucket)) expect(bucket.inputs.forceDestroy).toBe(true);
    // Unset, not false: a child then inherits a `retainOnDelete` or `protect` the user gives the component.
    for (const r of b.recorder.resources) expect([r.options.retainOnDelete, r.options.protect], r.name).toEqual([undefined, undefined]);
    expect(b.all(T.natGateway)).toHaveLength(0);
    expect(b.all(T.instance)).toHaveLength(1);
}

describe.each(STACKS)("$name-shaped stack", (stack) => {
    describe.each([Profile.Ephemeral, Profile.Production])("%s", (profile) => {
        let built: Built | undefined;
        const get = async () => (built ??= await build(stack.args(profile), stack.name));

        it("passes the guardrails", async () => {
            const b = await get();
            assertGuardrails(b.recorder.resources, { profile, knownSecrets: stack.knownSecrets });
        });

        it("chains security groups internet -> load balancer -> public services -> database and cache", async () => {
            checkSecurityGroupChain(await get(), stack.args(profile));
        });

        it("scopes IAM to exact ARNs; task roles read at most the database secret", async () => {
            checkIamScoping(await get());
        });

        it("keeps secret values out of every input that is not a secret", async () => {
            checkNoPlaintextSecrets(await get(), stack.knownSecrets);
        });

        it(profile === Profile.Production ? "is protected and redundant" : "destroys cleanly", async () => {
            const b = await get();
            if (profile === Profile.Production) checkProductionProtections(b, stack.args(profile));
            else checkEphemeralDisposal(b);
        });

        it("documents its resource graph", async () => {
            const b = await get();
            const counts = countByType(b.recorder.resources);
            console.log(`${stack.name} ${profile}: ${b.recorder.resources.length} resources, ~$${await resolve(b.platform.estimatedMonthlyCostUsd)}/month idle\n${JSON.stringify(counts, null, 1)}`);
            expect(counts["rampart:index:ServicePlatform"]).toBe(1);
            expect(b.recorder.resources.filter((r) => r.custom).every((r) => r.parentUrn === b.one("rampart:index:ServicePlatform").urn)).toBe(true);
        });
    });
});

describe("reference stack specifics", () => {
    it("Unkey: the API task carries the cache, database and OTEL wiring, and ClickHouse only as a secret", async () => {
        const b = await build(STACKS[0].args(Profile.Ephemeral), "unkey");
        const c = containerOf(b.one(T.taskDefinition));
        expect(c.environment.map((e: any) => e.name)).toEqual(["AWS_REGION", "CACHE_ENDPOINT", "DB_HOST", "DB_NAME", "DB_PORT", "DB_SECRET_ARN", "OTEL_SERVICE_NAME", "PLATFORM"]);
        expect(Object.fromEntries(c.secrets.map((s: any) => [s.name, s.valueFrom]))).toEqual({
            CLICKHOUSE_URL: "arn:aws:secretsmanager:us-east-1:123456789012:secret:unkey-pr-42-api/CLICKHOUSE_URL-Rnd0m1",
            DB_PASSWORD: `${RDS_SECRET_ARN}:password::`,
            DB_USER: `${RDS_SECRET_ARN}:username::`,
            OTEL_EXPORTER_OTLP_ENDPOINT: OTEL_ENDPOINT_ARN,
            OTEL_EXPORTER_OTLP_HEADERS: OTEL_HEADERS_ARN,
        });
        expect(c.portMappings[0].containerPort).toBe(7070);
        expect(b.one(T.targetGroup).inputs.healthCheck.path).toBe("/v1/liveness");
        expect(b.one(T.listener, "unkey-https").inputs.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
        expect(await resolve(b.platform.url)).toBe("https://api.unkey.cloud");
        expect(await resolve(b.platform.cacheEndpoint)).toMatch(/:6379$/);
        expect(b.one(T.vpc).inputs.cidrBlock).toBe("10.20.0.0/16");
        expect(b.one(T.vpc).inputs.tags.Team).toBe("api");
    });

    it("skreg: the ephemeral default stays under $60 a month with tasks in private subnets", async () => {
        const b = await build(STACKS[1].args(Profile.Ephemeral), "skreg");
        const cost = await resolve(b.platform.estimatedMonthlyCostUsd);
        expect(cost).toBeLessThan(60);
        expect(cost).toBe(53.58);
        expect(b.all(T.ecsService).every((s) => s.inputs.networkConfiguration.subnets.every((id: string) => id.includes("private")))).toBe(true);
        expect(await resolve(b.platform.cdnBaseUrl)).toBe("https://d1a2b3c4d5e6f7.cloudfront.net");
        expect(Object.keys((await resolve(b.platform.repositoryUrls))!)).toEqual(["api", "worker"]);
        expect(await resolve(b.platform.ciRoleArn)).toBe("arn:aws:iam::123456789012:role/skreg-pr-42-ci-push");
    });

    it("The Combine: App Runner reads an existing secret by ARN and a stored one, and the database through its connector", async () => {
        const b = await build(STACKS[2].args(Profile.Ephemeral), "combine");
        const secrets = b.one(T.appRunner).inputs.sourceConfiguration.imageRepository.imageConfiguration.runtimeEnvironmentSecrets;
        expect(secrets.SECRET_KEY).toBe(COMBINE_SECRET_KEY_ARN);
        expect(secrets.ANTHROPIC_API_KEY).toBe("arn:aws:secretsmanager:us-east-1:123456789012:secret:combine-pr-42-app/ANTHROPIC_API_KEY-Rnd0m1");
        expect(b.all(T.secret)).toHaveLength(1);
        const cost = await resolve(b.platform.estimatedMonthlyCostUsd);
        expect(cost).toBeGreaterThan(20);
        expect(cost).toBeLessThan(37);
    });
});
