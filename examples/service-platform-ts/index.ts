// skreg's deployment (seed 001) as one ServicePlatform: an API behind the load balancer that writes
// packages to the bucket, a private worker, PostgreSQL, a packages bucket behind a CDN and a GitHub
// Actions role that pushes images.
import * as pulumi from "@pulumi/pulumi";
import { BucketAccess, Profile, ServicePlatform } from "@rampart-iac/pulumi-rampart";

const config = new pulumi.Config();

const platform = new ServicePlatform("skreg", {
    stage: config.get("stage") ?? pulumi.getStack(),
    profile: config.get("profile") === "production" ? Profile.Production : Profile.Ephemeral,
    services: [
        {
            name: "api",
            // First deploy: no imageTag yet, so the services run 0 tasks while `up` creates their repositories
            // (repositoryUrls). CI then pushes <repository>:<git SHA> and runs `pulumi config set imageTag <SHA>` and `up`.
            imageTag: config.get("imageTag"),
            cpu: 512,
            memory: 1024,
            port: 8080,
            public: true,
            healthCheckPath: "/health",
            useDatabase: true,
            environment: { LOG_LEVEL: "info" },
            secrets: { SIGNING_KEY: config.requireSecret("signingKey") },
            // Publishing writes package archives to the platform's bucket (the CDN serves them).
            bucketAccess: BucketAccess.ReadWrite,
        },
        { name: "worker", imageTag: config.get("imageTag"), cpu: 256, memory: 512, useDatabase: true },
    ],
    database: { instanceClass: "db.t4g.micro", allocatedStorageGb: 20 },
    storage: { bucket: true, cdn: true },
    ci: { githubRepository: "skreg-dev/skreg", branches: ["main"] },
});

export const url = platform.url;
export const vpcId = platform.vpcId;
export const clusterName = platform.clusterName;
export const serviceNames = platform.serviceNames;
export const taskRoleArns = platform.taskRoleArns;
export const repositoryUrls = platform.repositoryUrls;
export const databaseEndpoint = platform.databaseEndpoint;
export const bucketName = platform.bucketName;
export const cdnBaseUrl = platform.cdnBaseUrl;
export const ciRoleArn = platform.ciRoleArn;
export const estimatedMonthlyCostUsd = platform.estimatedMonthlyCostUsd;
