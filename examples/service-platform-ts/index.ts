// skreg's deployment (seed 001) as one ServicePlatform: an API behind the load balancer, a private
// worker, PostgreSQL, a packages bucket behind a CDN and a GitHub Actions role that pushes images.
import * as pulumi from "@pulumi/pulumi";
import { Profile, ServicePlatform } from "@rampart-iac/pulumi-rampart";

const config = new pulumi.Config();
const stage = config.get("stage") ?? pulumi.getStack();

const platform = new ServicePlatform("skreg", {
    stage,
    profile: config.get("profile") === "production" ? Profile.Production : Profile.Ephemeral,
    services: [
        { name: "api", cpu: 512, memory: 1024, port: 8080, public: true, healthCheckPath: "/health", useDatabase: true },
        { name: "worker", cpu: 256, memory: 512, useDatabase: true },
    ],
    database: { instanceClass: "db.t4g.micro" },
    storage: { bucket: true, cdn: true },
    ci: { githubRepository: "skreg-dev/skreg", branches: ["main"] },
});

export const serviceNames = platform.serviceNames;
export const url = platform.url;
export const estimatedMonthlyCostUsd = platform.estimatedMonthlyCostUsd;
