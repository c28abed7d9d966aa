import { describe, expect, it } from "vitest";
import { build, containerOf, doc, OTEL_ENDPOINT_ARN, OTEL_HEADERS_ARN, Profile, RDS_SECRET_ARN, resolve, skregArgs, T } from "./fixtures";

describe("ECS on Fargate", () => {
    it("runs each service in the private subnets without public IPs, with a circuit breaker that rolls back", async () => {
        const b = await build({ ...skregArgs(), services: skregArgs().services.map((s) => ({ ...s, imageTag: "sha-0a1b2c3" })) }, "skreg");
        expect(b.one(T.cluster).inputs).toMatchObject({ name: "skreg-dev", settings: [{ name: "containerInsights", value: "enabled" }] });
        expect(b.one(T.capacity).inputs.capacityProviders).toEqual(["FARGATE", "FARGATE_SPOT"]);
        const api = b.one(T.ecsService, "skreg-service-api");
        expect(api.inputs).toMatchObject({
            name: "api-dev",
            desiredCount: 1,
            capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
            networkConfiguration: { assignPublicIp: false, subnets: ["skreg-private-1-id", "skreg-private-2-id"], securityGroups: ["skreg-svc-api-sg-id"] },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            healthCheckGracePeriodSeconds: 60,
            loadBalancers: [{ containerName: "api", containerPort: 8080 }],
        });
        expect(api.inputs.launchType).toBeUndefined();
        const worker = b.one(T.ecsService, "skreg-service-worker");
        expect(worker.inputs.loadBalancers).toBeUndefined();
        expect(worker.inputs.healthCheckGracePeriodSeconds).toBeUndefined();
        expect(await resolve(b.platform.clusterName)).toBe("skreg-dev");
        expect(await resolve(b.platform.serviceNames)).toEqual({ api: "api-dev", worker: "worker-dev" });
    });

    it("renders a task definition with a read-only root, no privilege, awslogs and the database from Secrets Manager", async () => {
        const b = await build(skregArgs(), "skreg");
        const task = b.one(T.taskDefinition, "skreg-task-api");
        expect(task.inputs).toMatchObject({
            family: "skreg-dev-api",
            cpu: "512",
            memory: "1024",
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            executionRoleArn: "arn:aws:iam::123456789012:role/skreg-dev-api-exec",
            taskRoleArn: "arn:aws:iam::123456789012:role/skreg-dev-api-task",
            volumes: [{ name: "tmp" }],
        });
        const c = containerOf(task);
        expect(c).toMatchObject({ name: "api", readonlyRootFilesystem: true, privileged: false, portMappings: [{ containerPort: 8080, protocol: "tcp" }] });
        expect(c.logConfiguration).toEqual({ logDriver: "awslogs", options: { "awslogs-group": "/rampart/skreg-dev/api", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api" } });
        expect(c.environment).toEqual([
            { name: "DB_HOST", value: "skreg-dev.c0ffee.us-east-1.rds.amazonaws.com" },
            { name: "DB_NAME", value: "app" },
            { name: "DB_PORT", value: "5432" },
            { name: "DB_SECRET_ARN", value: RDS_SECRET_ARN },
        ]);
        expect(c.secrets).toEqual([
            { name: "DB_PASSWORD", valueFrom: `${RDS_SECRET_ARN}:password::` },
            { name: "DB_USER", valueFrom: `${RDS_SECRET_ARN}:username::` },
        ]);
        expect(b.one(T.logGroup, "skreg-logs-api").inputs.retentionInDays).toBe(7);
    });

    it("gives each service a task role that reads only the database secret (or nothing) and an execution role scoped to its log group and repository", async () => {
        const b = await build({ ...skregArgs(), services: [...skregArgs().services, { name: "cron", cpu: 256, memory: 512 }] }, "skreg");
        // The application may read the current password when it connects (DB_SECRET_ARN): exactly that secret.
        expect(b.all(T.rolePolicy).filter((p) => p.inputs.role === "skreg-task-role-api-id").map((p) => doc(p))).toEqual([
            { Version: "2012-10-17", Statement: [{ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: RDS_SECRET_ARN }] },
        ]);
        expect(b.all(T.rolePolicy).filter((p) => p.inputs.role === "skreg-task-role-cron-id")).toEqual([]);
        expect(b.one(T.role, "skreg-task-role-api").inputs.managedPolicyArns ?? []).toEqual([]);
        const exec = doc(b.one(T.rolePolicy, "skreg-exec-policy-api"));
        expect(exec.Statement.find((s: any) => s.Sid === "PullImage").Resource).toBe("arn:aws:ecr:us-east-1:123456789012:repository/skreg-dev-api");
        expect(exec.Statement.find((s: any) => s.Sid === "WriteLogs").Resource).toBe("arn:aws:logs:us-east-1:123456789012:log-group:/rampart/skreg-dev/api:log-stream:*");
    });

    it("wires OpenTelemetry from secret ARNs, plain environment and the command", async () => {
        const b = await build({
            stage: "dev",
            observability: { otelEndpointSecretArn: OTEL_ENDPOINT_ARN, otelHeadersSecretArn: OTEL_HEADERS_ARN },
            services: [{ name: "api", image: "ghcr.io/unkeyed/unkey:v1.2.3", command: ["api"], environment: { REGION: "us-east-1" } }],
        });
        const c = containerOf(b.one(T.taskDefinition));
        expect(c.image).toBe("ghcr.io/unkeyed/unkey:v1.2.3");
        expect(c.command).toEqual(["api"]);
        expect(c.environment).toEqual([{ name: "OTEL_SERVICE_NAME", value: "api" }, { name: "REGION", value: "us-east-1" }]);
        expect(c.secrets).toEqual([
            { name: "OTEL_EXPORTER_OTLP_ENDPOINT", valueFrom: OTEL_ENDPOINT_ARN },
            { name: "OTEL_EXPORTER_OTLP_HEADERS", valueFrom: OTEL_HEADERS_ARN },
        ]);
        const exec = doc(b.one(T.rolePolicy));
        expect(exec.Statement.map((s: any) => s.Sid)).toEqual(["WriteLogs", "ReadSecrets"]);
        expect(exec.Statement[1].Resource).toEqual([OTEL_ENDPOINT_ARN, OTEL_HEADERS_ARN]);
    });

    it("runs the services in an existing cluster when given one, creating no cluster, and refuses an ARN that names no cluster", async () => {
        const clusterArn = "arn:aws:ecs:us-east-1:123456789012:cluster/shared-previews";
        const b = await build({ stage: "pr-7", cluster: { existingClusterArn: clusterArn }, services: [{ name: "api", imageTag: "sha-0a1b2c3", public: true, autoscaling: { min: 1, max: 2 } }] });
        expect(b.all(T.cluster)).toEqual([]);
        expect(b.all(T.capacity)).toEqual([]);
        expect(b.one(T.ecsService).inputs.cluster).toBe(clusterArn);
        expect(b.one(T.scalingTarget).inputs.resourceId).toBe("service/shared-previews/api-pr-7");
        expect(await resolve(b.platform.clusterName)).toBe("shared-previews");
        const { ServicePlatform } = await import("../../../provider/src");
        expect(() => new ServicePlatform("app", { stage: "dev", cluster: { existingClusterArn: "arn:aws:ecs:us-east-1:123456789012:service/shared/api" }, services: [{ name: "api" }] })).toThrow(
            /cluster\.existingClusterArn: got "arn:aws:ecs:us-east-1:123456789012:service\/shared\/api"; an ecs ARN for "cluster\/\.\.\."/,
        );
    });

    it("scales on CPU, memory and requests per target when asked, and leaves desiredCount to the scaler", async () => {
        const b = await build({ stage: "dev", services: [{ name: "api", imageTag: "sha-0a1b2c3", public: true, autoscaling: { min: 2, max: 6, memoryTarget: 80, requestsPerTarget: 500 } }] });
        const target = b.one(T.scalingTarget);
        expect(target.inputs).toMatchObject({ minCapacity: 2, maxCapacity: 6, resourceId: "service/app-dev/api-dev", scalableDimension: "ecs:service:DesiredCount" });
        expect(b.all(T.scalingPolicy).map((p) => [p.name, p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType, p.inputs.targetTrackingScalingPolicyConfiguration.targetValue])).toEqual([
            ["app-scaling-api-cpu", "ECSServiceAverageCPUUtilization", 70],
            ["app-scaling-api-memory", "ECSServiceAverageMemoryUtilization", 80],
            ["app-scaling-api-requests", "ALBRequestCountPerTarget", 500],
        ]);
        expect(b.one(T.scalingPolicy, "app-scaling-api-requests").inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel).toBe(
            "app/app-dev/50dc6c495c0c9188/targetgroup/app-dev-api-8080/73e2d6bc24d8a067",
        );
        const service = b.one(T.ecsService);
        expect(service.inputs.desiredCount).toBe(2);
        expect(service.options.ignoreChanges).toEqual(["desiredCount"]);
    });

    it("uses on-demand Fargate, enhanced Container Insights and long retention in production", async () => {
        const b = await build(skregArgs(Profile.Production), "skreg");
        expect(b.one(T.cluster).inputs.settings).toEqual([{ name: "containerInsights", value: "enhanced" }]);
        expect(b.all(T.ecsService).map((s) => s.inputs.capacityProviderStrategies[0].capacityProvider)).toEqual(["FARGATE", "FARGATE"]);
        expect(b.one(T.logGroup, "skreg-logs-api").inputs.retentionInDays).toBe(90);
        expect(b.one(T.ecsService, "skreg-service-api").inputs.forceDelete).toBe(false);
    });
});
