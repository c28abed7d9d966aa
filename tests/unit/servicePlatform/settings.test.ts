import { describe, expect, it } from "vitest";
import { Compute, NatGateways } from "../../../provider/src/servicePlatform/args";
import { containerDefinitions, databaseEnvironment, otelEnvironment } from "../../../provider/src/servicePlatform/containers";
import { aliasNames, certificateNames, planListenerRules, validationNames } from "../../../provider/src/servicePlatform/routing";
import { ciSubjects, resolveSettings } from "../../../provider/src/servicePlatform/settings";
import { Profile } from "../../../provider/src/shared/profile";
import { skregArgs } from "./fixtures";

describe("settings by profile", () => {
    it("picks cheap, disposable defaults for ephemeral stages", () => {
        const s = resolveSettings("skreg", skregArgs());
        expect(s.network).toMatchObject({ natGateways: NatGateways.Instance, flowLogs: false, zoneCount: 2 });
        expect(s.network.plan).toEqual({ publicSubnets: ["10.0.1.0/24", "10.0.2.0/24"], privateSubnets: ["10.0.10.0/24", "10.0.20.0/24"] });
        expect(s.services.map((x) => [x.name, x.spot, x.physicalName, x.defaultRoute])).toEqual([
            ["api", true, "api-dev", true],
            ["worker", true, "worker-dev", false],
        ]);
        expect(s.database).toMatchObject({ engineVersion: "17", engineVersionIsDefault: true, instanceClass: "db.t4g.micro", multiAz: false, backupRetentionDays: 1, deletionProtection: false, allocatedStorageGb: 20 });
        expect(s.observability).toMatchObject({ logRetentionDays: 7, containerInsights: "enabled", loadBalancerAccessLogs: false });
        expect(s.retainOnDelete).toBe(false);
    });

    it("picks protected, redundant defaults for production, and lets given values win", () => {
        const s = resolveSettings("skreg", { ...skregArgs(Profile.Production), database: { multiAz: false }, observability: { logRetentionDays: 30 } });
        expect(s.network).toMatchObject({ natGateways: NatGateways.OnePerAz, flowLogs: true });
        expect(s.services.every((x) => !x.spot)).toBe(true);
        expect(s.database).toMatchObject({ multiAz: false, backupRetentionDays: 14, deletionProtection: true });
        expect(s.observability).toMatchObject({ logRetentionDays: 30, containerInsights: "enhanced", loadBalancerAccessLogs: true });
        expect(s.retainOnDelete).toBe(true);
    });

    it("names App Runner services with the platform (their names are unique per Region), never on Spot", () => {
        const s = resolveSettings("combine", { stage: "dev", compute: Compute.AppRunner, services: [{ name: "web" }] });
        expect(s.services[0]).toMatchObject({ physicalName: "combine-dev-web", spot: false, desiredCount: 1 });
        expect(s.loadBalancer).toBe(false);
    });

    it("derives CI subjects from branches or takes them exactly", () => {
        expect(ciSubjects({ githubRepository: "o/r" })).toEqual(["repo:o/r:ref:refs/heads/main"]);
        expect(ciSubjects({ githubRepository: "o/r", branches: ["main", "release"] })).toEqual(["repo:o/r:ref:refs/heads/main", "repo:o/r:ref:refs/heads/release"]);
        expect(ciSubjects({ githubRepository: "o/r", branches: ["x"], subjects: ["repo:o/r:environment:prod"] })).toEqual(["repo:o/r:environment:prod"]);
    });
});

describe("routing", () => {
    const s = resolveSettings("app", {
        stage: "dev",
        domain: { name: "example.com", hostedZoneId: "Z" },
        services: [
            { name: "web", public: true },
            { name: "api", public: true, pathPatterns: ["/api/*"] },
            { name: "admin", public: true, hostnames: ["admin.example.com", "*.example.com"] },
            { name: "worker" },
        ],
    });
    it("plans one rule per routed public service with increasing priorities", () => {
        expect(planListenerRules(s.services)).toEqual([
            { service: "api", priority: 10, pathPatterns: ["/api/*"], hostnames: [] },
            { service: "admin", priority: 20, pathPatterns: [], hostnames: ["admin.example.com", "*.example.com"] },
        ]);
    });
    it("covers every host name with the certificate, sharing a wildcard's validation record", () => {
        const names = certificateNames("example.com", s.services);
        expect(names).toEqual(["example.com", "admin.example.com", "*.example.com"]);
        expect(validationNames(names)).toEqual(["example.com", "admin.example.com"]);
        expect(aliasNames(names)).toEqual(["example.com", "admin.example.com"]);
    });
});

describe("container environment", () => {
    const db = { address: "db.host", port: 5432, name: "app", secretArn: "arn:aws:secretsmanager:us-east-1:1:secret:rds!db-x-AbC123" };
    it("injects database host, port and name plain and credentials as JSON-key references", () => {
        expect(databaseEnvironment(Compute.Fargate, db)).toEqual({
            plain: { DB_HOST: "db.host", DB_PORT: "5432", DB_NAME: "app", DB_SECRET_ARN: db.secretArn },
            secrets: { DB_USER: `${db.secretArn}:username::`, DB_PASSWORD: `${db.secretArn}:password::` },
        });
        expect(databaseEnvironment(Compute.AppRunner, db).secrets).toEqual({ DB_CREDENTIALS: db.secretArn });
    });
    it("wires OpenTelemetry endpoint and headers as secrets", () => {
        expect(otelEnvironment("api", { endpointArn: "arn:e", headersArn: "arn:h" })).toEqual({
            plain: { OTEL_SERVICE_NAME: "api" },
            secrets: { OTEL_EXPORTER_OTLP_ENDPOINT: "arn:e", OTEL_EXPORTER_OTLP_HEADERS: "arn:h" },
        });
        expect(otelEnvironment("api", {})).toEqual({ plain: {}, secrets: {} });
    });
    it("renders a read-only, unprivileged, logged container with sorted variables", () => {
        const [c] = containerDefinitions({
            name: "api",
            image: "img:1",
            cpu: 256,
            memory: 512,
            port: 8080,
            command: ["serve"],
            environment: { Z: "1", A: "2" },
            secrets: { S: "arn:s" },
            logGroupName: "/g",
            region: "us-east-1",
        }) as any[];
        expect(c).toMatchObject({ readonlyRootFilesystem: true, privileged: false, essential: true, command: ["serve"] });
        expect(c.environment).toEqual([{ name: "A", value: "2" }, { name: "Z", value: "1" }]);
        expect(c.secrets).toEqual([{ name: "S", valueFrom: "arn:s" }]);
        expect(c.logConfiguration).toEqual({ logDriver: "awslogs", options: { "awslogs-group": "/g", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api" } });
        expect(c.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    });
});
