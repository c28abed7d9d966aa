/**
 * The aws part of the OFFLINE STAND-IN provider: computed outputs a real provider would return where
 * components read them, ids the way AWS forms them, autonaming, replace-on-change properties and the
 * data sources the components call. Table-driven: a type that is not in RULES gets the generic rule
 * (`<kind>-<hex>` id, `arn:<partition>:<module>:<region>:<account>:<kind>/<name or id>`).
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { resolveEngineVersion } from "./rdsVersions";
import { forcesNewResource } from "./replaceTable";
import { notImplemented, type PackageModel, type ResourceContext, type StandInConfig } from "./model";
import { ALNUM, derive, DIGITS, equal, HEX, LOWER_ALNUM, type Props, stable, UPPER_ALNUM, uuidFrom } from "./values";

export const ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";

/** Region from provider config `aws:region`, then AWS_REGION / AWS_DEFAULT_REGION, then us-east-1. */
export function configuredRegion(config: StandInConfig): string {
    return config.vars["aws:region"] || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || DEFAULT_REGION;
}

export function defaultTags(config: StandInConfig): Props {
    const raw = config.vars["aws:defaultTags"];
    if (!raw) return {};
    try {
        return (JSON.parse(raw)?.tags as Props) ?? {};
    } catch {
        return {};
    }
}

export function partitionOf(region: string): { partition: string; dnsSuffix: string } {
    if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
    if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
    return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

const DIRECTIONS: Record<string, string> = {
    east: "e", west: "w", north: "n", south: "s", central: "c",
    northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw",
};

/** `us-east-1` -> `use1`, `ap-southeast-2` -> `apse2` (as in AZ ids and ElastiCache endpoints). */
export function regionShort(region: string): string {
    const [geo = "", dir = "", num = ""] = region.split("-").slice(-3);
    return `${geo}${DIRECTIONS[dir] ?? dir.slice(0, 1)}${num}`;
}

/** Everything a rule needs to compute outputs. `r` gives deterministic random-looking characters. */
interface Ctx {
    type: string;
    mod: string;
    kind: string;
    logical: string;
    urn: string;
    /** The resource id ("" while the id itself is being computed). */
    id: string;
    p: Props;
    config: StandInConfig;
    region: string;
    account: string;
    partition: string;
    dnsSuffix: string;
    r(label: string, n: number, alphabet?: string): string;
}

interface Rule {
    /** ARN service when it differs from the module (`lb` -> `elasticloadbalancing`). */
    service?: string;
    /** Autonamed input property; undefined: `name` if the SDK class has a `name` input; null: none. */
    name?: string | null;
    lower?: boolean;
    max?: number;
    /** Not regional (no `region` output; ARN without region). */
    global?: boolean;
    id?: (c: Ctx) => string;
    /** ARN; null when the resource has none. */
    arn?: ((c: Ctx) => string) | null;
    outs?: (c: Ctx) => Props;
    defaults?: Props;
    /** Outputs computed at create time outside `outs` (kept on update). */
    computed?: string[];
}

function kebab(kind: string): string {
    return kind.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function arnOf(c: Ctx, service: string, resource: string, opts: { region?: boolean; account?: boolean } = {}): string {
    const region = opts.region === false ? "" : c.region;
    const account = opts.account === false ? "" : c.account;
    return `arn:${c.partition}:${service}:${region}:${account}:${resource}`;
}

/** The resource's name: the (autonamed) input, else what create derived from `<name>Prefix`. */
function nameOf(c: Ctx, rule: Rule): string | undefined {
    const prop = nameProp(c.type, rule);
    return prop ? c.p[prop] : undefined;
}

const lastSegment = (s: unknown, sep = "/"): string => (typeof s === "string" ? s.split(sep).pop() ?? s : "");
const hex17 = (c: Ctx, label = "id") => c.r(label, 17);
const ec2Id = (prefix: string) => (c: Ctx) => `${prefix}-${hex17(c)}`;
const timestamp = () => new Date().toISOString();

function ec2(prefix: string, resourceType: string, outs?: (c: Ctx) => Props): Rule {
    return {
        name: null,
        id: ec2Id(prefix),
        arn: (c) => arnOf(c, "ec2", `${resourceType}/${c.id}`),
        outs: (c) => ({ ownerId: c.account, ...outs?.(c) }),
    };
}

function publicIp(c: Ctx): string {
    const b = Buffer.from(c.r("ip", 6), "hex");
    return `3.${b[0]}.${b[1]}.${b[2] || 1}`;
}

const ELB_ZONES: Record<string, [alb: string, nlb: string]> = {
    "us-east-1": ["Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"],
    "us-east-2": ["Z3AADJGX6KTTL2", "ZLMOA37VPKANP"],
    "us-west-2": ["Z1H1FL5HABSF5", "Z18D5FSROUN65G"],
    "eu-west-1": ["Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"],
    "eu-central-1": ["Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"],
};

const CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2";

function lbKind(type: unknown): string {
    return type === "network" ? "net" : type === "gateway" ? "gwy" : "app";
}

const loadBalancer: Rule = {
    service: "elasticloadbalancing",
    name: "name",
    max: 32,
    id: (c) => arnOf(c, "elasticloadbalancing", `loadbalancer/${lbKind(c.p.loadBalancerType)}/${c.p.name}/${c.r("id", 16)}`),
    arn: (c) => c.id,
    outs: (c) => {
        const network = c.p.loadBalancerType === "network";
        const prefix = c.p.internal ? "internal-" : "";
        const [alb, nlb] = ELB_ZONES[c.region] ?? ELB_ZONES[DEFAULT_REGION];
        return {
            arnSuffix: c.id.split(":loadbalancer/")[1],
            dnsName: network
                ? `${prefix}${c.p.name}-${c.r("dns", 16)}.elb.${c.region}.${c.dnsSuffix}`
                : `${prefix}${c.p.name}-${c.r("dns", 10, DIGITS)}.${c.region}.elb.${c.dnsSuffix}`,
            zoneId: network ? nlb : alb,
            loadBalancerType: c.p.loadBalancerType ?? "application",
            internal: c.p.internal ?? false,
        };
    },
};

const targetGroup: Rule = {
    service: "elasticloadbalancing",
    name: "name",
    max: 32,
    id: (c) => arnOf(c, "elasticloadbalancing", `targetgroup/${c.p.name}/${c.r("id", 16)}`),
    arn: (c) => c.id,
    outs: (c) => ({ arnSuffix: c.id.split(":").pop(), loadBalancerArns: [] }),
};

/** Child ARN of a load balancer or listener: `...:loadbalancer/app/n/h` -> `...:listener/app/n/h/<hex>`. */
function childArn(c: Ctx, parent: unknown, from: string, to: string): string {
    const base = typeof parent === "string" && parent.includes(`:${from}/`) ? parent : arnOf(c, "elasticloadbalancing", `${from}/app/unknown/${c.r("parent", 16)}`);
    return `${base.replace(`:${from}/`, `:${to}/`)}/${c.r("id", 16)}`;
}

const listener: Rule = {
    service: "elasticloadbalancing",
    name: null,
    id: (c) => childArn(c, c.p.loadBalancerArn, "loadbalancer", "listener"),
    arn: (c) => c.id,
};

const listenerRule: Rule = {
    service: "elasticloadbalancing",
    name: null,
    id: (c) => childArn(c, c.p.listenerArn, "listener", "listener-rule"),
    arn: (c) => c.id,
};

const enginePort = (engine: unknown): number =>
    /mysql|maria|aurora(?!-postgres)/.test(String(engine ?? "")) ? 3306 : /sqlserver/.test(String(engine)) ? 1433 : /oracle/.test(String(engine)) ? 1521 : 5432;

/** Timestamps and unique ids kept from the old state on update (AWS does not change them). */
const STICKY = ["createDate", "creationDate", "createdDate", "createTime", "uniqueId", "streamLabel", "streamArn"];

const RULES: Record<string, Rule> = {
    // --- ec2 ---------------------------------------------------------------------------------
    "aws:ec2/vpc:Vpc": ec2(
        "vpc",
        "vpc",
        (c) => ({
            defaultSecurityGroupId: `sg-${hex17(c, "sg")}`,
            mainRouteTableId: `rtb-${hex17(c, "rtb")}`,
            defaultRouteTableId: `rtb-${hex17(c, "rtb")}`,
            defaultNetworkAclId: `acl-${hex17(c, "acl")}`,
            dhcpOptionsId: `dopt-${hex17(c, "dopt")}`,
        })
    ),
    "aws:ec2/subnet:Subnet": ec2(
        "subnet",
        "subnet",
        (c) => {
            const az = c.p.availabilityZone ?? `${c.region}a`;
            return { availabilityZone: az, availabilityZoneId: `${regionShort(c.region)}-az${"abcdef".indexOf(az.slice(-1)) + 1}` };
        }
    ),
    "aws:ec2/securityGroup:SecurityGroup": {
        ...ec2("sg", "security-group"),
        name: "name",
        max: 255,
        defaults: { description: "Managed by Pulumi" },
    },
    "aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
    "aws:ec2/natGateway:NatGateway": ec2(
        "nat",
        "natgateway",
        (c) => ({
            networkInterfaceId: `eni-${hex17(c, "eni")}`,
            privateIp: c.p.privateIp ?? `10.0.${parseInt(c.r("pip", 2), 16)}.${parseInt(c.r("pip2", 2), 16) || 1}`,
            publicIp: c.p.connectivityType === "private" ? undefined : publicIp(c),
            connectivityType: c.p.connectivityType ?? "public",
        })
    ),
    "aws:ec2/eip:Eip": ec2(
        "eipalloc",
        "elastic-ip",
        (c) => {
            const ip = publicIp(c);
            const host = c.region === "us-east-1" ? "compute-1" : `${c.region}.compute`;
            return { allocationId: c.id, publicIp: ip, publicDns: `ec2-${ip.replace(/\./g, "-")}.${host}.${c.dnsSuffix}`, domain: c.p.domain ?? "vpc" };
        }
    ),
    "aws:ec2/instance:Instance": ec2(
        "i",
        "instance",
        (c) => {
            const privateIp = c.p.privateIp ?? `10.0.${parseInt(c.r("pip", 2), 16)}.${parseInt(c.r("pip2", 2), 16) || 1}`;
            const ip = c.p.associatePublicIpAddress ? publicIp(c) : undefined;
            return {
                primaryNetworkInterfaceId: `eni-${hex17(c, "eni")}`,
                privateIp,
                privateDns: `ip-${privateIp.replace(/\./g, "-")}.ec2.internal`,
                publicIp: ip,
                instanceState: "running",
                availabilityZone: c.p.availabilityZone ?? `${c.region}a`,
            };
        }
    ),
    "aws:ec2/routeTable:RouteTable": ec2("rtb", "route-table"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { name: null, id: ec2Id("rtbassoc"), arn: null },
    "aws:ec2/route:Route": {
        name: null,
        id: (c) => `r-${c.p.routeTableId}${c.r("id", 10, DIGITS)}`,
        arn: null,
    },
    "aws:ec2/networkAcl:NetworkAcl": ec2("acl", "network-acl"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpce", "vpc-endpoint"),
    "aws:ec2/flowLog:FlowLog": ec2("fl", "vpc-flow-log"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("sgr", "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("sgr", "security-group-rule"),

    // --- lb (aws:alb/* tokens map here too) -----------------------------------------------
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:lb/targetGroup:TargetGroup": targetGroup,
    "aws:lb/listener:Listener": listener,
    "aws:lb/listenerRule:ListenerRule": listenerRule,

    // --- ecs ---------------------------------------------------------------------------------
    "aws:ecs/cluster:Cluster": {
        name: "name",
        max: 255,
        id: (c) => arnOf(c, "ecs", `cluster/${c.p.name}`),
        arn: (c) => c.id,
    },
    "aws:ecs/service:Service": {
        name: "name",
        max: 255,
        id: (c) => arnOf(c, "ecs", `service/${lastSegment(c.p.cluster) || "default"}/${c.p.name}`),
        arn: (c) => c.id,
        outs: (c) => ({ cluster: c.p.cluster ?? arnOf(c, "ecs", "cluster/default") }),
    },
    // Amazon ECS Express Mode: the id is the ECS service ARN (what `pulumi import` takes); ECS provisions the URL
    // `<name>-<id>.ecs.<region>.on.aws` and puts the service in the `default` cluster when none is given.
    "aws:ecs/expressGatewayService:ExpressGatewayService": {
        name: "serviceName",
        max: 255,
        id: (c) => arnOf(c, "ecs", `service/${lastSegment(c.p.cluster) || "default"}/${c.p.serviceName}`),
        arn: null,
        defaults: { cpu: "1024", memory: "2048", healthCheckPath: "/" },
        outs: (c) => ({
            serviceArn: c.id,
            cluster: c.p.cluster ?? arnOf(c, "ecs", "cluster/default"),
            serviceRevisionArn: arnOf(c, "ecs", `service-revision/${lastSegment(c.p.cluster) || "default"}/${c.p.serviceName}/${c.r(`revision:${stable(c.p)}`, 19, DIGITS)}`),
            ingressPaths: [{ accessType: "PRIVATE", endpoint: `${String(c.p.serviceName).slice(0, 40).toLowerCase()}-${c.r("url", 8, LOWER_ALNUM)}.ecs.${c.region}.on.aws` }],
        }),
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        name: null,
        id: (c) => c.p.family,
        // Real ECS counts revisions up by one per family; the stand-in has no memory between
        // creates, so a revision is derived from the inputs: a replacement gets a new one.
        arn: (c) => arnOf(c, "ecs", `task-definition/${c.p.family}:${c.p.revision}`),
        outs: (c) => ({ arnWithoutRevision: arnOf(c, "ecs", `task-definition/${c.p.family}`) }),
        computed: ["revision"],
    },

    // --- ecr ---------------------------------------------------------------------------------
    "aws:ecr/repository:Repository": {
        name: "name",
        lower: true,
        max: 256,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "ecr", `repository/${c.p.name}`),
        outs: (c) => ({ registryId: c.account, repositoryUrl: `${c.account}.dkr.ecr.${c.region}.${c.dnsSuffix}/${c.p.name}` }),
    },

    // --- rds ---------------------------------------------------------------------------------
    "aws:rds/instance:Instance": {
        name: "identifier",
        lower: true,
        max: 63,
        id: (c) => `db-${c.r("id", 26, UPPER_ALNUM)}`,
        arn: (c) => arnOf(c, "rds", `db:${c.p.identifier}`),
        outs: (c) => {
            const port = c.p.port ?? enginePort(c.p.engine);
            const address = `${c.p.identifier}.${c.r("host", 12, LOWER_ALNUM)}.${c.region}.rds.${c.dnsSuffix}`;
            return {
                resourceId: c.id,
                address,
                port,
                endpoint: `${address}:${port}`,
                hostedZoneId: "Z2R2ITUGPM61AM",
                status: "available",
                engineVersionActual: resolveEngineVersion(c.p.engine, c.p.engineVersion),
                // Encrypted without a key: RDS uses the account's AWS-managed aws/rds key and reports its ARN in
                // KmsKeyId (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html); the
                // provider's kms_key_id is Optional and Computed, so no diff when the program sets none.
                kmsKeyId: c.p.kmsKeyId ?? (c.p.storageEncrypted ? arnOf(c, "kms", `key/${uuidFrom(`${c.account}|${c.region}|alias/aws/rds`)}`) : undefined),
                masterUserSecrets: c.p.manageMasterUserPassword
                    ? [
                          {
                              secretArn: arnOf(c, "secretsmanager", `secret:rds!${c.id.toLowerCase()}-${c.r("secret", 6, ALNUM)}`),
                              secretStatus: "active",
                              kmsKeyId: c.p.masterUserSecretKmsKeyId ?? arnOf(c, "kms", `key/${uuidFrom(`${c.urn}|secretkey`)}`),
                          },
                      ]
                    : [],
            };
        },
    },
    "aws:rds/cluster:Cluster": {
        name: "clusterIdentifier",
        lower: true,
        max: 63,
        id: (c) => c.p.clusterIdentifier,
        arn: (c) => arnOf(c, "rds", `cluster:${c.p.clusterIdentifier}`),
        outs: (c) => {
            const host = c.r("host", 12, LOWER_ALNUM);
            const port = c.p.port ?? enginePort(c.p.engine);
            return {
                clusterResourceId: `cluster-${c.r("res", 26, UPPER_ALNUM)}`,
                endpoint: `${c.p.clusterIdentifier}.cluster-${host}.${c.region}.rds.${c.dnsSuffix}`,
                readerEndpoint: `${c.p.clusterIdentifier}.cluster-ro-${host}.${c.region}.rds.${c.dnsSuffix}`,
                port,
                hostedZoneId: "Z2R2ITUGPM61AM",
            };
        },
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        name: "name",
        lower: true,
        max: 255,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "rds", `subgrp:${c.p.name}`),
    },

    // --- elasticache -----------------------------------------------------------------------
    "aws:elasticache/serverlessCache:ServerlessCache": {
        name: "name",
        lower: true,
        max: 40,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "elasticache", `serverlesscache:${c.p.name}`),
        outs: (c) => {
            const address = `${c.p.name}-${c.r("host", 6, LOWER_ALNUM)}.serverless.${regionShort(c.region)}.cache.${c.dnsSuffix}`;
            return {
                endpoints: [{ address, port: 6379 }],
                readerEndpoints: [{ address, port: 6380 }],
                status: "available",
                majorEngineVersion: c.p.majorEngineVersion ?? (c.p.engine === "memcached" ? "1.6" : "7"),
                fullEngineVersion: c.p.majorEngineVersion ?? (c.p.engine === "memcached" ? "1.6" : "7.1"),
            };
        },
    },
    "aws:elasticache/subnetGroup:SubnetGroup": {
        name: "name",
        lower: true,
        max: 255,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "elasticache", `subnetgroup:${c.p.name}`),
    },

    // --- s3 (other s3 types: id = bucket, see ruleFor) ------------------------------------
    "aws:s3/bucket:Bucket": {
        name: "bucket",
        lower: true,
        max: 63,
        id: (c) => c.p.bucket,
        arn: (c) => arnOf(c, "s3", c.p.bucket, { region: false, account: false }),
        outs: (c) => ({
            bucketDomainName: `${c.p.bucket}.s3.${c.dnsSuffix}`,
            bucketRegionalDomainName: `${c.p.bucket}.s3.${c.region}.${c.dnsSuffix}`,
            hostedZoneId: "Z3AQBSTGFYJSTF",
        }),
    },

    // --- cloudfront (global) -----------------------------------------------------------------
    "aws:cloudfront/distribution:Distribution": {
        global: true,
        name: null,
        id: (c) => `E${c.r("id", 13, UPPER_ALNUM)}`,
        arn: (c) => arnOf(c, "cloudfront", `distribution/${c.id}`, { region: false }),
        outs: (c) => ({
            domainName: `d${c.r("domain", 13, LOWER_ALNUM)}.cloudfront.net`,
            hostedZoneId: CLOUDFRONT_ZONE,
            etag: `E${c.r("etag", 13, UPPER_ALNUM)}`,
            status: "Deployed",
            callerReference: `terraform-${c.r("ref", 26, DIGITS)}`,
            inProgressValidationBatches: 0,
        }),
    },

    // --- acm ---------------------------------------------------------------------------------
    "aws:acm/certificate:Certificate": {
        name: null,
        id: (c) => arnOf(c, "acm", `certificate/${uuidFrom(`${c.urn}|${stable(c.p)}`)}`),
        arn: (c) => c.id,
        outs: (c) => ({
            domainValidationOptions: domainValidationOptions(c),
            status: "PENDING_VALIDATION",
            type: c.p.privateKey ? "IMPORTED" : "AMAZON_ISSUED",
            keyAlgorithm: c.p.keyAlgorithm ?? "RSA_2048",
            validationMethod: c.p.validationMethod ?? (c.p.privateKey ? "NONE" : "DNS"),
            validationEmails: [],
        }),
    },
    "aws:acm/certificateValidation:CertificateValidation": {
        name: null,
        id: () => new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, " +0000 UTC"),
        arn: null,
    },

    // --- route53 (global) ------------------------------------------------------------------
    "aws:route53/record:Record": {
        global: true,
        name: null,
        id: (c) => [c.p.zoneId, c.p.name, c.p.type, c.p.setIdentifier].filter((x) => x !== undefined && x !== "").join("_"),
        arn: null,
        outs: (c) => ({ fqdn: String(c.p.name ?? "").replace(/\.$/, "").toLowerCase() }),
    },
    "aws:route53/zone:Zone": {
        global: true,
        name: null,
        id: (c) => `Z${c.r("id", 20, UPPER_ALNUM)}`,
        arn: (c) => arnOf(c, "route53", `hostedzone/${c.id}`, { region: false, account: false }),
        outs: (c) => {
            const n = parseInt(c.r("ns", 4), 16);
            const nameServers = [`ns-${n % 512}.awsdns-${n % 64}.com`, `ns-${(n >> 3) % 2048}.awsdns-${(n >> 5) % 64}.org`, `ns-${n % 1024}.awsdns-${(n >> 2) % 64}.co.uk`, `ns-${(n >> 1) % 1024}.awsdns-${(n >> 4) % 64}.net`];
            return { zoneId: c.id, nameServers, primaryNameServer: nameServers[0] };
        },
    },

    // --- iam (global; ARNs without region) ---------------------------------------------------
    "aws:iam/role:Role": {
        global: true,
        name: "name",
        max: 64,
        defaults: { path: "/" },
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "iam", `role${c.p.path ?? "/"}${c.p.name}`, { region: false }),
        outs: (c) => ({ uniqueId: `AROA${c.r("uid", 17, UPPER_ALNUM)}`, createDate: timestamp() }),
    },
    "aws:iam/policy:Policy": {
        global: true,
        name: "name",
        max: 128,
        defaults: { path: "/" },
        id: (c) => arnOf(c, "iam", `policy${c.p.path ?? "/"}${c.p.name}`, { region: false }),
        arn: (c) => c.id,
        outs: (c) => ({ policyId: `ANPA${c.r("uid", 17, UPPER_ALNUM)}`, attachmentCount: 0 }),
    },
    "aws:iam/rolePolicy:RolePolicy": {
        global: true,
        name: "name",
        max: 128,
        id: (c) => `${c.p.role}:${c.p.name}`,
        arn: null,
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        global: true,
        name: null,
        id: (c) => `${c.p.role}-${c.r("id", 26, DIGITS)}`,
        arn: null,
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        global: true,
        name: null,
        id: (c) => arnOf(c, "iam", `oidc-provider/${String(c.p.url ?? "").replace(/^https?:\/\//, "").replace(/\/$/, "")}`, { region: false }),
        arn: (c) => c.id,
    },
    "aws:iam/instanceProfile:InstanceProfile": {
        global: true,
        name: "name",
        max: 128,
        defaults: { path: "/" },
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "iam", `instance-profile${c.p.path ?? "/"}${c.p.name}`, { region: false }),
        outs: (c) => ({ uniqueId: `AIPA${c.r("uid", 17, UPPER_ALNUM)}`, createDate: timestamp() }),
    },

    // --- secretsmanager / ssm / kms ---------------------------------------------------------
    "aws:secretsmanager/secret:Secret": {
        name: "name",
        max: 512,
        id: (c) => arnOf(c, "secretsmanager", `secret:${c.p.name}-${c.r("suffix", 6, ALNUM)}`),
        arn: (c) => c.id,
    },
    "aws:secretsmanager/secretVersion:SecretVersion": {
        name: null,
        id: (c) => `${c.p.secretId}|${uuidFrom(`${c.urn}|${stable(c.p)}`)}`,
        arn: (c) => (String(c.p.secretId).startsWith("arn:") ? c.p.secretId : arnOf(c, "secretsmanager", `secret:${c.p.secretId}-${c.r("suffix", 6, ALNUM)}`)),
        outs: (c) => ({ versionId: c.id.split("|").pop(), versionStages: c.p.versionStages ?? ["AWSCURRENT"] }),
    },
    "aws:secretsmanager/secretPolicy:SecretPolicy": { name: null, id: (c) => c.p.secretArn, arn: null },
    "aws:ssm/parameter:Parameter": {
        name: "name",
        max: 2048,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "ssm", `parameter/${String(c.p.name).replace(/^\//, "")}`),
        outs: () => ({ version: 1 }),
    },
    "aws:kms/key:Key": {
        name: null,
        id: (c) => uuidFrom(`${c.urn}|${stable(c.p)}`),
        arn: (c) => arnOf(c, "kms", `key/${c.id}`),
        outs: (c) => ({
            keyId: c.id,
            keyUsage: c.p.keyUsage ?? "ENCRYPT_DECRYPT",
            customerMasterKeySpec: c.p.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT",
            multiRegion: c.p.multiRegion ?? false,
        }),
    },
    "aws:kms/alias:Alias": {
        name: "name",
        max: 256,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "kms", String(c.p.name)),
        outs: (c) => ({ targetKeyArn: String(c.p.targetKeyId ?? "").startsWith("arn:") ? c.p.targetKeyId : arnOf(c, "kms", `key/${c.p.targetKeyId}`) }),
    },

    // --- lambda ------------------------------------------------------------------------------
    "aws:apprunner/service:Service": {
        name: "serviceName",
        max: 40,
        id: (c) => arnOf(c, "apprunner", `service/${c.p.serviceName}/${c.r("id", 32)}`),
        arn: (c) => c.id,
        outs: (c) => ({ serviceId: c.id.split("/").pop(), serviceUrl: `${c.r("url", 10, LOWER_ALNUM)}.${c.region}.awsapprunner.com`, status: "RUNNING" }),
    },
    // https://docs.aws.amazon.com/apprunner/latest/api/API_VpcIngressConnection.html: AVAILABLE once created; its domain
    // name resolves to the apprunner.requests interface endpoint it names.
    "aws:apprunner/vpcIngressConnection:VpcIngressConnection": {
        name: "name",
        max: 40,
        id: (c) => arnOf(c, "apprunner", `vpcingressconnection/${c.p.name}/${c.r("id", 32)}`),
        arn: (c) => c.id,
        outs: (c) => ({ domainName: `${c.r("domain", 10, LOWER_ALNUM)}.${c.r("sub", 12, LOWER_ALNUM)}.${c.region}.awsapprunner.com`, status: "AVAILABLE" }),
    },
    "aws:apprunner/customDomainAssociation:CustomDomainAssociation": {
        name: null,
        id: (c) => `${c.p.domainName},${c.p.serviceArn}`,
        arn: null,
        outs: (c) => ({
            dnsTarget: `${c.r("target", 10, LOWER_ALNUM)}.${c.region}.awsapprunner.com`,
            certificateValidationRecords: [
                { name: `_${c.r("v1", 32)}.${c.p.domainName}.`, type: "CNAME", value: `_${c.r("v2", 32)}.acm-validations.aws.`, status: "PENDING_VALIDATION" },
            ],
            status: "pending_certificate_dns_validation",
        }),
    },
    "aws:lambda/function:Function": {
        name: "name",
        max: 64,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "lambda", `function:${c.p.name}`),
        outs: (c) => {
            const arn = arnOf(c, "lambda", `function:${c.p.name}`);
            const codeHash = Buffer.from(derive(`${stable(c.p.code ?? c.p.imageUri ?? c.p.s3Key ?? "")}`, 64), "hex").toString("base64");
            return {
                invokeArn: `arn:${c.partition}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
                qualifiedArn: `${arn}:$LATEST`,
                qualifiedInvokeArn: `arn:${c.partition}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${arn}:$LATEST/invocations`,
                version: "$LATEST",
                lastModified: timestamp(),
                sourceCodeHash: c.p.sourceCodeHash ?? codeHash,
                codeSha256: codeHash,
                architectures: c.p.architectures ?? ["x86_64"],
            };
        },
    },
    "aws:lambda/permission:Permission": {
        name: null,
        id: (c) => c.p.statementId ?? `terraform-${c.r("id", 26, DIGITS)}`,
        arn: null,
        outs: (c) => ({ statementId: c.p.statementId ?? c.id }),
    },

    // --- cognito -----------------------------------------------------------------------------
    "aws:cognito/userPool:UserPool": {
        service: "cognito-idp",
        name: "name",
        max: 128,
        id: (c) => `${c.region}_${c.r("id", 9, ALNUM)}`,
        arn: (c) => arnOf(c, "cognito-idp", `userpool/${c.id}`),
        outs: (c) => ({
            endpoint: `cognito-idp.${c.region}.${c.dnsSuffix}/${c.id}`,
            creationDate: timestamp(),
            lastModifiedDate: timestamp(),
            estimatedNumberOfUsers: 0,
        }),
    },
    "aws:cognito/userPoolClient:UserPoolClient": {
        service: "cognito-idp",
        name: null,
        id: (c) => c.r("id", 26, LOWER_ALNUM),
        arn: null,
        outs: (c) => (c.p.generateSecret ? { clientSecret: c.r("secret", 51, LOWER_ALNUM) } : {}),
    },
    "aws:cognito/userPoolDomain:UserPoolDomain": {
        service: "cognito-idp",
        name: null,
        id: (c) => c.p.domain,
        arn: null,
        outs: (c) => ({
            awsAccountId: c.account,
            cloudfrontDistribution: `d${c.r("cf", 13, LOWER_ALNUM)}.cloudfront.net`,
            cloudfrontDistributionArn: `d${c.r("cf", 13, LOWER_ALNUM)}.cloudfront.net`,
            cloudfrontDistributionZoneId: CLOUDFRONT_ZONE,
            s3Bucket: `aws-cognito-prod-${c.region}-assets`,
            version: "20240101000000",
        }),
    },

    // --- sesv2 ---------------------------------------------------------------------------------
    // An e-mail identity's id is the address or domain; its ARN is SES's identity ARN
    // (arn:<partition>:ses:<region>:<account>:identity/<address or domain>), what a user pool's email
    // configuration takes as SourceArn (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateEmailIdentity.html,
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sesv2_email_identity).
    "aws:sesv2/emailIdentity:EmailIdentity": {
        name: null,
        id: (c) => c.p.emailIdentity,
        arn: (c) => arnOf(c, "ses", `identity/${c.p.emailIdentity}`),
        outs: (c) => ({ identityType: String(c.p.emailIdentity).includes("@") ? "EMAIL_ADDRESS" : "DOMAIN" }),
    },
    "aws:sesv2/configurationSet:ConfigurationSet": {
        name: null,
        id: (c) => c.p.configurationSetName,
        arn: (c) => arnOf(c, "ses", `configuration-set/${c.p.configurationSetName}`),
    },

    // --- verifiedpermissions (ARNs without region) ------------------------------------------
    "aws:verifiedpermissions/policyStore:PolicyStore": {
        name: null,
        id: (c) => c.r("id", 22, ALNUM),
        arn: (c) => arnOf(c, "verifiedpermissions", `policy-store/${c.id}`, { region: false }),
        outs: (c) => ({ policyStoreId: c.id, deletionProtection: c.p.deletionProtection ?? "DISABLED" }),
    },
    "aws:verifiedpermissions/policy:Policy": {
        name: null,
        id: (c) => `${c.r("id", 22, ALNUM)},${c.p.policyStoreId}`,
        arn: null,
        outs: (c) => ({ policyId: c.id.split(",")[0], createdDate: timestamp() }),
    },
    "aws:verifiedpermissions/schema:Schema": {
        name: null,
        id: (c) => c.p.policyStoreId,
        arn: null,
        outs: (c) => ({ namespaces: schemaNamespaces(c.p.definition?.value) }),
    },
    "aws:verifiedpermissions/identitySource:IdentitySource": {
        name: null,
        id: (c) => `${c.p.policyStoreId}:${c.r("id", 22, ALNUM)}`,
        arn: null,
        outs: (c) => ({ identitySourceId: c.id.split(":").pop() }),
    },
    "aws:verifiedpermissions/policyTemplate:PolicyTemplate": {
        name: null,
        id: (c) => `${c.p.policyStoreId}:${c.r("id", 22, ALNUM)}`,
        arn: null,
        outs: (c) => ({ policyTemplateId: c.id.split(":").pop(), createdDate: timestamp() }),
    },

    // --- dynamodb / logs / messaging / api gateway ------------------------------------------
    "aws:dynamodb/table:Table": {
        name: "name",
        max: 255,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "dynamodb", `table/${c.p.name}`),
        outs: (c) => {
            if (!c.p.streamEnabled) return {};
            const label = new Date().toISOString().replace("Z", "");
            return { streamLabel: label, streamArn: `${arnOf(c, "dynamodb", `table/${c.p.name}`)}/stream/${label}` };
        },
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        service: "logs",
        name: "name",
        max: 512,
        id: (c) => c.p.name,
        arn: (c) => arnOf(c, "logs", `log-group:${c.p.name}`),
    },
    // --- eventbridge / step functions ----------------------------------------------------------
    // Rule ARN `arn:...:events:<region>:<account>:rule/<name>` on the default bus (`rule/<bus>/<name>` on another);
    // the provider's id is the name (`<bus>/<name>` on another bus):
    // https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_event_rule#attribute-reference
    "aws:cloudwatch/eventRule:EventRule": {
        service: "events",
        name: "name",
        max: 64,
        id: (c) => (c.p.eventBusName && c.p.eventBusName !== "default" ? `${lastSegment(c.p.eventBusName)}/${c.p.name}` : c.p.name),
        arn: (c) => arnOf(c, "events", `rule/${c.p.eventBusName && c.p.eventBusName !== "default" ? `${lastSegment(c.p.eventBusName)}/` : ""}${c.p.name}`),
        outs: (c) => ({ eventBusName: c.p.eventBusName ?? "default", state: c.p.state ?? "ENABLED" }),
    },
    // A target has no ARN of its own (`arn` is the target's); id `<rule>-<target id>`, a generated target id when none is given.
    "aws:cloudwatch/eventTarget:EventTarget": {
        name: null,
        id: (c) => `${c.p.rule}-${c.p.targetId ?? `terraform-${c.r("tid", 26, DIGITS)}`}`,
        arn: null,
        outs: (c) => ({ targetId: c.p.targetId ?? c.id.slice(String(c.p.rule).length + 1), eventBusName: c.p.eventBusName ?? "default" }),
    },
    // State machine ARN `arn:...:states:<region>:<account>:stateMachine:<name>`, which is also its id:
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#API_CreateStateMachine_ResponseSyntax
    "aws:sfn/stateMachine:StateMachine": {
        service: "states",
        name: "name",
        max: 80,
        id: (c) => arnOf(c, "states", `stateMachine:${c.p.name}`),
        arn: (c) => c.id,
        defaults: { type: "STANDARD", publish: false },
        outs: (c) => ({ status: "ACTIVE", creationDate: timestamp(), revisionId: uuidFrom(`${c.urn}|${stable(c.p.definition ?? "")}`), stateMachineVersionArn: "" }),
    },

    "aws:sns/topic:Topic": {
        name: "name",
        max: 256,
        id: (c) => arnOf(c, "sns", String(c.p.name)),
        arn: (c) => c.id,
    },
    "aws:sqs/queue:Queue": {
        name: "name",
        max: 80,
        id: (c) => `https://sqs.${c.region}.${c.dnsSuffix}/${c.account}/${c.p.name}`,
        arn: (c) => arnOf(c, "sqs", String(c.p.name)),
        outs: (c) => ({ url: c.id }),
    },
    "aws:apigateway/restApi:RestApi": {
        service: "apigateway",
        name: "name",
        id: (c) => c.r("id", 10, LOWER_ALNUM),
        arn: (c) => arnOf(c, "apigateway", `/restapis/${c.id}`, { account: false }),
        outs: (c) => ({ rootResourceId: c.r("root", 10, LOWER_ALNUM), executionArn: arnOf(c, "execute-api", c.id), createdDate: timestamp() }),
    },
    "aws:apigatewayv2/api:Api": {
        service: "apigateway",
        name: "name",
        id: (c) => c.r("id", 10, LOWER_ALNUM),
        arn: (c) => arnOf(c, "apigateway", `/apis/${c.id}`, { account: false }),
        outs: (c) => ({
            apiEndpoint: `${c.p.protocolType === "WEBSOCKET" ? "wss" : "https"}://${c.id}.execute-api.${c.region}.${c.dnsSuffix}`,
            executionArn: arnOf(c, "execute-api", c.id),
        }),
    },
};

/** Services whose resources have no region (no `region` output, ARNs without region). */
const GLOBAL_MODULES = new Set(["iam", "cloudfront", "route53", "organizations"]);

function splitType(type: string): { mod: string; kind: string; file: string } {
    const [, middle = "", kind = ""] = type.split(":");
    return { mod: middle.split("/")[0], kind, file: middle };
}

function ruleFor(type: string): Rule {
    const exact = RULES[type];
    if (exact) return exact;
    const { mod, kind } = splitType(type);
    if (mod === "alb") {
        const lb = Object.entries(RULES).find(([t]) => t.startsWith("aws:lb/") && t.endsWith(`:${kind}`));
        if (lb) return lb[1];
    }
    if (type === "aws:s3/bucketV2:BucketV2") return RULES["aws:s3/bucket:Bucket"];
    // Bucket sub-resources (policy, public access block, encryption, versioning, ...): id = bucket.
    if (mod === "s3" && !/^BucketObject/.test(kind)) return { name: null, id: (c) => c.p.bucket ?? genericId(c), arn: null };
    // ECR repository sub-resources (lifecycle policy, repository policy): id = repository.
    if (mod === "ecr" && kind !== "Repository") return { name: null, id: (c) => c.p.repository ?? genericId(c), arn: null };
    return { global: GLOBAL_MODULES.has(mod) };
}

/** `aws:alb/...` tokens are aliases of `aws:lb/...`; `BucketV2` is the v6 name of `Bucket`. */
export function canonicalAwsType(type: string): string {
    return type.replace(/^aws:alb\//, "aws:lb/").replace("aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket");
}

function genericId(c: Ctx): string {
    return `${kebab(c.kind)}-${c.r("id", 12)}`;
}

const probed = new Map<string, boolean>();

/** Whether the @pulumi/aws SDK class for `type` has an input `prop` (read from its compiled JS). */
function sdkHasInput(type: string, prop: string): boolean {
    const key = `${type}#${prop}`;
    const cached = probed.get(key);
    if (cached !== undefined) return cached;
    let found = false;
    try {
        const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
        const file = path.join(root, `${splitType(type).file}.js`);
        if (existsSync(file)) {
            const js = readFileSync(file, "utf8");
            found = js.includes(`resourceInputs["${prop}"] = args?.${prop};`) || js.includes(`resourceInputs["${prop}"] = args ? args.${prop} : undefined;`);
        }
    } catch {
        found = false;
    }
    probed.set(key, found);
    return found;
}

function nameProp(type: string, rule: Rule): string | undefined {
    if (rule.name === null) return undefined;
    if (rule.name !== undefined) return rule.name;
    return sdkHasInput(type, "name") ? "name" : undefined;
}

function makeCtx(rc: ResourceContext, id: string, seed: string): Ctx {
    const { mod, kind } = splitType(rc.type);
    const region = rc.inputs.region ?? configuredRegion(rc.config);
    return {
        type: rc.type,
        mod,
        kind,
        logical: rc.name,
        urn: rc.urn,
        id,
        p: rc.inputs,
        config: rc.config,
        region,
        account: ACCOUNT_ID,
        ...partitionOf(region),
        r: (label, n, alphabet = HEX) => derive(`${seed}|${label}`, n, alphabet),
    };
}

/** Every computed output of an aws resource whose id is known. */
function outputs(c: Ctx, rule: Rule): Props {
    const out: Props = { id: c.id };
    if (rule.arn !== null) {
        const name = nameOf(c, rule);
        out.arn = rule.arn ? rule.arn(c) : arnOf(c, rule.service ?? c.mod, `${kebab(c.kind)}/${name ?? c.id}`, { region: !rule.global });
    }
    if (!rule.global) out.region = c.region;
    const tags = defaultTags(c.config);
    if (c.p.tags !== undefined || Object.keys(tags).length > 0) out.tagsAll = { ...tags, ...(c.p.tags ?? {}) };
    Object.assign(out, rule.outs?.(c));
    return out;
}

function schemaNamespaces(value: unknown): string[] {
    try {
        return typeof value === "string" ? Object.keys(JSON.parse(value)) : [];
    } catch {
        return [];
    }
}

function domainValidationOptions(c: Ctx): Props[] {
    const domains: string[] = [c.p.domainName, ...(c.p.subjectAlternativeNames ?? [])].filter((d): d is string => typeof d === "string");
    const seen = new Set<string>();
    const out: Props[] = [];
    for (const domainName of domains) {
        if (seen.has(domainName)) continue;
        seen.add(domainName);
        // AWS uses one CNAME per base domain and account: `*.example.com` validates like `example.com`.
        const base = domainName.replace(/^\*\./, "");
        out.push({
            domainName,
            resourceRecordName: `_${derive(`${c.account}|${base}|name`, 32)}.${base}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${derive(`${c.account}|${base}|value`, 32)}.${derive(`${c.account}|${base}|zone`, 10, LOWER_ALNUM)}.acm-validations.aws.`,
        });
    }
    return out;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const awsModel: PackageModel = {
    defaults(type) {
        return { ...(ruleFor(type).defaults ?? {}) };
    },

    checkAdditions(ctx, oldInputs) {
        const rule = ruleFor(ctx.type);
        const prop = nameProp(ctx.type, rule);
        if (!prop || ctx.inputs[prop] !== undefined || ctx.inputs[`${prop}Prefix`] !== undefined) return {};
        // Pulumi autonaming: keep the name chosen before; otherwise `<logical name>-<7 hex>`. The hex
        // comes from the URN and the other inputs, so a replacement (which the engine checks again
        // without the old inputs) gets a fresh name, and the same program gets the same name.
        const old = oldInputs?.[prop];
        if (typeof old === "string") return { [prop]: old };
        const { [prop]: _ignored, ...rest } = ctx.inputs;
        const base = rule.lower ? ctx.name.toLowerCase() : ctx.name;
        return { [prop]: `${base}-${derive(`${ctx.urn}|${stable(rest)}`, 7)}` };
    },

    validate(ctx) {
        const rule = ruleFor(ctx.type);
        const failures: CheckFailure[] = [];
        const prop = nameProp(ctx.type, rule);
        const name = prop ? ctx.inputs[prop] : undefined;
        if (prop && typeof name === "string" && rule.max !== undefined && name.length > rule.max) {
            failures.push({ property: prop, reason: `expected length of ${prop} to be in the range (1 - ${rule.max}), got ${name} (${name.length} characters)` });
        }
        if (ctx.type === "aws:s3/bucket:Bucket" && typeof name === "string" && !BUCKET_NAME.test(name)) {
            failures.push({ property: "bucket", reason: `invalid bucket name "${name}": 3-63 lowercase letters, digits, dots and hyphens` });
        }
        for (const key of ["cidrBlock"]) {
            const v = ctx.inputs[key];
            if (typeof v === "string" && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(v)) failures.push({ property: key, reason: `"${v}" is not a valid CIDR block` });
        }
        return failures;
    },

    computedKeys(ctx, id, state) {
        const rule = ruleFor(ctx.type);
        const c = makeCtx({ ...ctx, inputs: state }, id, `${ctx.urn}|${id}`);
        const keys = [...Object.keys(outputs(c, rule)), ...(rule.computed ?? [])];
        const prop = nameProp(ctx.type, rule);
        if (prop && state[`${prop}Prefix`] !== undefined) keys.push(prop);
        return keys;
    },

    autonameProperty(type) {
        return nameProp(type, ruleFor(type));
    },

    forcesReplacement(type, key, oldValue, newValue) {
        return forcesNewResource(canonicalAwsType(type), key, oldValue, newValue);
    },

    create(ctx) {
        const rule = ruleFor(ctx.type);
        const p: Props = { ...ctx.inputs };
        const added: Props = {};
        const prop = nameProp(ctx.type, rule);
        if (prop && p[prop] === undefined && typeof p[`${prop}Prefix`] === "string") {
            added[prop] = p[prop] = `${p[`${prop}Prefix`]}${derive(`${ctx.urn}|${stable(ctx.inputs)}|prefix`, 26, DIGITS)}`;
        }
        if (ctx.type === "aws:ecs/taskDefinition:TaskDefinition") {
            added.revision = p.revision = 1 + (parseInt(derive(`${ctx.urn}|${stable(ctx.inputs)}|revision`, 6), 16) % 999);
        }
        const seed = makeCtx({ ...ctx, inputs: p }, "", `${ctx.urn}|${stable(ctx.inputs)}`);
        const id = rule.id ? rule.id(seed) : genericId(seed);
        const c = makeCtx({ ...ctx, inputs: p }, id, `${ctx.urn}|${id}`);
        return { id, outs: { ...added, ...outputs(c, rule) } };
    },

    update(ctx, id, state) {
        const rule = ruleFor(ctx.type);
        const p: Props = { ...ctx.inputs };
        const kept: Props = {};
        const prop = nameProp(ctx.type, rule);
        if (prop && p[prop] === undefined && state[prop] !== undefined) kept[prop] = p[prop] = state[prop];
        for (const k of rule.computed ?? []) if (state[k] !== undefined) kept[k] = p[k] = state[k];
        const c = makeCtx({ ...ctx, inputs: p }, id, `${ctx.urn}|${id}`);
        const outs = { ...outputs(c, rule), ...kept };
        // Creation-time values (dates, unique ids, stream labels) do not change on an in-place update.
        for (const k of STICKY) if (outs[k] !== undefined && state[k] !== undefined) outs[k] = state[k];
        if (ctx.type === "aws:rds/instance:Instance" && equal(ctx.inputs.engineVersion, state.engineVersion) && state.engineVersionActual !== undefined) {
            // EngineVersion was not sent (unchanged): the instance keeps running what it runs.
            outs.engineVersionActual = state.engineVersionActual;
        }
        if (ctx.type === "aws:ssm/parameter:Parameter") {
            const changed = !equal(state.value, ctx.inputs.value) || !equal(state.insecureValue, ctx.inputs.insecureValue);
            outs.version = (typeof state.version === "number" ? state.version : 1) + (changed ? 1 : 0);
        }
        return outs;
    },

    invoke(token, args, config) {
        const fn = INVOKES[token];
        if (!fn) throw notImplemented("aws", token);
        return fn(args, config);
    },
};

// --- data sources ------------------------------------------------------------------------------

const REGION_NAMES: Record<string, string> = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "eu-west-1": "Europe (Ireland)",
    "eu-central-1": "Europe (Frankfurt)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
};

const INVOKES: Record<string, (args: Props, config: StandInConfig) => Props> = {
    "aws:index/getRegion:getRegion": (args, config) => {
        const region = args.region ?? args.name ?? configuredRegion(config);
        const { dnsSuffix } = partitionOf(region);
        return { id: region, name: region, region, endpoint: `ec2.${region}.${dnsSuffix}`, description: REGION_NAMES[region] ?? region };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": (_args, config) => {
        const { partition } = partitionOf(configuredRegion(config));
        return { id: ACCOUNT_ID, accountId: ACCOUNT_ID, arn: `arn:${partition}:iam::${ACCOUNT_ID}:user/offline-standin`, userId: `AIDA${derive("caller", 17, UPPER_ALNUM)}` };
    },
    "aws:index/getPartition:getPartition": (_args, config) => {
        const { partition, dnsSuffix } = partitionOf(configuredRegion(config));
        return { id: partition, partition, dnsSuffix, reverseDnsPrefix: dnsSuffix.split(".").reverse().join(".") };
    },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (args, config) => {
        const region = args.region ?? configuredRegion(config);
        const zones = "abcdef".split("").map((l, i) => ({ name: `${region}${l}`, zoneId: `${regionShort(region)}-az${i + 1}` }));
        const excluded = new Set<string>([...(args.excludeNames ?? []), ...(args.excludeZoneIds ?? [])]);
        const kept = zones.filter((z) => !excluded.has(z.name) && !excluded.has(z.zoneId));
        return { id: region, region, names: kept.map((z) => z.name), zoneIds: kept.map((z) => z.zoneId), groupNames: [region], state: args.state };
    },
    "aws:apprunner/getHostedZoneId:getHostedZoneId": (args, config) => {
        // App Runner's Route 53 alias zone ids, as AWS documents them per region.
        const zones: Record<string, string> = {
            "us-east-1": "Z01915732ZBZKC8D32TPT",
            "us-east-2": "Z0224347AD7KVHR2DMBV",
            "us-west-2": "Z02243383FTQ64HJ5772Q",
            "eu-west-1": "Z087551914Z2PCAU0QHMW",
            "eu-central-1": "Z0334911C2FDI2Q9M4FZ",
            "ap-northeast-1": "Z08491812XW6IPYLR6CCA",
        };
        const region = args.region ?? configuredRegion(config);
        return { id: zones[region] ?? `Z0${derive(`apprunner|${region}`, 19, UPPER_ALNUM)}`, region };
    },
    "aws:ec2/getVpc:getVpc": (args, config) => {
        const region = configuredRegion(config);
        const id = typeof args.id === "string" ? args.id : `vpc-${derive(`vpc|${region}|${stable(args)}`, 17)}`;
        return {
            id,
            arn: `arn:aws:ec2:${region}:${ACCOUNT_ID}:vpc/${id}`,
            cidrBlock: "10.0.0.0/16",
            cidrBlockAssociations: [{ associationId: `vpc-cidr-assoc-${derive(`assoc|${id}`, 17)}`, cidrBlock: "10.0.0.0/16", state: "associated" }],
            default: args.default ?? false,
            dhcpOptionsId: `dopt-${derive(`dopt|${id}`, 17)}`,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            instanceTenancy: "default",
            mainRouteTableId: `rtb-${derive(`rtb|${id}`, 17)}`,
            ownerId: ACCOUNT_ID,
            state: "available",
            tags: {},
        };
    },
    "aws:ec2/getAmi:getAmi": (args, config) => {
        const region = args.region ?? configuredRegion(config);
        const id = `ami-${derive(`ami|${region}|${stable(args)}`, 17)}`;
        const nameFilter = (args.filters ?? []).find((f: Props) => f.name === "name")?.values?.[0];
        const archFilter = (args.filters ?? []).find((f: Props) => f.name === "architecture")?.values?.[0];
        return {
            id,
            imageId: id,
            name: typeof nameFilter === "string" ? nameFilter.replace(/\*/g, "2024.0.20240101") : "al2023-ami-2023.0.20240101.0-kernel-6.1-x86_64",
            architecture: archFilter ?? "x86_64",
            ownerId: args.owners?.[0] === "amazon" || !args.owners?.length ? "137112412989" : args.owners[0],
            owners: args.owners ?? [],
            mostRecent: args.mostRecent ?? false,
            rootDeviceName: "/dev/xvda",
            rootDeviceType: "ebs",
            virtualizationType: "hvm",
            state: "available",
            creationDate: "2024-01-01T00:00:00.000Z",
            region,
        };
    },
    "aws:ssm/getParameter:getParameter": (args, config) => {
        const name = String(args.name ?? "");
        const region = args.region ?? configuredRegion(config);
        const { partition } = partitionOf(region);
        const ami = `ami-${derive(`ssm|${region}|${name}`, 17)}`;
        let value = `offline-standin-${derive(`ssm|${name}`, 8)}`;
        if (/\/recommended$/.test(name)) value = JSON.stringify({ image_id: ami, image_name: "amzn2023-ami-ecs-hvm-2023.0.20240101-kernel-6.1-x86_64", os: "Amazon Linux 2023" });
        else if (/ami|image/i.test(name)) value = ami;
        return {
            id: name,
            name,
            value,
            insecureValue: value,
            type: "String",
            version: 1,
            withDecryption: args.withDecryption ?? true,
            arn: `arn:${partition}:ssm:${region}:${name.startsWith("/aws/") ? "" : ACCOUNT_ID}:parameter/${name.replace(/^\//, "")}`,
            region,
        };
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": (args) => policyDocument(args),
};

/** Terraform's rendering of string sets in policies: one element as a string, more reverse-sorted. */
function stringOrList(values: unknown): string | string[] {
    const list = (Array.isArray(values) ? values : [values]).map(String);
    const unique = [...new Set(list)];
    return unique.length === 1 ? unique[0] : unique.sort().reverse();
}

function sortedObject(o: Props): Props {
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function principalsOf(blocks: Props[] | undefined): unknown {
    if (!blocks?.length) return undefined;
    if (blocks.length === 1 && blocks[0].type === "*" && equal(blocks[0].identifiers, ["*"])) return "*";
    const byType: Record<string, string[]> = {};
    for (const b of blocks) byType[b.type] = [...(byType[b.type] ?? []), ...(b.identifiers ?? [])];
    return sortedObject(Object.fromEntries(Object.entries(byType).map(([t, ids]) => [t, stringOrList(ids)])));
}

function conditionsOf(blocks: Props[] | undefined): unknown {
    if (!blocks?.length) return undefined;
    const out: Record<string, Props> = {};
    for (const b of blocks) {
        const test = (out[b.test] ??= {});
        const prior = test[b.variable];
        test[b.variable] = stringOrList([...(prior === undefined ? [] : Array.isArray(prior) ? prior : [prior]), ...(b.values ?? [])]);
    }
    return sortedObject(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, sortedObject(v)])));
}

function renderStatement(s: Props): Props {
    const out: Props = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? "Allow";
    if (s.actions?.length) out.Action = stringOrList(s.actions);
    if (s.notActions?.length) out.NotAction = stringOrList(s.notActions);
    if (s.resources?.length) out.Resource = stringOrList(s.resources);
    if (s.notResources?.length) out.NotResource = stringOrList(s.notResources);
    const principal = principalsOf(s.principals);
    if (principal !== undefined) out.Principal = principal;
    const notPrincipal = principalsOf(s.notPrincipals);
    if (notPrincipal !== undefined) out.NotPrincipal = notPrincipal;
    const condition = conditionsOf(s.conditions);
    if (condition !== undefined) out.Condition = condition;
    return out;
}

/** Merges statements by Sid the way aws_iam_policy_document does: later ones with the same Sid win. */
function mergeBySid(base: Props[], overrides: Props[]): Props[] {
    const out = [...base];
    for (const s of overrides) {
        const i = s.Sid ? out.findIndex((x) => x.Sid === s.Sid) : -1;
        if (i >= 0) out[i] = s;
        else out.push(s);
    }
    return out;
}

export function policyDocument(args: Props): Props {
    const parse = (docs: unknown): Props[] =>
        (Array.isArray(docs) ? docs : []).flatMap((d) => {
            const st = JSON.parse(String(d)).Statement ?? [];
            return Array.isArray(st) ? st : [st];
        });
    let statements = parse(args.sourcePolicyDocuments);
    statements = mergeBySid(statements, (args.statements ?? []).map(renderStatement));
    statements = mergeBySid(statements, parse(args.overridePolicyDocuments));
    const doc: Props = { Version: args.version ?? "2012-10-17" };
    if (args.policyId) doc.Id = args.policyId;
    doc.Statement = statements;
    const json = JSON.stringify(doc, null, 2);
    return { id: String(parseInt(derive(json, 8), 16)), json, minifiedJson: JSON.stringify(doc), statements: args.statements, version: doc.Version };
}
