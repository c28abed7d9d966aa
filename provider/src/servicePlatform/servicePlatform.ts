import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../shared/naming";
import { ServicePlatformArgs } from "./args";
import { validateServicePlatformArgs } from "./validate";

export const SERVICE_PLATFORM_TYPE = "rampart:index:ServicePlatform";

/**
 * A secure-by-default container platform on AWS: network, ECS Fargate or App Runner services behind
 * a TLS load balancer, image registry, PostgreSQL, Valkey cache, bucket and CDN, secrets and a CI
 * push role, with ephemeral and production profiles.
 */
export class ServicePlatform extends pulumi.ComponentResource {
    /** Base URL of the platform: `https://<domain>` with a domain, otherwise `http://<load balancer DNS name>`. */
    public readonly url?: pulumi.Output<string>;
    /** DNS name of the Application Load Balancer. */
    public readonly loadBalancerDnsName?: pulumi.Output<string>;
    /** Id of the VPC the platform runs in. */
    public readonly vpcId?: pulumi.Output<string>;
    /** Public subnet ids, one per availability zone. */
    public readonly publicSubnetIds?: pulumi.Output<string[]>;
    /** Private subnet ids, one per availability zone. */
    public readonly privateSubnetIds?: pulumi.Output<string[]>;
    /** Name of the ECS cluster (Fargate compute). */
    public readonly clusterName?: pulumi.Output<string>;
    /** Physical service names, by service name. */
    public readonly serviceNames!: pulumi.Output<{ [name: string]: string }>;
    /** ECR repository URLs of the services that gave no image, by service name. */
    public readonly repositoryUrls?: pulumi.Output<{ [name: string]: string }>;
    /** Database endpoint as host:port. */
    public readonly databaseEndpoint?: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret RDS manages for the master user. */
    public readonly databaseSecretArn?: pulumi.Output<string>;
    /** Cache endpoint as host:port (TLS). */
    public readonly cacheEndpoint?: pulumi.Output<string>;
    /** Name of the storage bucket. */
    public readonly bucketName?: pulumi.Output<string>;
    /** `https://` base URL of the CDN in front of the bucket. */
    public readonly cdnBaseUrl?: pulumi.Output<string>;
    /** ARN of the role GitHub Actions assumes to push images. */
    public readonly ciRoleArn?: pulumi.Output<string>;
    /** List-price estimate in USD of what this configuration costs per month while idle (us-east-1). */
    public readonly estimatedMonthlyCostUsd?: pulumi.Output<number>;

    constructor(name: string, args: ServicePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        validateServicePlatformArgs(name, args);
        super(SERVICE_PLATFORM_TYPE, name, {}, opts);

        this.serviceNames = pulumi.output(
            Object.fromEntries(args.services.map((s) => [s.name, physicalName("ecsService", { prefix: s.name, stage: args.stage })])),
        );
        this.registerOutputs({ serviceNames: this.serviceNames });
    }
}
