/**
 * Issue 13 (ServicePlatform): no secret in plain text in `environment`, private networks that cannot strand tasks,
 * per-service permissions (statements, bucket access, the role ARN as an output) and per-service container options.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { BucketAccess, CpuArchitecture, NatGateways, ServicePlatform, ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { estimateMonthlyCost, PRICES } from "../../../provider/src/servicePlatform/cost";
import { resolveSettings } from "../../../provider/src/servicePlatform/settings";
import { observe } from "../../../provider/src/shared/replacementGuard";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { assertGuardrails } from "../../utils/guardrails";
import { record, withRejectionsCollected } from "../../utils/harness";
import { ACCOUNT_ID, build, computeState, containerOf, doc, problems, Profile, REGION, resolve, skregArgs, SSM_PARAMETER_ARN, T } from "./fixtures";

const SIGNING_KEY = "e2e-signing-key-issue13-4b1f";
const ECR_IMAGE = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/docker-hub/library/nginx:1.27`;

/** Builds the platform and collects the ComponentValidationErrors its deployment-time checks raise. */
async function buildCollecting(args: ServicePlatformArgs, options: { preview?: boolean } = {}) {
    return withRejectionsCollected(async (errors: unknown[]) => {
        const { result, recorder } = await record(() => new ServicePlatform("app", args), { computeState, preview: options.preview });
        const outputs = await Promise.allSettled([observe(result.serviceNames), observe(result.taskRoleArns)]);
        await new Promise((done) => setTimeout(done, 50));
        for (const o of outputs) if (o.status === "rejected") errors.push(o.reason);
        const refusals = [...new Set(errors.filter((e): e is ComponentValidationError => e instanceof ComponentValidationError))];
        return { recorder, refusals, platform: result };
    });
}

describe("no secret in plain text (environment)", () => {
    const withSecretEnvironment = (): ServicePlatformArgs => ({
        ...skregArgs(),
        services: [
            { name: "api", public: true, environment: { LOG_LEVEL: "info", SIGNING: pulumi.secret(SIGNING_KEY) } },
            { name: "worker", environment: { QUEUE: pulumi.output("jobs"), API_KEY_ID: pulumi.secret("k-1") } },
        ],
    });

    for (const preview of [false, true]) {
        it(`refuses a Pulumi secret in environment with one error naming every path, before any task definition (${preview ? "preview" : "up"})`, async () => {
            const { recorder, refusals } = await buildCollecting(withSecretEnvironment(), { preview });
            expect(refusals).toHaveLength(1);
            expect(refusals[0].message).toBe(
                'ServicePlatform "app" has 2 invalid arguments:\n' +
                    `  ServicePlatform "app": services[0].environment.SIGNING: got a Pulumi secret; ${SECRET_IN_ENVIRONMENT_TEXT}\n` +
                    `  ServicePlatform "app": services[1].environment.API_KEY_ID: got a Pulumi secret; ${SECRET_IN_ENVIRONMENT_TEXT}`,
            );
            expect(recorder.byType(T.taskDefinition)).toEqual([]);
            const everything = JSON.stringify(recorder.resources.map((r) => r.inputs));
            expect(everything).not.toContain(SIGNING_KEY);
        });
    }

    it("refuses it also when the secret is known only at deployment (an output of another resource at preview)", async () => {
        // What the engine hands a component for a secret output of a resource being created: unknown, and secret.
        const unknownSecret = pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));
        expect((await observe(unknownSecret)).known).toBe(false);
        const { refusals, recorder } = await buildCollecting({ ...skregArgs(), services: [{ name: "api", public: true, environment: { TOKEN_VALUE: unknownSecret } }] }, { preview: true });
        expect(refusals.map((e) => e.problems.map((p) => p.path))).toEqual([["services[0].environment.TOKEN_VALUE"]]);
        expect(recorder.byType(T.taskDefinition)).toEqual([]);
    });

    it("refuses it on App Runner too (runtimeEnvironmentVariables are plain text)", async () => {
        const { refusals, recorder } = await buildCollecting({ stage: "dev", compute: "appRunner" as never, services: [{ name: "web", public: true, image: "public.ecr.aws/nginx/nginx:1", environment: { S: pulumi.secret(SIGNING_KEY) } }] });
        expect(refusals.map((e) => e.problems.map((p) => p.path))).toEqual([["services[0].environment.S"]]);
        expect(recorder.byType(T.appRunner)).toEqual([]);
    });

    it("keeps plain Outputs in environment, and secrets in `secrets` stored in Secrets Manager by reference", async () => {
        const { recorder, refusals } = await buildCollecting({
            ...skregArgs(),
            services: [{ name: "api", public: true, environment: { QUEUE: pulumi.output("jobs") }, secrets: { SIGNING: pulumi.secret(SIGNING_KEY) } }],
        });
        expect(refusals).toEqual([]);
        const container = containerOf(recorder.one(T.taskDefinition));
        expect(container.environment).toEqual([{ name: "QUEUE", value: "jobs" }]);
        expect(container.secrets).toEqual([{ name: "SIGNING", valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:app-dev-api/SIGNING-Rnd0m1` }]);
        assertGuardrails(recorder.resources, { profile: "ephemeral", knownSecrets: [SIGNING_KEY] });
    });
});
const SECRET_IN_ENVIRONMENT_TEXT =
    "environment values are written into the task definition (App Runner: the service configuration) in plain text, so a Pulumi secret is refused there; " +
    "move it to `secrets`, which stores it in Secrets Manager and injects it by reference (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html)";

describe("private networking that cannot strand tasks", () => {
    const noNat = (services: ServicePlatformArgs["services"]): ServicePlatformArgs => ({ stage: "dev", network: { natGateways: NatGateways.None }, services });

    it("without NAT refuses images outside this Region's private ECR, in one error", () => {
        const found = problems(
            noNat([
                { name: "web", public: true, image: "nginx:1.27" },
                { name: "edge", image: "public.ecr.aws/nginx/nginx:1.27" },
                { name: "ok", image: ECR_IMAGE },
                { name: "own" },
            ]),
        );
        expect(found).toHaveLength(2);
        expect(found[0]).toMatch(/^services\[0\]\.image: got "nginx:1\.27"; with network\.natGateways "none" tasks reach only this Region's private Amazon ECR through interface endpoints: .*pull-through cache.*natGateways "instance", "single" or "onePerAz"$/);
        expect(found[1]).toMatch(/^services\[1\]\.image: got "public\.ecr\.aws\/nginx\/nginx:1\.27"; with network\.natGateways "none"/);
        // With NAT, with an existing VPC (its routing is the user's), or on App Runner (it pulls outside the VPC) any image goes.
        expect(problems({ ...noNat([{ name: "web", public: true, image: "nginx:1.27" }]), network: { natGateways: NatGateways.Instance } })).toEqual([]);
        expect(problems({ ...noNat([{ name: "web", image: "nginx:1.27" }]), network: { natGateways: NatGateways.None, existingVpc: { vpcId: "vpc-1", publicSubnetIds: ["s-1"], privateSubnetIds: ["s-2"] } } })).toEqual([]);
    });

    it("without NAT refuses an image known only at deployment that is not in this Region's ECR, before its task definition", async () => {
        const elsewhere = `${ACCOUNT_ID}.dkr.ecr.eu-west-1.amazonaws.com/app:1`;
        const { refusals, recorder } = await buildCollecting(noNat([{ name: "web", public: true, image: pulumi.output(elsewhere) }, { name: "ok", image: pulumi.output(ECR_IMAGE) }]));
        expect(refusals.map((e) => e.problems.map((p) => [p.path, p.given]))).toEqual([[["services[0].image", `got "${elsewhere}"`]]]);
        expect(refusals[0].problems[0].allowed).toContain(`<account>.dkr.ecr.${REGION}.amazonaws.com/<repository>`);
        expect(recorder.byType(T.taskDefinition).map((t) => t.name)).toEqual(["app-task-ok"]);
    });

    it("creates the SSM endpoint when a secret ARN is known only at deployment (it may name a parameter), not for stored values", async () => {
        const endpoints = async (services: ServicePlatformArgs["services"]) =>
            (await build(noNat(services))).all(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface").map((e) => String(e.inputs.serviceName).split(".").slice(3).join("."));
        expect(await endpoints([{ name: "api", public: true, secretArns: { FLAGS: pulumi.output(SSM_PARAMETER_ARN) } }])).toEqual(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"]);
        expect(await endpoints([{ name: "api", public: true, secrets: { FLAGS: SSM_PARAMETER_ARN } }])).toContain("ssm");
        expect(await endpoints([{ name: "api", public: true, secrets: { TOKEN: pulumi.secret("value") } }])).toEqual(["ecr.api", "ecr.dkr", "logs", "secretsmanager"]);
        const otel = await build({ ...noNat([{ name: "api", public: true }]), observability: { otelHeadersSecretArn: pulumi.output(SSM_PARAMETER_ARN) } });
        expect(otel.all(T.endpoint).map((e) => e.inputs.serviceName)).toContain(`com.amazonaws.${REGION}.ssm`);
        // The estimate counts what is created: five endpoints in two zones.
        const settings = resolveSettings("app", noNat([{ name: "api", public: true, secretArns: { FLAGS: pulumi.output(SSM_PARAMETER_ARN) } }]));
        const { referencesSsmParameters } = await import("../../../provider/src/servicePlatform/secrets");
        const estimate = estimateMonthlyCost(settings, { storedSecretCount: 0, referencesSsm: referencesSsmParameters(settings) });
        expect(estimate.lineItems.find((i) => i.key === "interface-endpoints")?.description).toBe("5 interface endpoint(s) in 2 zone(s)");
    });

    it("refuses a VPC whose public subnets are too small for the load balancer (/27 at least)", () => {
        const args = (cidrBlock: string, isPublic = true): ServicePlatformArgs => ({ stage: "dev", network: { cidrBlock }, services: [{ name: "api", public: isPublic }] });
        expect(problems(args("10.0.0.0/24"))).toEqual([
            'network.cidrBlock: got 10.0.0.0/24 (public subnets 10.0.0.16/28, 10.0.0.32/28); a block of /23 or larger: it is cut into 16 parts, so its public subnets are /28, and an Application Load Balancer needs subnets of at least /27 with 8 free addresses (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer)',
        ]);
        expect(problems(args("10.0.0.0/23"))).toEqual([]);
        expect(problems(args("10.0.0.0/16"))).toEqual([]);
        // No load balancer (no public service, or App Runner): a /24 is enough.
        expect(problems(args("10.0.0.0/24", false))).toEqual([]);
        expect(problems({ ...args("10.0.0.0/24"), compute: "appRunner" as never, services: [{ name: "api", public: true, image: "public.ecr.aws/nginx/nginx:1" }] })).toEqual([]);
    });
});

describe("permissions for services", () => {
    it("validates statements (service:Action, ARNs, never *) and bucketAccess in one error", () => {
        const found = problems({
            stage: "dev",
            services: [
                {
                    name: "api",
                    public: true,
                    bucketAccess: BucketAccess.ReadWrite,
                    policyStatements: [
                        { actions: ["sqs:SendMessage", "s3:*", "*", "SendMessage"], resources: ["*", "arn:aws:sqs:us-east-1:123456789012:jobs", "jobs"] },
                        { actions: [], resources: [] },
                    ],
                },
            ],
        });
        expect(found).toEqual([
            "services[0].bucketAccess: got \"readWrite\"; grants access to the platform's bucket: add `storage` (with its bucket)",
            'services[0].policyStatements[0].actions[1]: got "s3:*"; an IAM action as service:Action, for example sqs:SendMessage, without wildcards (name each action)',
            'services[0].policyStatements[0].actions[2]: got "*"; an IAM action as service:Action, for example sqs:SendMessage, without wildcards (name each action)',
            'services[0].policyStatements[0].actions[3]: got "SendMessage"; an IAM action as service:Action, for example sqs:SendMessage, without wildcards (name each action)',
            'services[0].policyStatements[0].resources[0]: got "*"; a resource ARN: "*" grants the actions on every resource in the account; name the resources',
            'services[0].policyStatements[0].resources[2]: got "jobs"; a resource ARN, arn:<partition>:<service>:<region>:<account>:<resource>',
            "services[0].policyStatements[1].actions: got []; a non-empty list of IAM actions as service:Action",
            "services[0].policyStatements[1].resources: got []; a non-empty list of resource ARNs",
        ]);
        expect(problems({ stage: "dev", storage: {}, services: [{ name: "api", bucketAccess: "write" as never }] })).toEqual(['services[0].bucketAccess: got "write"; one of "read", "readWrite"']);
    });

    it("grants each service exactly its bucket access and statements, and exports every task role ARN", async () => {
        const queue = pulumi.output("arn:aws:sqs:us-east-1:123456789012:jobs");
        const b = await build({
            ...skregArgs(),
            storage: { cdn: true },
            services: [
                { name: "api", public: true, useDatabase: true, bucketAccess: BucketAccess.ReadWrite, policyStatements: [{ actions: ["sqs:SendMessage"], resources: [queue] }] },
                { name: "worker", bucketAccess: BucketAccess.Read },
                { name: "cron" },
            ],
        });
        const bucketArn = b.one(T.bucket).state.arn;
        const api = doc(b.one(T.rolePolicy, "app-task-policy-api")).Statement;
        expect(api.map((s: any) => [s.Sid, s.Action, s.Resource])).toEqual([
            ["ReadSecrets", ["secretsmanager:GetSecretValue"], expect.stringMatching(/^arn:aws:secretsmanager:.*:secret:rds!db-/)],
            ["ListBucket", ["s3:ListBucket"], bucketArn],
            ["BucketObjects", ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"], `${bucketArn}/*`],
            ["Service1", ["sqs:SendMessage"], "arn:aws:sqs:us-east-1:123456789012:jobs"],
        ]);
        const worker = doc(b.one(T.rolePolicy, "app-task-policy-worker")).Statement;
        expect(worker.map((s: any) => [s.Sid, s.Action, s.Resource])).toEqual([
            ["ListBucket", ["s3:ListBucket"], bucketArn],
            ["BucketObjects", ["s3:GetObject"], `${bucketArn}/*`],
        ]);
        expect(b.all(T.rolePolicy).map((p) => p.name)).not.toContain("app-task-policy-cron");
        expect(b.one(T.role, "app-task-role-api").inputs.description).toBe("Role of api's application code: reads the database secret (DB_SECRET_ARN), reads and writes the storage bucket, 1 statement(s) of its own");
        expect(await resolve(b.platform.taskRoleArns)).toEqual({
            api: `arn:aws:iam::${ACCOUNT_ID}:role/app-dev-api-task`,
            worker: `arn:aws:iam::${ACCOUNT_ID}:role/app-dev-worker-task`,
            cron: `arn:aws:iam::${ACCOUNT_ID}:role/app-dev-cron-task`,
        });
        expect(b.one(T.role, "app-task-role-cron").state.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/app-dev-cron-task`);
        assertGuardrails(b.recorder.resources, { profile: "ephemeral" });
    });

    it("puts them on the App Runner instance role, whose ARN is the service's role output", async () => {
        const b = await build({
            stage: "dev",
            compute: "appRunner" as never,
            storage: {},
            services: [{ name: "web", public: true, image: "public.ecr.aws/nginx/nginx:1", bucketAccess: BucketAccess.Read, policyStatements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:jobs"] }] }],
        });
        const statements = doc(b.one(T.rolePolicy, "app-instance-policy-web")).Statement;
        expect(statements.map((s: any) => s.Sid)).toEqual(["ListBucket", "BucketObjects", "Service1"]);
        expect(await resolve(b.platform.taskRoleArns)).toEqual({ web: b.one(T.role, "app-instance-role-web").state.arn });
    });
});

describe("per-service options", () => {
    it("defaults: read-only root filesystem, X86_64, no ECS Exec, 60 s grace period", async () => {
        const b = await build(skregArgs());
        const task = b.one(T.taskDefinition, "app-task-api");
        expect(task.inputs.runtimePlatform).toEqual({ operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" });
        expect(containerOf(task).readonlyRootFilesystem).toBe(true);
        const service = b.one(T.ecsService, "app-service-api");
        expect(service.inputs.enableExecuteCommand).toBe(false);
        expect(service.inputs.healthCheckGracePeriodSeconds).toBe(60);
    });

    it("opts out of the read-only root filesystem, runs ARM64 on-demand, opens ECS Exec with its endpoint, and sets the grace period", async () => {
        const b = await build({
            stage: "dev",
            network: { natGateways: NatGateways.None },
            services: [
                { name: "web", public: true, image: ECR_IMAGE, readonlyRootFilesystem: false, enableExecuteCommand: true, healthCheckGracePeriodSeconds: 180 },
                { name: "worker", architecture: CpuArchitecture.ARM64 },
            ],
        });
        const web = b.one(T.taskDefinition, "app-task-web");
        expect(containerOf(web).readonlyRootFilesystem).toBe(false);
        expect(containerOf(web).mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
        const webService = b.one(T.ecsService, "app-service-web");
        expect(webService.inputs.enableExecuteCommand).toBe(true);
        expect(webService.inputs.healthCheckGracePeriodSeconds).toBe(180);
        const exec = doc(b.one(T.rolePolicy, "app-task-policy-web")).Statement;
        expect(exec).toEqual([
            { Sid: "EcsExec", Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: "*" },
        ]);
        expect(b.all(T.endpoint).map((e) => e.inputs.serviceName)).toContain(`com.amazonaws.${REGION}.ssmmessages`);

        const worker = b.one(T.taskDefinition, "app-task-worker");
        expect(worker.inputs.runtimePlatform).toEqual({ operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" });
        // Fargate Spot has no ARM64: the ephemeral default (Spot) does not apply.
        expect(b.one(T.ecsService, "app-service-worker").inputs.capacityProviderStrategies).toEqual([{ capacityProvider: "FARGATE", weight: 1 }]);
        // ECS.5 flags the opt-out, as Security Hub would; it is the user's explicit choice for this one service.
        expect(() => assertGuardrails(b.recorder.resources, { profile: "ephemeral" })).toThrow(/^ECS\.5 .*"app-task-web": container "web" does not set readonlyRootFilesystem: true$/);
        assertGuardrails(b.recorder.resources, { profile: "ephemeral", allow: [{ rule: "ECS.5", name: "app-task-web", reason: "readonlyRootFilesystem: false asked for ECS Exec" }] });
    });

    it("refuses what AWS does not run, in one error", () => {
        expect(
            problems({
                stage: "dev",
                services: [
                    { name: "a", public: true, architecture: CpuArchitecture.ARM64, spot: true, enableExecuteCommand: true, healthCheckGracePeriodSeconds: -1 },
                    { name: "b", architecture: "arm" as never, healthCheckGracePeriodSeconds: 30, readonlyRootFilesystem: "no" as never },
                ],
            }),
        ).toEqual([
            "services[0].healthCheckGracePeriodSeconds: got -1; an integer from 0 to 2147483647",
            "services[0].spot: got spot true with architecture ARM64; Fargate Spot runs X86_64 tasks only (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html): set spot false or architecture X86_64",
            "services[0].enableExecuteCommand: got enableExecuteCommand true with readonlyRootFilesystem true (the default); ECS Exec needs a writable root filesystem for its agent (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html): also set readonlyRootFilesystem false",
            'services[1].readonlyRootFilesystem: got "no"; true or false',
            'services[1].architecture: got "arm"; one of "X86_64", "ARM64"',
            "services[1].healthCheckGracePeriodSeconds: got 30; applies to services behind the load balancer: set `public: true` or leave it out",
        ]);
        expect(
            problems({ stage: "dev", compute: "appRunner" as never, services: [{ name: "web", public: true, image: "public.ecr.aws/nginx/nginx:1", architecture: CpuArchitecture.ARM64, enableExecuteCommand: true, readonlyRootFilesystem: false }] }).map((p) => p.split(";")[0]),
        ).toEqual(["services[0].readonlyRootFilesystem: got false", 'services[0].architecture: got "ARM64"', "services[0].enableExecuteCommand: got true"]);
    });

    it("prices ARM64 tasks at Fargate's Graviton rates", () => {
        const cost = (architecture: CpuArchitecture) =>
            estimateMonthlyCost(resolveSettings("app", { stage: "dev", profile: Profile.Production, domain: { name: "a.example.com", hostedZoneId: "Z1" }, services: [{ name: "api", cpu: 1024, memory: 2048, architecture }] }), { storedSecretCount: 0 }).lineItems.find(
                (i) => i.key === "fargate:api",
            )!;
        expect(cost(CpuArchitecture.X86_64).monthlyUsd).toBe(Math.round((PRICES.fargateVcpuHour + 2 * PRICES.fargateGbHour) * 730 * 100) / 100);
        expect(cost(CpuArchitecture.ARM64).monthlyUsd).toBe(Math.round((0.03238 + 2 * 0.00356) * 730 * 100) / 100);
        expect(cost(CpuArchitecture.ARM64).description).toBe("1 Fargate ARM64 task(s) of 1 vCPU / 2 GB");
    });
});

describe("TLS at the CDN", () => {
    const CERT = `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;

    it("serves a custom domain with its us-east-1 certificate over SNI and TLSv1.2_2021, with A and AAAA aliases", async () => {
        const b = await build({ ...skregArgs(), storage: { cdn: true, cdnDomain: { name: "cdn.skreg.dev", hostedZoneId: "Z0SKREG", certificateArn: CERT } } });
        const cdn = b.one(T.distribution);
        expect(cdn.inputs.aliases).toEqual(["cdn.skreg.dev"]);
        expect(cdn.inputs.viewerCertificate).toEqual({ acmCertificateArn: CERT, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
        const aliases = b.all(T.record).filter((r) => r.name.startsWith("app-cdn-alias"));
        expect(aliases.map((r) => [r.inputs.type, r.inputs.name, r.inputs.zoneId, r.inputs.aliases])).toEqual([
            ["A", "cdn.skreg.dev", "Z0SKREG", [{ name: "d1a2b3c4d5e6f7.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }]],
            ["AAAA", "cdn.skreg.dev", "Z0SKREG", [{ name: "d1a2b3c4d5e6f7.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }]],
        ]);
        expect(await resolve(b.platform.cdnBaseUrl)).toBe("https://cdn.skreg.dev");
    });

    it("keeps the default certificate without a domain, and warns at preview what it allows", async () => {
        const warnings: string[] = [];
        const original = pulumi.log.warn;
        (pulumi.log as { warn: typeof pulumi.log.warn }).warn = (message: string) => {
            warnings.push(message);
            return Promise.resolve();
        };
        try {
            const b = await build({ ...skregArgs(), storage: { cdn: true } });
            expect(b.one(T.distribution).inputs.viewerCertificate).toEqual({ cloudfrontDefaultCertificate: true });
            expect(b.all(T.record).filter((r) => r.name.startsWith("app-cdn-alias"))).toEqual([]);
        } finally {
            (pulumi.log as { warn: typeof pulumi.log.warn }).warn = original;
        }
        expect(warnings.filter((w) => w.includes("storage.cdnDomain"))).toEqual([
            'ServicePlatform "app": no `storage.cdnDomain` given, so the CDN serves its *.cloudfront.net name with CloudFront\'s default certificate, which accepts viewers from TLSv1 on. Give storage.cdnDomain (a name, its hosted zone and an ACM certificate in us-east-1) for TLSv1.2_2021.',
        ]);
    });

    it("refuses a domain without the CDN, a certificate outside us-east-1 and a bad name, in one error", () => {
        const cert = CERT.replace("us-east-1", "eu-west-1");
        expect(problems({ ...skregArgs(), storage: { cdnDomain: { name: "CDN.skreg.dev", hostedZoneId: "Z0SKREG", certificateArn: cert } } })).toEqual([
            'storage.cdnDomain: got "CDN.skreg.dev"; a domain for the CDN: set storage.cdn to true',
            expect.stringMatching(/^storage\.cdnDomain\.name: got "CDN\.skreg\.dev"; a lowercase fully qualified domain name/),
            `storage.cdnDomain.certificateArn: got "${cert}"; an ACM certificate in us-east-1: CloudFront uses certificates from that Region only (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html)`,
        ]);
        expect(problems({ ...skregArgs(), storage: { cdn: true, cdnDomain: { name: "cdn.skreg.dev", hostedZoneId: "Z0SKREG", certificateArn: "arn:aws:iam::123456789012:server-certificate/x" } } })).toEqual([
            'storage.cdnDomain.certificateArn: got "arn:aws:iam::123456789012:server-certificate/x"; an acm ARN for "certificate/..."',
        ]);
    });
});
