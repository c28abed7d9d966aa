// Unkey's API (seed 000) as one ServicePlatform: the API on Fargate behind HTTPS (TLS 1.3 policy,
// 80 redirects to 443), ElastiCache Serverless Valkey, PostgreSQL, OpenTelemetry endpoint and
// headers from Secrets Manager, ClickHouse credentials stored as a secret, and a GitHub push role.
import * as pulumi from "@pulumi/pulumi";
import { Profile, ServicePlatform } from "@rampart-iac/pulumi-rampart";

const config = new pulumi.Config();
const production = config.get("profile") === "production";
const stage = config.get("stage") ?? pulumi.getStack();
// A DNS name belongs to one stage: Route 53 keeps one record set per name and type in a zone, so every
// stage but production gets its own name under the API's.
const domainName = config.get("domain") ?? (production ? "api.unkey.cloud" : `${stage}.api.unkey.cloud`);

const platform = new ServicePlatform("unkey", {
    stage,
    profile: production ? Profile.Production : Profile.Ephemeral,
    tags: { Team: "api" },
    network: { cidrBlock: "10.20.0.0/16", availabilityZoneCount: production ? 3 : 2 },
    domain: { name: domainName, hostedZoneId: config.require("hostedZoneId") },
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
            environment: { PLATFORM: "aws" },
            secrets: { CLICKHOUSE_URL: config.requireSecret("clickhouseUrl") },
            autoscaling: { min: production ? 3 : 1, max: 10, cpuTarget: 60, requestsPerTarget: 1000 },
        },
    ],
    database: {},
    cache: { maxDataStorageGb: 1, maxEcpuPerSecond: 5000 },
    observability: {
        // Existing Secrets Manager secrets, by ARN (required config).
        otelEndpointSecretArn: config.require("otelEndpointSecretArn"),
        otelHeadersSecretArn: config.require("otelHeadersSecretArn"),
    },
    ci: { githubRepository: "unkeyed/unkey", branches: ["main"] },
});

export const url = platform.url;
export const loadBalancerDnsName = platform.loadBalancerDnsName;
export const clusterName = platform.clusterName;
export const repositoryUrls = platform.repositoryUrls;
export const databaseEndpoint = platform.databaseEndpoint;
export const cacheEndpoint = platform.cacheEndpoint;
export const ciRoleArn = platform.ciRoleArn;
export const estimatedMonthlyCostUsd = platform.estimatedMonthlyCostUsd;
