/**
 * Idle monthly cost estimate of a platform configuration at us-east-1 list prices: what it costs with no traffic,
 * every service at its idle task count. Usage-driven charges (data processed, LCUs, requests, active App Runner
 * vCPU, log ingestion, Container Insights metrics, backups beyond the free allowance) are not counted.
 */
import { Compute, CpuArchitecture, NatGateways } from "./args";
import { PlatformSettings, runsOnEcs } from "./settings";

export const HOURS_PER_MONTH = 730;

/**
 * us-east-1 on-demand list prices in USD. Source: /work/shared/reference/facts.md (from the AWS pricing pages),
 * except where a note names another AWS pricing page.
 */
export const PRICES = {
    fargateVcpuHour: 0.04048,
    fargateGbHour: 0.004445,
    /**
     * Fargate Linux/ARM (Graviton), us-east-1 (not in facts.md; AWS Fargate pricing page,
     * https://aws.amazon.com/fargate/pricing/): about 20% below X86_64.
     */
    fargateArmVcpuHour: 0.03238,
    fargateArmGbHour: 0.00356,
    /** Fargate Spot runs at up to 70% off on-demand; the estimate assumes exactly 70% off (it varies by Region and time). */
    fargateSpotDiscount: 0.7,
    natGatewayHour: 0.045,
    publicIpv4Hour: 0.005,
    albHour: 0.0225,
    rdsInstanceHour: { "db.t4g.micro": 0.016 } as Record<string, number>,
    rdsGp3GbMonth: 0.115,
    elastiCacheServerlessGbHour: 0.084,
    elastiCacheServerlessMinimumGb: 0.1,
    appRunnerProvisionedGbHour: 0.007,
    secretMonth: 0.4,
    route53ZoneMonth: 0.5,
    /** t4g.nano on-demand (AWS EC2 on-demand pricing page), the NAT instance. */
    natInstanceHour: 0.0042,
    /** gp3 EBS volume (AWS EBS pricing page); the NAT instance's 8 GiB root volume. */
    ebsGp3GbMonth: 0.08,
    natInstanceRootGb: 8,
    /** Interface VPC endpoint, per endpoint and availability zone (AWS PrivateLink pricing page). */
    interfaceEndpointHour: 0.01,
} as const;

/**
 * Express Mode services in the same subnets share the Application Load Balancer ECS provisions for them, up to 25
 * services per load balancer (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-work.html).
 * The load balancer is priced at PRICES.albHour (Elastic Load Balancing pricing, https://aws.amazon.com/elasticloadbalancing/pricing/);
 * in the private subnets it is internal, so it has no public IPv4 addresses to pay for.
 */
export const EXPRESS_SERVICES_PER_LOAD_BALANCER = 25;

export interface CostLineItem {
    /** Stable key, for example `fargate:api`, `nat-gateways`, `rds-instance`. */
    key: string;
    description: string;
    monthlyUsd: number;
}

export interface CostEstimate {
    lineItems: CostLineItem[];
    totalUsd: number;
}

/**
 * Interface endpoints created when private subnets have no NAT: ECR API, ECR Docker, CloudWatch Logs, Secrets Manager;
 * SSM when a service may read a parameter (`referencesSsm`, also when an ARN is known only at deployment); SSM Messages
 * when a service has ECS Exec (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html).
 */
export function interfaceEndpointServices(settings: PlatformSettings, referencesSsm: boolean): string[] {
    if (settings.network.existingVpc || settings.network.natGateways !== NatGateways.None || !runsOnEcs(settings.compute)) return [];
    return ["ecr.api", "ecr.dkr", "logs", "secretsmanager", ...(referencesSsm ? ["ssm"] : []), ...(settings.services.some((s) => s.enableExecuteCommand) ? ["ssmmessages"] : [])];
}

/** Number of Secrets Manager secrets rampart creates: one per stored secret value, plus the one RDS manages or the stage's login on a shared database. */
export function createdSecretCount(settings: PlatformSettings, storedSecretCount: number): number {
    return storedSecretCount + (settings.database || settings.sharedDatabase ? 1 : 0);
}

/**
 * The idle estimate, one line item per cost driver. `storedSecretCount` is the number of secret values the services
 * give (stored in Secrets Manager); `referencesSsm` whether any service reads an SSM parameter.
 */
export function estimateMonthlyCost(settings: PlatformSettings, opts: { storedSecretCount: number; referencesSsm?: boolean }): CostEstimate {
    const items: CostLineItem[] = [];
    const add = (key: string, description: string, monthlyUsd: number) => {
        if (monthlyUsd > 0) items.push({ key, description, monthlyUsd: round(monthlyUsd) });
    };
    const hourly = (perHour: number) => perHour * HOURS_PER_MONTH;
    const zones = settings.network.zoneCount;

    if (!settings.network.existingVpc) {
        const nat = settings.network.natGateways;
        if (nat === NatGateways.Single || nat === NatGateways.OnePerAz) {
            const count = nat === NatGateways.Single ? 1 : zones;
            add("nat-gateways", `${count} NAT gateway(s) at $${PRICES.natGatewayHour}/hour (data processing not counted)`, count * hourly(PRICES.natGatewayHour));
            add("nat-public-ipv4", `${count} Elastic IP(s) of the NAT gateways`, count * hourly(PRICES.publicIpv4Hour));
        } else if (nat === NatGateways.Instance) {
            add("nat-instance", `t4g.nano NAT instance at $${PRICES.natInstanceHour}/hour`, hourly(PRICES.natInstanceHour));
            add("nat-instance-volume", `${PRICES.natInstanceRootGb} GiB gp3 root volume of the NAT instance`, PRICES.natInstanceRootGb * PRICES.ebsGp3GbMonth);
            add("nat-public-ipv4", "public IPv4 address of the NAT instance", hourly(PRICES.publicIpv4Hour));
        }
        const endpoints = interfaceEndpointServices(settings, opts.referencesSsm ?? false);
        add("interface-endpoints", `${endpoints.length} interface endpoint(s) in ${zones} zone(s)`, endpoints.length * zones * hourly(PRICES.interfaceEndpointHour));
    }

    // Private App Runner services (appRunner.ts privateAppRunnerServices): one `apprunner.requests` interface endpoint
    // per platform, in each private subnet's zone, at the interface endpoint rate (VPC ingress connections are free).
    if (settings.compute === Compute.AppRunner && settings.services.some((s) => !s.public && !s.awaitingImage)) {
        add("apprunner-requests-endpoint", `apprunner.requests interface endpoint for private App Runner services in ${zones} zone(s)`, zones * hourly(PRICES.interfaceEndpointHour));
    }

    if (settings.loadBalancer) {
        add("load-balancer", `Application Load Balancer at $${PRICES.albHour}/hour (LCUs not counted)`, hourly(PRICES.albHour));
        add("load-balancer-public-ipv4", `${zones} public IPv4 address(es) of the internet-facing load balancer, one per zone`, zones * hourly(PRICES.publicIpv4Hour));
    }

    if (settings.compute === Compute.ExpressMode) {
        const count = Math.ceil(settings.services.length / EXPRESS_SERVICES_PER_LOAD_BALANCER);
        add(
            "express-load-balancer",
            `${count} internal Application Load Balancer(s) Express Mode provisions for ${settings.services.length} service(s) (up to ${EXPRESS_SERVICES_PER_LOAD_BALANCER} share one) at $${PRICES.albHour}/hour (LCUs not counted)`,
            count * hourly(PRICES.albHour),
        );
    }

    for (const s of settings.services) {
        if (settings.compute === Compute.ExpressMode) {
            // Express Mode runs on-demand Fargate X86_64 tasks (validate.ts refuses Spot and ARM64).
            const perTask = (s.cpu / 1024) * PRICES.fargateVcpuHour + (s.memory / 1024) * PRICES.fargateGbHour;
            add(`expressMode:${s.name}`, `${s.desiredCount} Express Mode Fargate task(s) of ${s.cpu / 1024} vCPU / ${s.memory / 1024} GB`, s.desiredCount * hourly(perTask));
        } else if (settings.compute === Compute.Fargate) {
            const arm = s.architecture === CpuArchitecture.ARM64;
            const perTask = (s.cpu / 1024) * (arm ? PRICES.fargateArmVcpuHour : PRICES.fargateVcpuHour) + (s.memory / 1024) * (arm ? PRICES.fargateArmGbHour : PRICES.fargateGbHour);
            const factor = s.spot ? 1 - PRICES.fargateSpotDiscount : 1;
            add(
                `fargate:${s.name}`,
                `${s.desiredCount} ${s.spot ? "Fargate Spot" : "Fargate"}${arm ? " ARM64" : ""} task(s) of ${s.cpu / 1024} vCPU / ${s.memory / 1024} GB`,
                s.desiredCount * hourly(perTask) * factor,
            );
        } else {
            const instances = Math.max(1, s.desiredCount);
            add(
                `appRunner:${s.name}`,
                `${instances} provisioned App Runner instance(s) of ${s.memory / 1024} GB (active vCPU not counted)`,
                instances * (s.memory / 1024) * hourly(PRICES.appRunnerProvisionedGbHour),
            );
        }
    }

    const db = settings.database;
    if (db) {
        const instanceHour = PRICES.rdsInstanceHour[db.instanceClass];
        if (instanceHour === undefined) {
            items.push({ key: "rds-instance", description: `${db.instanceClass}: not in the price table, not counted`, monthlyUsd: 0 });
        } else {
            const copies = db.multiAz ? 2 : 1;
            add("rds-instance", `${copies} × ${db.instanceClass}${db.multiAz ? " (multi-AZ doubles)" : ""}`, copies * hourly(instanceHour));
        }
        const storageCopies = db.multiAz ? 2 : 1;
        add("rds-storage", `${db.allocatedStorageGb} GB gp3${db.multiAz ? " × 2 (multi-AZ)" : ""}`, storageCopies * db.allocatedStorageGb * PRICES.rdsGp3GbMonth);
    }

    if (settings.cache) {
        add(
            "elasticache",
            `ElastiCache Serverless Valkey at its ${PRICES.elastiCacheServerlessMinimumGb * 1000} MB minimum (ECPUs not counted)`,
            PRICES.elastiCacheServerlessMinimumGb * hourly(PRICES.elastiCacheServerlessGbHour),
        );
    }

    const secrets = createdSecretCount(settings, opts.storedSecretCount);
    add("secrets-manager", `${secrets} Secrets Manager secret(s) rampart creates or RDS manages`, secrets * PRICES.secretMonth);

    // Not counted: the Route 53 hosted zone (the user brings it through domain.hostedZoneId), the bucket and
    // CloudFront (no idle charge), ECR storage, CloudWatch Logs, flow logs and access logs (usage-based).
    const totalUsd = round(items.reduce((sum, i) => sum + i.monthlyUsd, 0));
    return { lineItems: items, totalUsd };
}

function round(usd: number): number {
    return Math.round(usd * 100) / 100;
}
