// Shared, account-level resources and one stage that adopts them (docs/customising.md, "Adopt what exists").
const aws = require("@pulumi/aws");
const rampart = require("@rampart-iac/pulumi-rampart");

const cluster = new aws.ecs.Cluster("shared", { name: "shared-previews" });
new aws.ecs.ClusterCapacityProviders("shared", { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"] });
const certificate = new aws.acm.Certificate("wildcard", { domainName: "*.previews.example.com", validationMethod: "DNS" });

const stage = new rampart.ServicePlatform("web", {
    stage: "pr-1",
    services: [{ name: "api", public: true }],
    cluster: { existingClusterArn: cluster.arn },
    domain: { name: "pr-1.previews.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", certificateArn: certificate.arn },
});

exports.clusterArn = cluster.arn;
exports.certificateArn = certificate.arn;
exports.clusterName = stage.clusterName;
