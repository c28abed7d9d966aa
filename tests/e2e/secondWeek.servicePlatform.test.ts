/** Second week of a ServicePlatform (see secondWeek.ts). */
import { type Args, secondWeek } from "./secondWeek";

const service = (s: Args) => s;

secondWeek(
    "ServicePlatform",
    "skreg",
    {
        stage: "dev",
        services: [
            service({ name: "api", cpu: 512, memory: 1024, port: 8080, public: true, healthCheckPath: "/health", useDatabase: true, secrets: { SIGNING_KEY: "second-week-signing-key" } }),
            service({ name: "worker", cpu: 256, memory: 512, useDatabase: true }),
        ],
        database: { instanceClass: "db.t4g.micro", allocatedStorageGb: 20 },
        storage: { bucket: true },
        ci: { githubRepository: "skreg-dev/skreg", branches: ["main"] },
        tags: { team: "registry" },
    },
    [
        { name: "add a service", apply: (a) => a.services.push({ name: "jobs", cpu: 256, memory: 512 }) },
        { name: "resize a service", apply: (a) => Object.assign(a.services[1], { cpu: 512, memory: 2048 }) },
        {
            name: "change a service's image",
            // CI pushed images to the worker's repository; the image argument would delete it (removedServices.ts).
            apply: (a) => (a.services[1].image = "public.ecr.aws/docker/library/busybox:1.36"),
            refusedBecause: /services\[1\]\.image: .*ECR repository "skreg-dev-worker" with 1 image.*set allowServiceDataDeletion to true/,
        },
        { name: "add a secret", apply: (a) => (a.services[0].secrets.WEBHOOK_TOKEN = "second-week-webhook-token") },
        { name: "enable the cache", apply: (a) => (a.cache = {}) },
        {
            name: "change a public service's port",
            // The target group's name carries the port, so its replacement is created before the old one is deleted.
            apply: (a) => (a.services[0].port = 9090),
        },
        {
            name: "add a domain",
            // Security group descriptions are set once (EC2 cannot change them), so the load balancer's group stays.
            apply: (a) => (a.domain = { name: "api.skreg.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
        },
        { name: "change the tags", apply: (a) => (a.tags = { team: "registry", costCenter: "cc-42" }), replacesNothing: true },
        {
            name: "rename a service",
            apply: (a) => (a.services[2].name = "batch"),
            refusedBecause: /services: no service named "jobs" \(removed or renamed\); .*ECR repository "skreg-dev-jobs" with 1 image.* and its log group "\/rampart\/skreg-dev\/jobs".*set allowServiceDataDeletion to true/,
        },
        {
            name: "rename a service with allowServiceDataDeletion",
            apply: (a) => Object.assign(a, { allowServiceDataDeletion: true }) && (a.services[2].name = "batch"),
            asksFor: [/^skreg-repo-jobs$/, /^skreg-logs-jobs$/],
        },
        {
            name: "give a service an image with allowServiceDataDeletion",
            apply: (a) => (a.services[1].image = "public.ecr.aws/docker/library/busybox:1.36"),
            asksFor: [/^skreg-repo-worker$/],
        },
        { name: "change the database instance class and storage", apply: (a) => Object.assign(a.database, { instanceClass: "db.t4g.small", allocatedStorageGb: 30 }) },
        { name: "change the database engine version", apply: (a) => (a.database.engineVersion = "17.7") },
        {
            name: "add kmsKeyArn",
            apply: (a) => (a.kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/0f6c2a52-5b8e-4f0e-9a57-1d3c3f1d2e10"),
            // Would replace the RDS instance and the ECR repositories: refused (shared/replacementGuard.ts).
            refusedBecause: /kmsKeyArn: .*set (allowRepositoryReplacement|database\.allowReplacement) to true/,
        },
        {
            name: "switch the profile to production (which requires a domain)",
            apply: (a) => Object.assign(a, { profile: "production", domain: { name: "api.skreg.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ" } }),
        },
    ],
);
