/**
 * `compute: expressMode` (Amazon ECS Express Mode, App Runner's successor): the pure inputs, the resources under the
 * mocks in The Combine's shape, what validation refuses, and the cost estimate.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { ServicePlatform, ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { APP_RUNNER_AVAILABILITY_WARNING } from "../../../provider/src/servicePlatform/appRunner";
import { estimateMonthlyCost, interfaceEndpointServices, PRICES } from "../../../provider/src/servicePlatform/cost";
import {
    EXPRESS_INFRASTRUCTURE_POLICY_NAME,
    expressInfrastructurePolicyArn,
    expressInfrastructureTrustPolicy,
    expressPrimaryContainer,
    expressScalingTarget,
} from "../../../provider/src/servicePlatform/expressModeInputs";
import { resolveSettings } from "../../../provider/src/servicePlatform/settings";
import { assertGuardrails } from "../../utils/guardrails";
import { record } from "../../utils/harness";
import { ACCOUNT_ID, Compute, computeState, doc, NatGateways, problems, Profile, RDS_SECRET_ARN, REGION, resolve, T } from "./expressFixtures";

const EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ANTHROPIC_KEY = "sk-ant-api03-combine-express-secret";
const SECRET_KEY_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:the-combine/secret-key-Pq7Rs9`;

/** The Combine (examples/service-platform-combine-ts) on Express Mode: no public ingress and no custom domain there. */
function combineArgs(overrides: Partial<ServicePlatformArgs> = {}): ServicePlatformArgs {
    return {
        stage: "dev",
        compute: Compute.ExpressMode,
        services: [
            {
                name: "app",
                imageTag: "sha-4f2a9c1",
                cpu: 256,
                memory: 512,
                port: 8000,
                healthCheckPath: "/health",
                useDatabase: true,
                environment: { LOG_LEVEL: "info" },
                secrets: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, SECRET_KEY: SECRET_KEY_ARN },
            },
        ],
        database: {},
        ci: { githubRepository: "tmoseley/the-combine", oidcProviderArn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com` },
        ...overrides,
    };
}

async function build(args: ServicePlatformArgs, name = "combine") {
    const { result, recorder } = await record(() => new ServicePlatform(name, args), { computeState });
    return { platform: result, recorder, all: (t: string) => recorder.byType(t), one: (t: string, n?: string) => recorder.one(t, n) };
}

describe("Express Mode: pure inputs", () => {
    it("the infrastructure role: trusted by ECS, AWS's managed policy for Express Mode in the partition", () => {
        expect(EXPRESS_INFRASTRUCTURE_POLICY_NAME).toBe("AmazonECSInfrastructureRoleforExpressGatewayServices");
        expect(expressInfrastructurePolicyArn("aws")).toBe("arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices");
        expect(expressInfrastructurePolicyArn("aws-us-gov")).toBe("arn:aws-us-gov:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices");
        expect(expressInfrastructureTrustPolicy()).toEqual({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: ["sts:AssumeRole"] }],
        });
    });

    it("one scaling target: CPU at 70% by default, memory or requests when given, desiredCount without autoscaling", () => {
        expect(expressScalingTarget({ desiredCount: 2, autoscaling: undefined })).toEqual({ autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: 70, minTaskCount: 2, maxTaskCount: 2 });
        expect(expressScalingTarget({ desiredCount: 1, autoscaling: { min: 1, max: 4, cpuTarget: 55 } })).toEqual({ autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: 55, minTaskCount: 1, maxTaskCount: 4 });
        expect(expressScalingTarget({ desiredCount: 1, autoscaling: { min: 1, max: 4, memoryTarget: 80 } })).toMatchObject({ autoScalingMetric: "AVERAGE_MEMORY", autoScalingTargetValue: 80 });
        expect(expressScalingTarget({ desiredCount: 2, autoscaling: { min: 2, max: 9, requestsPerTarget: 300 } })).toEqual({
            autoScalingMetric: "REQUEST_COUNT_PER_TARGET",
            autoScalingTargetValue: 300,
            minTaskCount: 2,
            maxTaskCount: 9,
        });
    });

    it("the primary container: sorted plain variables, secrets only as valueFrom references, logs to the service's group", () => {
        const container = expressPrimaryContainer({
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:abc",
            port: 8000,
            command: ["./serve"],
            plain: { Z: "1", A: "2" },
            secrets: { TOKEN: SECRET_KEY_ARN },
            logGroupName: "/rampart/combine-dev/app",
            logStreamPrefix: "app",
        });
        expect(container).toEqual({
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:abc",
            containerPort: 8000,
            commands: ["./serve"],
            environments: [
                { name: "A", value: "2" },
                { name: "Z", value: "1" },
            ],
            secrets: [{ name: "TOKEN", valueFrom: SECRET_KEY_ARN }],
            awsLogsConfigurations: [{ logGroup: "/rampart/combine-dev/app", logStreamPrefix: "app" }],
        });
        expect(expressPrimaryContainer({ image: "i", port: 80, plain: {}, secrets: {}, logGroupName: "g", logStreamPrefix: "s" })).not.toHaveProperty("commands");
    });
});

describe("Express Mode: The Combine's shape under the mocks", () => {
    it("one Express Mode service in the private subnets and the platform's cluster, secrets as ARNs, least-privilege roles", async () => {
        const b = await build(combineArgs());
        const cluster = b.one(T.cluster);
        const service = b.one(EXPRESS);
        expect(service.inputs).toMatchObject({
            serviceName: "app-dev",
            cluster: cluster.state.arn,
            cpu: "256",
            memory: "512",
            healthCheckPath: "/health",
            executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/combine-dev-app-exec`,
            taskRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/combine-dev-app-task`,
            infrastructureRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/combine-dev-express-infra`,
            networkConfigurations: [{ subnets: ["combine-private-1-id", "combine-private-2-id"], securityGroups: ["combine-svc-app-sg-id"] }],
            scalingTargets: [{ autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: 70, minTaskCount: 1, maxTaskCount: 1 }],
        });
        const container = service.inputs.primaryContainer;
        expect(container.image).toBe(`${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/combine-dev-app:sha-4f2a9c1`);
        expect(container.containerPort).toBe(8000);
        expect(container.environments).toEqual([
            { name: "DB_HOST", value: `combine-dev.c0ffee.${REGION}.rds.amazonaws.com` },
            { name: "DB_NAME", value: "app" },
            { name: "DB_PORT", value: "5432" },
            { name: "DB_SECRET_ARN", value: RDS_SECRET_ARN },
            { name: "LOG_LEVEL", value: "info" },
        ]);
        expect(container.secrets).toEqual([
            { name: "ANTHROPIC_API_KEY", valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:combine-dev-app/ANTHROPIC_API_KEY-Rnd0m1` },
            { name: "DB_PASSWORD", valueFrom: `${RDS_SECRET_ARN}:password::` },
            { name: "DB_USER", valueFrom: `${RDS_SECRET_ARN}:username::` },
            { name: "SECRET_KEY", valueFrom: SECRET_KEY_ARN },
        ]);
        expect(container.awsLogsConfigurations).toEqual([{ logGroup: b.one(T.logGroup, "combine-logs-app").inputs.name, logStreamPrefix: "app" }]);

        // The infrastructure role: ECS's trust and AWS's managed policy for Express Mode, nothing else.
        const infra = b.one(T.role, "combine-express-infrastructure-role");
        expect(JSON.parse(infra.inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: "ecs.amazonaws.com" });
        expect(b.one(ATTACHMENT, "combine-express-infrastructure-policy").inputs.policyArn).toBe("arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices");
        expect(b.all(T.rolePolicy).filter((p) => p.inputs.role === infra.state.id)).toHaveLength(0);

        // The execution role pulls exactly its repository, writes exactly its log group, reads exactly its secrets.
        const exec = doc(b.one(T.rolePolicy, "combine-exec-policy-app"));
        const bySid = Object.fromEntries(exec.Statement.map((s: any) => [s.Sid, s]));
        expect([bySid.PullImage.Resource].flat()).toEqual([`arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/combine-dev-app`]);
        expect([bySid.WriteLogs.Resource].flat()).toEqual([`${b.one(T.logGroup, "combine-logs-app").state.arn}:log-stream:*`]);
        const secretResources = exec.Statement.filter((s: any) => (s.Action as string[]).includes("secretsmanager:GetSecretValue")).flatMap((s: any) => s.Resource);
        expect(secretResources.sort()).toEqual(
            [`arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:combine-dev-app/ANTHROPIC_API_KEY-Rnd0m1`, RDS_SECRET_ARN, `${SECRET_KEY_ARN}`].sort(),
        );

        // The task role reads the database secret at connect time and is the service's output role.
        expect([doc(b.one(T.rolePolicy, "combine-task-policy-app")).Statement[0].Resource].flat()).toEqual([RDS_SECRET_ARN]);
        expect(await resolve(b.platform.taskRoleArns)).toEqual({ app: `arn:aws:iam::${ACCOUNT_ID}:role/combine-dev-app-task` });
        expect(await resolve(b.platform.serviceNames)).toEqual({ app: "app-dev" });
        expect(await resolve(b.platform.clusterName!)).toBe(cluster.inputs.name);

        // ECS runs the load balancer: rampart creates none, no task definition or plain ECS service either.
        for (const type of [T.lb, T.listener, T.targetGroup, T.taskDefinition, T.ecsService, T.appRunner, T.connector]) expect(b.all(type)).toHaveLength(0);
        expect(b.platform.url).toBeUndefined();
        // The service's group is the one the database admits.
        const dbIngress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "combine-db-sg-id");
        expect(dbIngress.map((r) => r.inputs.referencedSecurityGroupId)).toEqual(["combine-svc-app-sg-id"]);
        assertGuardrails(b.recorder.resources, { profile: "ephemeral", knownSecrets: [ANTHROPIC_KEY] });
        // The value is only in its Secrets Manager secret version, never in the service's configuration.
        expect(JSON.stringify(service.inputs)).not.toContain(ANTHROPIC_KEY);
    });

    it("an adopted cluster is used as is, and no cluster is created", async () => {
        const existing = `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/shared`;
        const b = await build(combineArgs({ cluster: { existingClusterArn: existing } }));
        expect(b.all(T.cluster)).toHaveLength(0);
        expect(b.one(EXPRESS).inputs.cluster).toBe(existing);
        expect(await resolve(b.platform.clusterName!)).toBe("shared");
    });

    it("autoscaling maps to the one scaling target; a rotation of the database password redeploys the Express Mode service", async () => {
        const b = await build(combineArgs({ services: [{ name: "app", imageTag: "sha-4f2a9c1", useDatabase: true, autoscaling: { min: 2, max: 6, memoryTarget: 75 } }] }));
        expect(b.one(EXPRESS).inputs.scalingTargets).toEqual([{ autoScalingMetric: "AVERAGE_MEMORY", autoScalingTargetValue: 75, minTaskCount: 2, maxTaskCount: 6 }]);
        const redeploy = b.all("aws:iam/rolePolicy:RolePolicy").map((p) => doc(p)).find((d) => d.Statement.some((s: any) => s.Sid === "RedeployEcsServices"));
        expect([redeploy?.Statement.find((s: any) => s.Sid === "RedeployEcsServices").Resource].flat()).toEqual([`arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/${b.one(T.cluster).inputs.name}/app-dev`]);
    });

    it("a service waiting for its first image gets its roles and log group but no Express Mode service until imageTag is set", async () => {
        const waiting = await build(combineArgs({ services: [{ name: "app", useDatabase: true }] }));
        expect(waiting.all(EXPRESS)).toEqual([]);
        expect(waiting.one(T.logGroup, "combine-logs-app")).toBeDefined();
        expect(Object.keys((await resolve(waiting.platform.taskRoleArns))!)).toEqual(["app"]);
        expect(await resolve(waiting.platform.serviceNames)).toEqual({});
        const running = await build(combineArgs({ services: [{ name: "app", imageTag: "sha-4f2a9c1", useDatabase: true }] }));
        expect(running.one(EXPRESS).inputs.primaryContainer.image).toMatch(/:sha-4f2a9c1$/);
    });

    it("the App Runner warning names the successor by its compute value", async () => {
        expect(APP_RUNNER_AVAILABILITY_WARNING("combine")).toContain("use compute expressMode (Amazon ECS Express Mode");
        const warn = vi.spyOn(pulumi.log, "warn");
        await build(combineArgs());
        expect(warn.mock.calls.map(([m]) => String(m)).filter((m) => m.includes("closed it to new customers"))).toHaveLength(0);
        warn.mockRestore();
    });
});

describe("Express Mode: validation", () => {
    it("accepts The Combine's shape", () => {
        expect(problems(combineArgs())).toEqual([]);
    });

    it("refuses public ingress, a custom domain, routing and load balancer settings, each with the argument and the document", () => {
        const found = problems(
            combineArgs({
                domain: { name: "thecombine.ui", hostedZoneId: "Z0COMBINE" },
                loadBalancer: { idleTimeoutSeconds: 120 },
                services: [{ name: "app", public: true, hostnames: ["app.thecombine.ui"], pathPatterns: ["/api/*"] }],
            }),
        );
        const paths = found.map((p) => p.split(":")[0]);
        expect(paths).toEqual(expect.arrayContaining(["domain", "loadBalancer", "services[0].public", "services[0].hostnames", "services[0].pathPatterns"]));
        expect(found.find((p) => p.startsWith("services[0].public"))).toContain("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html");
        expect(found.find((p) => p.startsWith("domain"))).toContain("use compute fargate for a custom domain");
    });

    it("refuses the Fargate options Express Mode does not take", () => {
        const found = problems(
            combineArgs({
                services: [{ name: "app", spot: true, architecture: "ARM64" as any, enableExecuteCommand: true, readonlyRootFilesystem: true, healthCheckGracePeriodSeconds: 30 }],
            }),
        );
        for (const key of ["spot", "architecture", "enableExecuteCommand", "readonlyRootFilesystem", "healthCheckGracePeriodSeconds"]) {
            const line = found.find((p) => p.startsWith(`services[0].${key}:`));
            expect(line, key).toBeDefined();
            expect(line).toContain("ecs_express_gateway_service");
        }
    });

    it("refuses task sizes beyond Express Mode's (4096 CPU units, 8192 MiB) and several scaling metrics", () => {
        expect(problems(combineArgs({ services: [{ name: "app", cpu: 8192, memory: 16384 }] }))).toEqual([
            expect.stringMatching(/^services\[0\]\.cpu: got 8192; one of 256, 512, 1024, 2048, 4096 CPU units: Amazon ECS Express Mode/),
        ]);
        expect(problems(combineArgs({ services: [{ name: "app", cpu: 4096, memory: 16384 }] }))).toEqual([
            expect.stringMatching(/^services\[0\]\.memory: got memory 16384 with cpu 4096; 512-8192 MiB/),
        ]);
        expect(problems(combineArgs({ services: [{ name: "app", cpu: 4096, memory: 8192 }] }))).toEqual([]);
        expect(problems(combineArgs({ services: [{ name: "app", autoscaling: { min: 1, max: 3, cpuTarget: 60, memoryTarget: 70 } }] }))).toEqual([
            expect.stringMatching(/^services\[0\]\.autoscaling: got cpuTarget and memoryTarget; one of cpuTarget, memoryTarget or requestsPerTarget/),
        ]);
        // Requests per target work without `public`: Express Mode runs a load balancer for every service.
        expect(problems(combineArgs({ services: [{ name: "app", autoscaling: { min: 1, max: 3, requestsPerTarget: 200 } }] }))).toEqual([]);
    });

    it("needs two zones and private subnets a load balancer fits in", () => {
        expect(problems(combineArgs({ database: undefined, services: [{ name: "app" }], network: { availabilityZoneCount: 1 } }))).toEqual([
            expect.stringMatching(/^network\.availabilityZoneCount: got 1; at least 2 availability zones: Express Mode's network configuration \(at least 2 subnets/),
        ]);
        expect(problems(combineArgs({ network: { cidrBlock: "10.0.0.0/24" } }))).toEqual([
            expect.stringMatching(/^network\.cidrBlock: got 10\.0\.0\.0\/24 \(private subnets .*\); a block of \/23 or larger: Express Mode places its Application Load Balancer in the services' private subnets/),
        ]);
        expect(problems(combineArgs({ network: { cidrBlock: "10.0.0.0/23" } }))).toEqual([]);
    });

    it("without NAT, images outside the Region's private ECR are refused as on Fargate", () => {
        expect(problems(combineArgs({ ci: undefined, network: { natGateways: NatGateways.None }, services: [{ name: "app", image: "nginx:1.27" }] }))).toEqual([
            expect.stringMatching(/^services\[0\]\.image: got "nginx:1\.27"; with network\.natGateways "none" tasks reach only this Region's private Amazon ECR/),
        ]);
    });
});

describe("Express Mode: cost", () => {
    it("prices on-demand Fargate tasks and the internal load balancer Express Mode provisions (up to 25 services share one)", () => {
        const settings = resolveSettings("combine", combineArgs({ services: [{ name: "app", cpu: 512, memory: 1024, autoscaling: { min: 2, max: 4 } }, { name: "worker" }] }));
        const items = Object.fromEntries(estimateMonthlyCost(settings, { storedSecretCount: 0 }).lineItems.map((i) => [i.key, i.monthlyUsd]));
        expect(items["express-load-balancer"]).toBe(Math.round(PRICES.albHour * 730 * 100) / 100);
        expect(items["expressMode:app"]).toBe(Math.round(2 * 730 * (0.5 * PRICES.fargateVcpuHour + 1 * PRICES.fargateGbHour) * 100) / 100);
        expect(items["expressMode:worker"]).toBe(Math.round(730 * (0.25 * PRICES.fargateVcpuHour + 0.5 * PRICES.fargateGbHour) * 100) / 100);
        expect(items).not.toHaveProperty("load-balancer-public-ipv4");
        const many = resolveSettings("big", { stage: "dev", compute: Compute.ExpressMode, services: Array.from({ length: 26 }, (_, i) => ({ name: `s${i}` })) });
        expect(estimateMonthlyCost(many, { storedSecretCount: 0 }).lineItems.find((i) => i.key === "express-load-balancer")?.description).toMatch(/^2 internal Application Load Balancer/);
    });

    it("without NAT, Express Mode tasks get the same interface endpoints as Fargate tasks", () => {
        const settings = resolveSettings("combine", combineArgs({ network: { natGateways: NatGateways.None } }));
        expect(interfaceEndpointServices(settings, false)).toEqual(["ecr.api", "ecr.dkr", "logs", "secretsmanager"]);
    });
});

export { Profile };
