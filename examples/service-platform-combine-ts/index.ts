// "The Combine" (seed 002) as one ServicePlatform: App Runner reaching a private PostgreSQL through
// a VPC connector, an existing secret passed by ARN and an API key stored by rampart, an ECR
// repository for the image, a custom domain and a GitHub push role.
import * as pulumi from "@pulumi/pulumi";
import { Compute, Profile, ServicePlatform } from "@rampart-iac/pulumi-rampart";

const config = new pulumi.Config();
const stage = config.get("stage") ?? pulumi.getStack();
const production = config.get("profile") === "production";
// A DNS name belongs to one stage: Route 53 keeps one record set per name and type in a zone, so every
// stage but production gets its own name.
const domainName = config.get("domain") ?? (production ? "thecombine.ui" : `${stage}.thecombine.ui`);

const platform = new ServicePlatform("combine", {
    stage,
    profile: production ? Profile.Production : Profile.Ephemeral,
    compute: Compute.AppRunner,
    domain: { name: domainName, hostedZoneId: config.require("hostedZoneId") },
    services: [
        {
            name: "app",
            // First deploy: no imageTag yet, so `up` creates the repository (repositoryUrls) and the CI role but no App
            // Runner service (it cannot run without an image). CI pushes <repository>:<git SHA>, runs
            // `pulumi config set imageTag <SHA>` and `up`, which creates the service; each later push rolls out the same way.
            imageTag: config.get("imageTag"),
            cpu: 256,
            memory: 512,
            port: 8000,
            public: true,
            healthCheckPath: "/health",
            useDatabase: true,
            secrets: {
                ANTHROPIC_API_KEY: config.requireSecret("anthropicApiKey"),
                // An existing Secrets Manager secret, by ARN (required config: the example does not create it).
                SECRET_KEY: config.require("secretKeyArn"),
            },
        },
    ],
    database: {},
    ci: { githubRepository: "tmoseley/the-combine" },
});

export const url = platform.url;
export const vpcId = platform.vpcId;
export const repositoryUrls = platform.repositoryUrls;
export const databaseEndpoint = platform.databaseEndpoint;
export const ciRoleArn = platform.ciRoleArn;
export const estimatedMonthlyCostUsd = platform.estimatedMonthlyCostUsd;
