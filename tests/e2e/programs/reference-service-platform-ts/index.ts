import * as rampart from "@rampart-iac/pulumi-rampart";

// One public service on ECS Fargate behind a load balancer (plain HTTP until a `domain` is given), with the ephemeral profile's defaults.
const platform = new rampart.ServicePlatform("web", {
    stage: "dev",
    services: [{ name: "api", port: 8080, cpu: 256, memory: 512, public: true, healthCheckPath: "/healthz" }],
});

export const url = platform.url;
export const vpcId = platform.vpcId;
export const repositoryUrls = platform.repositoryUrls;
