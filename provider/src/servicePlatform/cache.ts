import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { PlatformNetworkResult } from "./network";
import { admitService, createSecurityGroup } from "./securityGroups";
import { CACHE_PORTS, DEFAULT_VALKEY_MAJOR_VERSION, PlatformSettings, ResolvedCache } from "./settings";

export interface CacheResult {
    cache: aws.elasticache.ServerlessCache;
    securityGroup: aws.ec2.SecurityGroup;
    /** `host:port` of the primary endpoint (TLS only). */
    endpoint: pulumi.Output<string>;
}

/**
 * ElastiCache Serverless Valkey in the private subnets with usage limits; serverless caches are always encrypted at
 * rest and only accept TLS. Its security group admits only the services with `useCache` (6379 primary, 6380 reader).
 */
export function createCache(
    scope: ComponentScope,
    settings: PlatformSettings,
    cacheSettings: ResolvedCache,
    network: PlatformNetworkResult,
    serviceGroups: Map<string, aws.ec2.SecurityGroup>,
): CacheResult {
    const sg = createSecurityGroup(scope, "cache", network.vpcId, `rampart ${settings.name} cache: Valkey from services with useCache only`);
    for (const s of settings.services.filter((x) => x.useCache)) {
        admitService(scope, "cache", sg, { name: s.name, group: serviceGroups.get(s.name)! }, CACHE_PORTS, "Valkey");
    }
    const cache = new aws.elasticache.ServerlessCache(
        scope.child("cache"),
        {
            name: scope.physical("elastiCacheServerless"),
            description: `rampart ${settings.name} (${settings.stage})`,
            engine: cacheSettings.engine,
            majorEngineVersion: DEFAULT_VALKEY_MAJOR_VERSION,
            cacheUsageLimits: {
                dataStorage: { maximum: cacheSettings.maxDataStorageGb, unit: "GB" },
                ecpuPerSeconds: [{ maximum: cacheSettings.maxEcpuPerSecond }],
            },
            securityGroupIds: [sg.id],
            subnetIds: network.privateSubnetIds,
            kmsKeyId: settings.kmsKeyArn,
            snapshotRetentionLimit: settings.production ? 7 : 0,
            tags: scope.tags,
        },
        scope.opts(),
    );
    const endpoint = cache.endpoints.apply((endpoints) => {
        const primary = endpoints?.[0];
        return primary ? `${primary.address}:${primary.port}` : "";
    });
    return { cache, securityGroup: sg, endpoint };
}
