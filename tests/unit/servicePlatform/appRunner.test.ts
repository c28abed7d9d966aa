import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { assertGuardrails } from "../../utils/guardrails";
import { build, Compute, doc, Profile, RDS_SECRET_ARN, resolve, T } from "./fixtures";

const ANTHROPIC_KEY = "sk-ant-api03-combine-secret";
const SECRET_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

describe("App Runner", () => {
    const combine = (profile = Profile.Ephemeral) =>
        build(
            {
                stage: profile === Profile.Production ? "prod" : "dev",
                profile,
                compute: Compute.AppRunner,
                domain: { name: "thecombine.ui", hostedZoneId: "ZCOMBINE" },
                database: {},
                services: [{ name: "web", imageTag: "sha-0a1b2c3", cpu: 256, memory: 512, port: 8000, public: true, useDatabase: true, secrets: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, SECRET_KEY } }],
            },
            "combine",
        );

    it("runs the service with a VPC connector in the private subnets, secrets as ARNs and health checks on its path", async () => {
        const b = await combine();
        const connector = b.one(T.connector);
        expect(connector.inputs).toMatchObject({ vpcConnectorName: "combine-dev-web", subnets: ["combine-private-1-id", "combine-private-2-id"], securityGroups: ["combine-svc-web-sg-id"] });
        const service = b.one(T.appRunner);
        expect(service.inputs).toMatchObject({
            serviceName: "combine-dev-web",
            instanceConfiguration: { cpu: "256", memory: "512", instanceRoleArn: "arn:aws:iam::123456789012:role/combine-dev-web-instance" },
            networkConfiguration: { egressConfiguration: { egressType: "VPC", vpcConnectorArn: connector.state.arn }, ingressConfiguration: { isPubliclyAccessible: true } },
            healthCheckConfiguration: { protocol: "HTTP", path: "/health" },
        });
        const image = service.inputs.sourceConfiguration.imageRepository;
        expect(image).toMatchObject({ imageIdentifier: "123456789012.dkr.ecr.us-east-1.amazonaws.com/combine-dev-web:sha-0a1b2c3", imageRepositoryType: "ECR" });
        expect(image.imageConfiguration.port).toBe("8000");
        expect(image.imageConfiguration.runtimeEnvironmentVariables).toEqual({ DB_HOST: "combine-dev.c0ffee.us-east-1.rds.amazonaws.com", DB_NAME: "app", DB_PORT: "5432", DB_SECRET_ARN: RDS_SECRET_ARN });
        expect(image.imageConfiguration.runtimeEnvironmentSecrets).toEqual({
            ANTHROPIC_API_KEY: "arn:aws:secretsmanager:us-east-1:123456789012:secret:combine-dev-web/ANTHROPIC_API_KEY-Rnd0m1",
            SECRET_KEY: "arn:aws:secretsmanager:us-east-1:123456789012:secret:combine-dev-web/SECRET_KEY-Rnd0m1",
            DB_CREDENTIALS: RDS_SECRET_ARN,
        });
        expect(service.inputs.sourceConfiguration.authenticationConfiguration.accessRoleArn).toBe("arn:aws:iam::123456789012:role/combine-dev-web-access");
        const instancePolicy = doc(b.one(T.rolePolicy, "combine-instance-policy-web"));
        expect(instancePolicy.Statement).toEqual([
            {
                Sid: "ReadSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue"],
                Resource: [
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:combine-dev-web/ANTHROPIC_API_KEY-Rnd0m1",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:combine-dev-web/SECRET_KEY-Rnd0m1",
                    RDS_SECRET_ARN,
                ],
            },
        ]);
        const access = doc(b.one(T.rolePolicy, "combine-access-policy-web"));
        expect(access.Statement[1].Resource).toBe("arn:aws:ecr:us-east-1:123456789012:repository/combine-dev-web");
        expect(JSON.parse(b.one(T.role, "combine-access-role-web").inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: "build.apprunner.amazonaws.com" });
        expect(JSON.parse(b.one(T.role, "combine-instance-role-web").inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: "tasks.apprunner.amazonaws.com" });
        // The connector's group is the only one the database admits.
        const dbIngress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "combine-db-sg-id");
        expect(dbIngress.map((r) => r.inputs.referencedSecurityGroupId)).toEqual(["combine-svc-web-sg-id"]);
        for (const type of [T.cluster, T.lb, T.ecsService]) expect(b.all(type)).toHaveLength(0);
        expect(b.platform.clusterName).toBeUndefined();
        expect(await resolve(b.platform.serviceNames)).toEqual({ web: "combine-dev-web" });
        assertGuardrails(b.recorder.resources, { profile: "ephemeral", knownSecrets: [ANTHROPIC_KEY, SECRET_KEY] });
    });

    it("warns at preview that App Runner takes no new customers and points to Fargate", async () => {
        const warn = vi.spyOn(pulumi.log, "warn");
        await combine();
        expect(warn.mock.calls.map(([message]) => String(message)).filter((m) => m.includes("closed it to new customers on 2026-04-30"))).toHaveLength(1);
        warn.mockRestore();
    });

    it("scales on concurrent requests within min and max", async () => {
        const b = await combine();
        expect(b.one(T.appRunnerScaling).inputs).toMatchObject({ autoScalingConfigurationName: "combine-dev", minSize: 1, maxSize: 1, maxConcurrency: 100 });
        const scaled = await build({ stage: "dev", compute: Compute.AppRunner, services: [{ name: "web", imageTag: "sha-0a1b2c3", public: true, autoscaling: { min: 2, max: 5, requestsPerTarget: 40 } }] });
        expect(scaled.one(T.appRunnerScaling).inputs).toMatchObject({ minSize: 2, maxSize: 5, maxConcurrency: 40 });
        expect(scaled.one(T.appRunner).inputs.autoScalingConfigurationArn).toBe(scaled.one(T.appRunnerScaling).state.arn);
    });

    it("uses one auto-scaling configuration name per platform, one revision per distinct setting, shared by services that ask the same", async () => {
        const b = await build({
            stage: "pr-11",
            compute: Compute.AppRunner,
            services: [
                { name: "web", imageTag: "sha-1", public: true },
                { name: "api", imageTag: "sha-1", public: true },
                { name: "jobs", imageTag: "sha-1", public: true, autoscaling: { min: 2, max: 4, requestsPerTarget: 50 } },
            ],
        });
        const configs = b.all(T.appRunnerScaling);
        expect(configs.map((c) => [c.name, c.inputs.autoScalingConfigurationName, c.inputs.minSize, c.inputs.maxSize, c.inputs.maxConcurrency])).toEqual([
            ["app-autoscaling-1-1-100", "app-pr-11", 1, 1, 100],
            ["app-autoscaling-2-4-50", "app-pr-11", 2, 4, 50],
        ]);
        const arnOf = (service: string) => b.one(T.appRunner, `app-apprunner-${service}`).inputs.autoScalingConfigurationArn;
        expect(arnOf("web")).toBe(configs[0].state.arn);
        expect(arnOf("api")).toBe(configs[0].state.arn);
        expect(arnOf("jobs")).toBe(configs[1].state.arn);
    });

    it("refuses more distinct scaling settings than App Runner allows revisions of one name (5), at preview", async () => {
        const { validateServicePlatformArgs } = await import("../../../provider/src/servicePlatform/validate");
        const services = [1, 2, 3, 4, 5, 6].map((n) => ({ name: `s${n}`, imageTag: "sha-1", desiredCount: n }));
        expect(() => validateServicePlatformArgs("app", { stage: "dev", compute: Compute.AppRunner, services })).toThrow(
            /services: got 6 distinct App Runner scaling settings \(min-max-concurrency: 1-1-100, 2-2-100, 3-3-100, 4-4-100, 5-5-100, 6-6-100\); at most 5: .*https:\/\/docs\.aws\.amazon\.com\/general\/latest\/gr\/apprunner\.html/,
        );
        expect(() => validateServicePlatformArgs("app", { stage: "dev", compute: Compute.AppRunner, services: services.slice(0, 5) })).not.toThrow();
    });

    it("associates the domain and points Route 53 at App Runner, including the validation records", async () => {
        const b = await combine();
        expect(b.one(T.domainAssociation).inputs).toMatchObject({ domainName: "thecombine.ui", enableWwwSubdomain: false, serviceArn: b.one(T.appRunner).state.arn });
        expect(b.one(T.record, "combine-alias-thecombine.ui").inputs).toMatchObject({ type: "A", name: "thecombine.ui", aliases: [{ name: "abcdefgh12.us-east-1.awsapprunner.com", evaluateTargetHealth: true }] });
        expect(b.all(T.record).filter((r) => r.name.startsWith("combine-domain-validation")).map((r) => [r.inputs.name, r.inputs.records])).toEqual([
            ["_c1.thecombine.ui.", ["_d1.acm-validations.aws."]],
            ["_c2.2a57j78.thecombine.ui.", ["_d2.acm-validations.aws."]],
        ]);
        expect(await resolve(b.platform.url)).toBe("https://thecombine.ui");
    });

    it("pulls public images without an access role and exposes the App Runner URL without a domain", async () => {
        const b = await build({ stage: "dev", compute: Compute.AppRunner, services: [{ name: "web", image: "public.ecr.aws/nginx/nginx:1.27", public: true }, { name: "internal", imageTag: "sha-0a1b2c3" }] });
        const web = b.one(T.appRunner, "app-apprunner-web");
        expect(web.inputs.sourceConfiguration.imageRepository.imageRepositoryType).toBe("ECR_PUBLIC");
        expect(web.inputs.sourceConfiguration.authenticationConfiguration).toBeUndefined();
        expect(b.all(T.role).map((r) => r.name).filter((n) => n !== "app-nat-role")).toEqual(["app-instance-role-web", "app-instance-role-internal", "app-access-role-internal"]);
        expect(b.all(T.rolePolicy).map((r) => r.name)).toEqual(["app-access-policy-internal"]);
        expect(b.one(T.appRunner, "app-apprunner-internal").inputs.networkConfiguration.ingressConfiguration.isPubliclyAccessible).toBe(false);
        expect(await resolve(b.platform.url)).toBe("https://app-dev-web.abcdefgh12.us-east-1.awsapprunner.com");
    });

    it("reaches private services from the VPC: one apprunner.requests endpoint, an ingress connection per private service, their URLs", async () => {
        const b = await build({
            stage: "dev",
            compute: Compute.AppRunner,
            services: [{ name: "web", image: "public.ecr.aws/nginx/nginx:1.27", public: true }, { name: "internal", imageTag: "sha-0a1b2c3" }, { name: "jobs", imageTag: "sha-0a1b2c3" }],
        });
        const endpoints = b.all(T.endpoint).filter((e) => String(e.inputs.serviceName).endsWith(".apprunner.requests"));
        expect(endpoints).toHaveLength(1);
        const endpoint = endpoints[0];
        expect(endpoint.inputs).toMatchObject({
            serviceName: "com.amazonaws.us-east-1.apprunner.requests",
            vpcEndpointType: "Interface",
            privateDnsEnabled: false,
            subnetIds: ["app-private-1-id", "app-private-2-id"],
            securityGroupIds: ["app-apprunner-requests-sg-id"],
        });
        // HTTPS only, from the VPC's block only.
        const ingress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "app-apprunner-requests-sg-id");
        expect(ingress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol])).toEqual([["10.0.0.0/16", 443, 443, "tcp"]]);
        // Every service's VPC connector may call the endpoint on 443, nothing wider.
        const toEndpoint = b.all(T.egress).filter((r) => r.inputs.referencedSecurityGroupId === "app-apprunner-requests-sg-id");
        expect(toEndpoint.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort]).sort()).toEqual([
            ["app-svc-internal-sg-id", 443, 443],
            ["app-svc-jobs-sg-id", 443, 443],
            ["app-svc-web-sg-id", 443, 443],
        ]);
        const connections = b.all(T.ingressConnection);
        expect(connections.map((c) => c.name)).toEqual(["app-ingress-internal", "app-ingress-jobs"]);
        expect(b.one(T.ingressConnection, "app-ingress-internal").inputs).toMatchObject({
            name: "app-dev-internal",
            serviceArn: b.one(T.appRunner, "app-apprunner-internal").state.arn,
            ingressVpcConfiguration: { vpcId: "app-vpc-id", vpcEndpointId: endpoint.state.id ?? "app-apprunner-requests-endpoint-id" },
        });
        expect(await resolve(b.platform.privateServiceUrls!)).toEqual({
            internal: "https://app-dev-internal.priv1a2b3c.us-east-1.awsapprunner.com",
            jobs: "https://app-dev-jobs.priv1a2b3c.us-east-1.awsapprunner.com",
        });
        assertGuardrails(b.recorder.resources, { profile: "ephemeral" });
    });

    it("admits HTTPS to the apprunner.requests endpoint from an existing VPC's CIDR block, looked up", async () => {
        const b = await build({
            stage: "dev",
            compute: Compute.AppRunner,
            network: { existingVpc: { vpcId: "vpc-0abc", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] } },
            services: [{ name: "internal", imageTag: "sha-0a1b2c3" }],
        });
        const endpoint = b.all(T.endpoint).find((e) => String(e.inputs.serviceName).endsWith(".apprunner.requests"))!;
        expect(endpoint.inputs).toMatchObject({ vpcId: "vpc-0abc", subnetIds: ["subnet-priv-a", "subnet-priv-b"] });
        const ingress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "app-apprunner-requests-sg-id");
        expect(ingress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([["10.0.0.0/16", 443]]);
    });

    it("creates no apprunner.requests endpoint or ingress connection when every service is public", async () => {
        const b = await build({ stage: "dev", compute: Compute.AppRunner, services: [{ name: "web", image: "public.ecr.aws/nginx/nginx:1.27", public: true }] });
        expect(b.all(T.endpoint).filter((e) => String(e.inputs.serviceName).endsWith(".apprunner.requests"))).toHaveLength(0);
        expect(b.all(T.ingressConnection)).toHaveLength(0);
        expect(b.platform.privateServiceUrls).toBeUndefined();
    });

    it("passes the production guardrails", async () => {
        const b = await combine(Profile.Production);
        assertGuardrails(b.recorder.resources, { profile: "production", knownSecrets: [ANTHROPIC_KEY, SECRET_KEY] });
        expect(b.one(T.db).inputs.multiAz).toBe(true);
    });
});
