/**
 * Issue 13, item 2 through the real engine and the offline stand-in: a ServicePlatform shaped like The Combine
 * (examples/service-platform-combine-ts: one service on port 8000 with a database, an API key stored by rampart, an
 * existing secret by ARN, a GitHub push role) on `compute: expressMode` (Amazon ECS Express Mode). The first `up`
 * creates one Express Mode service in the private subnets and the platform's cluster, with the infrastructure role on
 * AWS's managed policy, least-privilege execution and task roles, and no secret in plain text anywhere in the state. A
 * second `up` that changes the service (memory, a variable, autoscaling) updates it in place: same service, nothing
 * replaced. Refusals: public ingress and a custom domain fail at preview naming the argument.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changed, planOf, statefulLosses } from "./plan";
import { exportState, writeYamlProgram } from "./projects";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 20 * 60_000;
const EXPRESS = "aws:ecs/expressGatewayService:ExpressGatewayService";
const API_KEY = "sk-ant-e2e-express-4be1c0ffee";
const SECRET_KEY_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:the-combine/secret-key-Pq7Rs9";

function combine(service: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return {
        stage: "express",
        compute: "expressMode",
        services: [
            {
                name: "app",
                imageTag: "sha-4f2a9c1",
                cpu: 256,
                port: 8000,
                healthCheckPath: "/health",
                useDatabase: true,
                secrets: { ANTHROPIC_API_KEY: "${anthropicApiKey}", SECRET_KEY: SECRET_KEY_ARN },
                ...service,
            },
        ],
        database: {},
        ci: { githubRepository: "tmoseley/the-combine" },
        ...extra,
    };
}

function project(ws: PulumiWorkspace, properties: unknown): string {
    return writeYamlProgram(join(ws.root, "combine"), {
        name: "combine-express",
        secretConfig: ["anthropicApiKey"],
        resources: { platform: { type: "rampart:index:ServicePlatform", name: "combine", properties } },
        outputs: {
            privateSubnetIds: "${platform.privateSubnetIds}",
            taskRoleArns: "${platform.taskRoleArns}",
            clusterName: "${platform.clusterName}",
            estimatedMonthlyCostUsd: "${platform.estimatedMonthlyCostUsd}",
        },
    });
}

const policyOf = (r: { inputs?: Record<string, unknown> }) => JSON.parse(String(r.inputs?.policy));

describe.skipIf(!ready)("ServicePlatform on Amazon ECS Express Mode, through the real engine (The Combine's shape)", () => {
    const workspaces: PulumiWorkspace[] = [];

    beforeAll(() => {
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
    }, TIMEOUT_MS);

    afterAll(() => {
        for (const ws of workspaces) ws.dispose();
    });

    it("up creates the Express Mode service privately with least-privilege roles; a second up updates it in place", () => {
        const ws = new PulumiWorkspace("express-combine");
        workspaces.push(ws);
        let dir = project(ws, combine({ memory: 512, environment: { LOG_LEVEL: "info" } }));
        ws.run(["stack", "init", ws.stack], dir);
        ws.run(["config", "set", "--secret", "anthropicApiKey", API_KEY], dir);
        ws.run(["up", "--yes", "--skip-preview"], dir);

        const plainState = ws.run(["stack", "export"], dir).stdout;
        expect(plainState, "the API key is nowhere in the state in plain text").not.toContain(API_KEY);
        const resources = exportState(ws, dir);
        const outputs = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
        const services = resources.filter((r) => r.type === EXPRESS);
        expect(services).toHaveLength(1);
        const service = services[0];
        const inputs = service.inputs as Record<string, any>;

        // Private networking: the platform's private subnets and the service's own group, in the platform's cluster.
        expect(inputs.networkConfigurations).toHaveLength(1);
        expect([...inputs.networkConfigurations[0].subnets].sort()).toEqual([...outputs.privateSubnetIds].sort());
        const serviceGroup = resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.inputs?.name === "combine-express-svc-app")!;
        expect(inputs.networkConfigurations[0].securityGroups).toEqual([serviceGroup.id]);
        const cluster = resources.find((r) => r.type === "aws:ecs/cluster:Cluster")!;
        expect(inputs.cluster).toBe(cluster.outputs?.arn);
        expect(outputs.clusterName).toBe(cluster.inputs?.name);
        expect(service.id).toBe(`arn:aws:ecs:us-east-1:123456789012:service/${cluster.inputs?.name}/app-express`);
        for (const type of ["aws:lb/loadBalancer:LoadBalancer", "aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition", "aws:apprunner/service:Service"]) {
            expect(resources.filter((r) => r.type === type), type).toHaveLength(0);
        }

        // Secrets only as references: the stored API key and the given ARN, the database credentials from RDS's secret.
        const secrets = Object.fromEntries((inputs.primaryContainer.secrets as { name: string; valueFrom: string }[]).map((s) => [s.name, s.valueFrom]));
        expect(Object.keys(secrets).sort()).toEqual(["ANTHROPIC_API_KEY", "DB_PASSWORD", "DB_USER", "SECRET_KEY"]);
        expect(secrets.ANTHROPIC_API_KEY).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:combine-express-app\/ANTHROPIC_API_KEY-[A-Za-z0-9]{6}$/);
        expect(secrets.SECRET_KEY).toBe(SECRET_KEY_ARN);
        const plain = Object.fromEntries((inputs.primaryContainer.environments as { name: string; value: string }[]).map((e) => [e.name, e.value]));
        expect(plain).toMatchObject({ LOG_LEVEL: "info", DB_NAME: "app", DB_PORT: "5432" });
        expect(JSON.stringify(plain)).not.toMatch(/sk-ant/);

        // The infrastructure role: trusted by ECS, AWS's managed policy for Express Mode, nothing else.
        const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
        const infra = roles.find((r) => r.outputs?.arn === inputs.infrastructureRoleArn)!;
        expect(JSON.parse(String(infra.inputs?.assumeRolePolicy)).Statement[0].Principal).toEqual({ Service: "ecs.amazonaws.com" });
        const attachments = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs?.role === infra.inputs?.name);
        expect(attachments.map((a) => a.inputs?.policyArn)).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices"]);

        // The execution role: `*` only for the ECR login AWS grants on `*`; everything else on exactly this service's ARNs.
        const exec = roles.find((r) => r.outputs?.arn === inputs.executionRoleArn)!;
        const execPolicy = policyOf(resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs?.role === exec.id)!);
        for (const statement of execPolicy.Statement) {
            if (statement.Sid === "EcrLogin") continue;
            expect([statement.Resource].flat(), statement.Sid).not.toContain("*");
        }
        const readable = execPolicy.Statement.filter((s: any) => [s.Action].flat().includes("secretsmanager:GetSecretValue")).flatMap((s: any) => [s.Resource].flat());
        expect(readable).toEqual(expect.arrayContaining([secrets.ANTHROPIC_API_KEY, SECRET_KEY_ARN]));
        expect(readable.every((arn: string) => arn.startsWith("arn:aws:secretsmanager:"))).toBe(true);

        // The task role is the service's role output; it reads the database secret only.
        expect(outputs.taskRoleArns).toEqual({ app: inputs.taskRoleArn });
        const task = roles.find((r) => r.outputs?.arn === inputs.taskRoleArn)!;
        const taskPolicy = policyOf(resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs?.role === task.id)!);
        expect(taskPolicy.Statement.flatMap((s: any) => [s.Action].flat())).toEqual(["secretsmanager:GetSecretValue"]);
        // The service waits for its roles' policies, so a delete never leaves it draining without them.
        const dependencyNames = (service as any).dependencies as string[];
        expect(dependencyNames.some((urn) => urn.endsWith("::combine-exec-policy-app"))).toBe(true);
        expect(dependencyNames.some((urn) => urn.endsWith("::combine-express-infrastructure-policy"))).toBe(true);
        expect(outputs.estimatedMonthlyCostUsd).toBeGreaterThan(16);

        ws.run(["preview", "--expect-no-changes"], dir);

        // Second up: more memory, another variable, autoscaling on memory: an in-place update of the same service.
        dir = project(ws, combine({ memory: 1024, environment: { LOG_LEVEL: "debug" }, autoscaling: { min: 1, max: 3, memoryTarget: 75 } }));
        const plan = planOf(ws, dir);
        expect(statefulLosses(plan)).toEqual([]);
        expect(changed(plan).filter((c) => c.includes(EXPRESS))).toEqual([`update ${EXPRESS} combine-express-app`]);
        expect(changed(plan).filter((c) => /replace|delete/.test(c))).toEqual([]);
        ws.run(["up", "--yes", "--skip-preview"], dir);
        const after = exportState(ws, dir).find((r) => r.type === EXPRESS)!;
        expect(after.id).toBe(service.id);
        expect(after.inputs).toMatchObject({ memory: "1024", scalingTargets: [{ autoScalingMetric: "AVERAGE_MEMORY", autoScalingTargetValue: 75, minTaskCount: 1, maxTaskCount: 3 }] });
        expect(ws.run(["stack", "export"], dir).stdout).not.toContain(API_KEY);
        ws.run(["destroy", "--yes", "--skip-preview"], dir);
    }, TIMEOUT_MS);

    it("refuses at preview what Express Mode cannot do: public ingress and a custom domain, naming the arguments", () => {
        const ws = new PulumiWorkspace("express-refused");
        workspaces.push(ws);
        const dir = project(ws, combine({ public: true }, { domain: { name: "thecombine.ui", hostedZoneId: "Z0COMBINE" } }));
        ws.run(["stack", "init", ws.stack], dir);
        ws.run(["config", "set", "--secret", "anthropicApiKey", API_KEY], dir);
        const result = ws.run(["preview"], dir, { allowFailure: true });
        const text = result.stdout + result.stderr;
        expect(result.status).not.toBe(0);
        expect(text).toContain('ServicePlatform "combine": domain: got "thecombine.ui"; no custom domain with compute expressMode');
        expect(text).toContain('ServicePlatform "combine": services[0].public: got true; no internet ingress with compute expressMode');
        expect(text).toContain("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html");
        expect(text).not.toContain(API_KEY);
    }, TIMEOUT_MS);
});
