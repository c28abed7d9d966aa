/**
 * Where AWS keeps names unique, per resource type the OFFLINE STAND-IN (tests only) models, with
 * the error AWS returns when a name is taken, and what AWS refuses to delete while it is in use.
 */
import { createHash } from "crypto";
import type { AccountResource, AccountsState } from "./account";
import type { Props } from "./values";

export type NameScope = "global" | "account" | "region" | "vpc";

export interface NameUniqueness {
    scope: NameScope;
    /** The name as AWS compares it; undefined: nothing to compare. */
    name(p: Props): string | undefined;
    taken(name: string, p: Props, account: string, region: string): string;
    /** Secrets Manager: the name stays taken for the recovery window after a delete. */
    reservedAfterDelete?(p: Props): { days: number; message: string } | undefined;
    source: string;
    /** Types that share one namespace (an ECS service and an Express Mode service in a cluster): compared under this key instead of the type. */
    namespace?: string;
}

/** A cluster given by name or ARN (`arn:...:cluster/<name>`), as ECS compares it; ECS's `default` when none. */
const clusterNameOf = (cluster: unknown): string => (typeof cluster === "string" && cluster.length ? cluster.split("/").pop()! : "default");

const byName = (key: string) => (p: Props) => (typeof p[key] === "string" ? (p[key] as string) : undefined);

export const NAME_UNIQUENESS: Record<string, NameUniqueness> = {
    // One record set per name and type in a hosted zone (hosted zone ids are unique across AWS). With
    // allow_overwrite the Terraform provider sends UPSERT and takes the record over instead.
    "aws:route53/record:Record": {
        scope: "global",
        name: (p) =>
            p.allowOverwrite === true || typeof p.zoneId !== "string" || typeof p.name !== "string"
                ? undefined
                : `${p.zoneId}|${p.name.replace(/\.$/, "").toLowerCase()}|${p.type ?? ""}|${p.setIdentifier ?? ""}`,
        taken: (n) => {
            const [, name, type] = n.split("|");
            return `InvalidChangeBatch: [Tried to create resource record set [name='${name}.', type='${type}'] but it already exists]`;
        },
        source: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html",
    },
    "aws:s3/bucket:Bucket": {
        scope: "global",
        name: byName("bucket"),
        taken: (n) => `BucketAlreadyOwnedByYou: Your previous request to create the named bucket succeeded and you already own it. (bucket ${n})`,
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    },
    "aws:iam/role:Role": {
        scope: "account",
        name: byName("name"),
        taken: (n) => `EntityAlreadyExists: Role with name ${n} already exists.`,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names",
    },
    "aws:iam/policy:Policy": {
        scope: "account",
        name: (p) => (typeof p.name === "string" ? `${p.path ?? "/"}${p.name}` : undefined),
        taken: (n) => `EntityAlreadyExists: A policy called ${n} already exists. Duplicate names are not allowed.`,
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names",
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        scope: "account",
        name: (p) => (typeof p.url === "string" ? p.url.replace(/^https:\/\//, "").replace(/\/$/, "") : undefined),
        taken: (n) => `EntityAlreadyExists: Provider with url https://${n} already exists.`,
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html",
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        scope: "region",
        name: byName("name"),
        taken: (n) => `DuplicateLoadBalancerName: A load balancer with the same name '${n}' exists, but with different settings`,
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
    },
    "aws:lb/targetGroup:TargetGroup": {
        scope: "region",
        name: byName("name"),
        taken: (n) => `DuplicateTargetGroupName: A target group with the same name '${n}' exists, but with different settings`,
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        scope: "region",
        name: byName("name"),
        taken: () => "ResourceAlreadyExistsException: The specified log group already exists",
        source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
    },
    "aws:secretsmanager/secret:Secret": {
        scope: "region",
        name: byName("name"),
        taken: (n) => `ResourceExistsException: The operation failed because the secret ${n} already exists.`,
        reservedAfterDelete: (p) =>
            p.recoveryWindowInDays === 0
                ? undefined
                : { days: typeof p.recoveryWindowInDays === "number" ? p.recoveryWindowInDays : 30, message: "InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion." },
        source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html",
    },
    "aws:ecr/repository:Repository": {
        scope: "region",
        name: byName("name"),
        taken: (n, _p, account) => `RepositoryAlreadyExistsException: The repository with name '${n}' already exists in the registry with id '${account}'`,
        source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
    },
    "aws:rds/instance:Instance": {
        scope: "region",
        name: byName("identifier"),
        taken: () => "DBInstanceAlreadyExists: DB instance already exists",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        scope: "region",
        name: byName("name"),
        taken: (n) => `DBSubnetGroupAlreadyExists: The DB subnet group '${n}' already exists.`,
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
    },
    "aws:elasticache/serverlessCache:ServerlessCache": {
        scope: "region",
        name: byName("name"),
        taken: (n) => `ServerlessCacheAlreadyExistsFault: Serverless cache ${n} already exists.`,
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateServerlessCache.html",
    },
    "aws:lambda/function:Function": {
        scope: "region",
        name: byName("name"),
        taken: (n) => `ResourceConflictException: Function already exist: ${n}`,
        source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
    },
    "aws:dynamodb/table:Table": {
        scope: "region",
        name: byName("name"),
        taken: (n) => `ResourceInUseException: Table already exists: ${n}`,
        source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html",
    },
    "aws:ssm/parameter:Parameter": {
        scope: "region",
        name: byName("name"),
        taken: () => "ParameterAlreadyExists: The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
        source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
    },
    "aws:kms/alias:Alias": {
        scope: "region",
        name: byName("name"),
        taken: (n, _p, account, region) => `AlreadyExistsException: An alias with the name arn:aws:kms:${region}:${account}:${n} already exists`,
        source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
    },
    "aws:apprunner/service:Service": {
        scope: "region",
        name: byName("serviceName"),
        taken: (n) => `InvalidRequestException: Service with the provided name already exists: ${n}`,
        source: "https://docs.aws.amazon.com/apprunner/latest/api/API_CreateService.html",
    },
    // A service has at most one VPC ingress connection; "name" is the service
    // (https://docs.aws.amazon.com/apprunner/latest/dg/network-pl.html: one per service).
    "aws:apprunner/vpcIngressConnection:VpcIngressConnection": {
        scope: "region",
        name: byName("serviceArn"),
        taken: (n) => `InvalidRequestException: the service ${n} already has a VPC Ingress Connection`,
        source: "https://docs.aws.amazon.com/apprunner/latest/api/API_CreateVpcIngressConnection.html",
    },
    "aws:cognito/userPoolDomain:UserPoolDomain": {
        scope: "region",
        name: byName("domain"),
        taken: () => "InvalidParameterException: Domain already associated with another user pool.",
        source: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html",
    },
    // A policy store holds one identity source (a quota that cannot be raised); "name" is the store.
    "aws:verifiedpermissions/identitySource:IdentitySource": {
        scope: "region",
        name: byName("policyStoreId"),
        taken: (n) => `ServiceQuotaExceededException: the policy store ${n} already has an identity source (identity sources per policy store: 1, not adjustable)`,
        source: "https://docs.aws.amazon.com/verifiedpermissions/latest/userguide/quotas.html",
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": {
        scope: "account",
        name: byName("name"),
        taken: (n) => `OriginAccessControlAlreadyExists: An origin access control with the same name ${n} already exists.`,
        source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateOriginAccessControl.html",
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        scope: "vpc",
        name: byName("name"),
        taken: (n, p) => `InvalidGroup.Duplicate: The security group '${n}' already exists for VPC '${p.vpcId}'`,
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
    },
    "aws:ecs/service:Service": {
        scope: "region",
        namespace: "ecs-service",
        name: (p) => (typeof p.name === "string" ? `${clusterNameOf(p.cluster)}/${p.name}` : undefined),
        taken: () => "InvalidParameterException: Creation of service was not idempotent.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html",
    },
    // An Express Mode service is an ECS service: its name is unique in its cluster among all the cluster's services.
    "aws:ecs/expressGatewayService:ExpressGatewayService": {
        scope: "region",
        namespace: "ecs-service",
        name: (p) => (typeof p.serviceName === "string" ? `${clusterNameOf(p.cluster)}/${p.serviceName}` : undefined),
        taken: () => "InvalidParameterException: Creation of service was not idempotent.",
        source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateExpressGatewayService.html",
    },
};

/** `<account>|<region or "">|<vpc or "">|<type>|<name>`, or undefined when the type's names are not unique. */
export function nameKeyOf(type: string, p: Props, account: string, region: string): string | undefined {
    const u = NAME_UNIQUENESS[type];
    const name = u?.name(p);
    if (!u || name === undefined) return undefined;
    const where = u.scope === "global" ? "*|" : u.scope === "account" ? `${account}|` : u.scope === "region" ? `${account}|${region}` : `${account}|${region}|${p.vpcId}`;
    return `${where}|${u.namespace ?? type}|${name}`;
}

export function nameTakenError(type: string, p: Props, account: string, region: string, state: AccountsState, nowMs: number): string | undefined {
    const key = nameKeyOf(type, p, account, region);
    if (!key) return undefined;
    const u = NAME_UNIQUENESS[type];
    if (Object.values(state.resources).some((r) => r.nameKey === key)) return u.taken(u.name(p)!, p, account, region);
    const reserved = state.reservations.find((r) => r.nameKey === key && r.untilMs > nowMs);
    return reserved?.message;
}

const SG_FIELDS = ["securityGroups", "securityGroupIds", "vpcSecurityGroupIds"];

function securityGroupsReferencedBy(r: AccountResource): string[] {
    const f = r.facts;
    const out: string[] = [];
    for (const k of SG_FIELDS) if (Array.isArray(f[k])) out.push(...f[k]);
    if (Array.isArray(f.networkConfiguration?.securityGroups)) out.push(...f.networkConfiguration.securityGroups);
    if (Array.isArray(f.vpcConfig?.securityGroupIds)) out.push(...f.vpcConfig.securityGroupIds);
    if (typeof f.referencedSecurityGroupId === "string" && f.referencedSecurityGroupId !== f.securityGroupId) out.push(f.referencedSecurityGroupId);
    return out;
}

/** AWS's refusal to delete `type`/`id` while other live resources use it, or undefined. */
export function inUseError(type: string, id: string, self: AccountResource | undefined, state: AccountsState): string | undefined {
    const others = Object.values(state.resources).filter((r) => r.id !== id && r.account === self?.account && r.region === self?.region);
    if (type === "aws:ec2/securityGroup:SecurityGroup") {
        const user = others.find((r) => securityGroupsReferencedBy(r).includes(id));
        if (user) return `DependencyViolation: resource ${id} has a dependent object (${user.type} ${user.id})`;
    }
    if (type === "aws:ecr/repository:Repository" && (state.images?.[id]?.length ?? 0) > 0 && self?.facts.forceDelete !== true) {
        // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html: images are deleted only with force.
        return `RepositoryNotEmptyException: The repository with name '${id}' in registry with id '${self?.account}' cannot be deleted because it still contains images`;
    }
    if (type === "aws:lb/targetGroup:TargetGroup" || type === "aws:alb/targetGroup:TargetGroup") {
        const user = others.find((r) => /Listener(Rule)?$/.test(r.type) && JSON.stringify([r.facts.defaultActions, r.facts.actions]).includes(`"${id}"`));
        if (user) return `ResourceInUse: Target group '${id}' is currently in use by a listener or a rule`;
    }
    return undefined;
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([\w][\w.-]{0,127})|@(sha256:[a-f0-9]{64}))$/;

/**
 * App Runner pulls the image when it creates a service or deploys a new source: an image missing from its private ECR
 * repository ends the operation in CREATE_FAILED (the service can then only be deleted) or a failed deployment
 * (https://docs.aws.amazon.com/apprunner/latest/dg/manage-create.html,
 * https://docs.aws.amazon.com/apprunner/latest/dg/service-source-image.html). Checked against the repositories of the
 * simulated account and the tags pushed to them (`pushImages`); an image in a repository the account does not know
 * (another registry, another account) is not judged.
 */
export function missingImageError(type: string, inputs: Props, old: Props | undefined, state: AccountsState): string | undefined {
    if (type !== "aws:apprunner/service:Service") return undefined;
    const repo = inputs.sourceConfiguration?.imageRepository;
    if (!repo || repo.imageRepositoryType !== "ECR" || typeof repo.imageIdentifier !== "string") return undefined;
    if (old && old.sourceConfiguration?.imageRepository?.imageIdentifier === repo.imageIdentifier) return undefined; // nothing new to pull
    const m = ECR_IMAGE.exec(repo.imageIdentifier);
    if (!m) return undefined;
    const [, account, region, name, tag, digest] = m;
    const repository = state.resources[`aws:ecr/repository:Repository|${name}`];
    if (!repository || repository.account !== account || repository.region !== region) return undefined;
    const tags = state.images?.[name] ?? [];
    const digestOf = (t: string) => `sha256:${createHash("sha256").update(`${name}:${t}`).digest("hex")}`;
    if (tag !== undefined ? tags.includes(tag) : tags.some((t) => digestOf(t) === digest)) return undefined;
    return (
        `unexpected state 'CREATE_FAILED', wanted target 'RUNNING': App Runner could not pull ${repo.imageIdentifier}: ` +
        `the repository '${name}' holds no image ${tag !== undefined ? `tagged '${tag}'` : digest} (it holds ${tags.length ? tags.map((t) => `'${t}'`).join(", ") : "no images"})`
    );
}

/**
 * App Runner's auto-scaling configuration quotas: 10 names per account and Region, 5 revisions (of one name) each;
 * CreateAutoScalingConfiguration with the same name adds a revision
 * (https://docs.aws.amazon.com/general/latest/gr/apprunner.html,
 * https://docs.aws.amazon.com/apprunner/latest/api/API_CreateAutoScalingConfiguration.html).
 */
export const APP_RUNNER_AUTO_SCALING_QUOTA = { names: 10, revisionsPerName: 5 } as const;

export function quotaError(type: string, inputs: Props, account: string, region: string, state: AccountsState): string | undefined {
    if (type !== "aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion") return undefined;
    const name = inputs.autoScalingConfigurationName;
    const live = Object.values(state.resources).filter((r) => r.type === type && r.account === account && r.region === region);
    const names = new Set(live.map((r) => r.facts.autoScalingConfigurationName));
    if (!names.has(name) && names.size >= APP_RUNNER_AUTO_SCALING_QUOTA.names) {
        return `ServiceQuotaExceededException: you have reached the maximum of ${APP_RUNNER_AUTO_SCALING_QUOTA.names} auto scaling configuration names in this Region (${[...names].sort().join(", ")})`;
    }
    const revisions = live.filter((r) => r.facts.autoScalingConfigurationName === name).length;
    if (revisions >= APP_RUNNER_AUTO_SCALING_QUOTA.revisionsPerName) {
        return `ServiceQuotaExceededException: the auto scaling configuration '${name}' already has the maximum of ${APP_RUNNER_AUTO_SCALING_QUOTA.revisionsPerName} revisions`;
    }
    return undefined;
}

/**
 * A VPC ingress connection names an interface endpoint for `com.amazonaws.<region>.apprunner.requests` in the VPC it
 * names (https://docs.aws.amazon.com/apprunner/latest/dg/network-pl.html,
 * https://docs.aws.amazon.com/apprunner/latest/api/API_IngressVpcConfiguration.html). Checked against the endpoints of
 * the simulated account; an endpoint the account does not know is not judged.
 */
export function ingressEndpointError(type: string, inputs: Props, state: AccountsState): string | undefined {
    if (type !== "aws:apprunner/vpcIngressConnection:VpcIngressConnection") return undefined;
    const cfg = inputs.ingressVpcConfiguration;
    if (!cfg || typeof cfg.vpcEndpointId !== "string") return undefined;
    const endpoint = state.resources[`aws:ec2/vpcEndpoint:VpcEndpoint|${cfg.vpcEndpointId}`];
    if (!endpoint) return undefined;
    const endpointService = String(endpoint.facts.serviceName ?? "");
    if (!/^com\.amazonaws\.[a-z0-9-]+\.apprunner\.requests$/.test(endpointService) || endpoint.facts.vpcEndpointType !== "Interface") {
        return `InvalidRequestException: VPC endpoint ${cfg.vpcEndpointId} is not an interface endpoint for apprunner.requests (service ${endpointService || "unknown"}, type ${endpoint.facts.vpcEndpointType ?? "unknown"})`;
    }
    if (typeof cfg.vpcId === "string" && endpoint.facts.vpcId !== undefined && endpoint.facts.vpcId !== cfg.vpcId) {
        return `InvalidRequestException: VPC endpoint ${cfg.vpcEndpointId} is in ${endpoint.facts.vpcId}, not in ${cfg.vpcId}`;
    }
    // Only a private service (ingress isPubliclyAccessible false) takes a VPC ingress connection
    // (https://docs.aws.amazon.com/apprunner/latest/dg/network-pl-manage.html).
    const service = typeof inputs.serviceArn === "string" ? state.resources[`aws:apprunner/service:Service|${inputs.serviceArn}`] : undefined;
    if (service?.facts.networkConfiguration?.ingressConfiguration?.isPubliclyAccessible === true) {
        return `InvalidRequestException: the service ${inputs.serviceArn} is publicly accessible; a VPC Ingress Connection needs a private service (isPubliclyAccessible false)`;
    }
    return undefined;
}
