/** Shared fixtures of the ServicePlatform tests: realistic computed state for the mocks, and a builder. */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { validateServicePlatformArgs } from "../../../provider/src/servicePlatform/validate";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { Compute, ServicePlatform, ServicePlatformArgs } from "../../../provider/src/servicePlatform";
import { Profile } from "../../../provider/src/shared/profile";
import { ACCOUNT_ID, record, RecordedResource, REGION, ResourceRecorder, resolve } from "../../utils/harness";

export { ACCOUNT_ID, REGION };
export const RDS_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!db-0a1b2c3d-AbC123`;
export const OTEL_ENDPOINT_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:unkey/otel-endpoint-Xy12Zq`;
export const OTEL_HEADERS_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:unkey/otel-headers-Qw34Er`;
export const SSM_PARAMETER_ARN = `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter/app/feature-flags`;
export const KMS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** What a real provider computes for the resources the platform reads back (ARNs, endpoints, DNS names). */
export function computeState(args: pulumi.runtime.MockResourceArgs): Record<string, any> | undefined {
    const i = args.inputs;
    switch (args.type) {
        case "aws:rds/instance:Instance":
            return {
                address: `${i.identifier}.c0ffee.${REGION}.rds.amazonaws.com`,
                port: i.port ?? 5432,
                endpoint: `${i.identifier}.c0ffee.${REGION}.rds.amazonaws.com:${i.port ?? 5432}`,
                masterUserSecrets: [{ secretArn: RDS_SECRET_ARN, kmsKeyId: "aws/secretsmanager", secretStatus: "active" }],
            };
        case "aws:elasticache/serverlessCache:ServerlessCache":
            return { endpoints: [{ address: `${i.name}-x1y2z3.serverless.use1.cache.amazonaws.com`, port: 6379 }] };
        case "aws:lb/loadBalancer:LoadBalancer":
            return { dnsName: `${i.name}-1234567890.${REGION}.elb.amazonaws.com`, zoneId: "Z35SXDOTRQ7X7K", arnSuffix: `app/${i.name}/50dc6c495c0c9188` };
        case "aws:lb/targetGroup:TargetGroup":
            return { arnSuffix: `targetgroup/${i.name}/73e2d6bc24d8a067` };
        case "aws:ecr/repository:Repository":
            return { repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/${i.name}`, arn: `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/${i.name}` };
        case "aws:secretsmanager/secret:Secret":
            return { arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:${i.name}-Rnd0m1` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { arn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${i.name}` };
        case "aws:iam/role:Role":
            return { arn: `arn:aws:iam::${ACCOUNT_ID}:role/${i.name}` };
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return { arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com` };
        case "aws:acm/certificate:Certificate":
            return {
                domainValidationOptions: [i.domainName, ...(i.subjectAlternativeNames ?? [])].map((d: string) => ({
                    domainName: d,
                    resourceRecordName: `_a1.${d.replace(/^\*\./, "")}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_b2.${d.replace(/^\*\./, "")}.acm-validations.aws.`,
                })),
            };
        case "aws:s3/bucket:Bucket":
            return { arn: `arn:aws:s3:::${i.bucket}`, bucketRegionalDomainName: `${i.bucket}.s3.${REGION}.amazonaws.com` };
        case "aws:cloudfront/distribution:Distribution":
            return { domainName: "d1a2b3c4d5e6f7.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2", arn: `arn:aws:cloudfront::${ACCOUNT_ID}:distribution/E2QWRUHEXAMPLE` };
        case "aws:apprunner/service:Service":
            return { serviceUrl: `${i.serviceName}.abcdefgh12.${REGION}.awsapprunner.com`, arn: `arn:aws:apprunner:${REGION}:${ACCOUNT_ID}:service/${i.serviceName}/8fe1e10304f84fd2b0df550fe98a71fa` };
        case "aws:apprunner/vpcIngressConnection:VpcIngressConnection":
            return { domainName: `${i.name}.priv1a2b3c.${REGION}.awsapprunner.com`, status: "AVAILABLE", arn: `arn:aws:apprunner:${REGION}:${ACCOUNT_ID}:vpcingressconnection/${i.name}/0a1b2c3d` };
        case "aws:apprunner/customDomainAssociation:CustomDomainAssociation":
            return {
                dnsTarget: "abcdefgh12.us-east-1.awsapprunner.com",
                certificateValidationRecords: [
                    { name: `_c1.${i.domainName}.`, type: "CNAME", value: "_d1.acm-validations.aws.", status: "PENDING_VALIDATION" },
                    { name: `_c2.2a57j78.${i.domainName}.`, type: "CNAME", value: "_d2.acm-validations.aws.", status: "PENDING_VALIDATION" },
                ],
            };
        case "aws:ec2/instance:Instance":
            return { primaryNetworkInterfaceId: "eni-0123456789abcdef0" };
        default:
            return undefined;
    }
}

/** skreg's api and worker (seed 001). */
export function skregArgs(profile: Profile = Profile.Ephemeral): ServicePlatformArgs {
    return {
        stage: profile === Profile.Production ? "prod" : "dev",
        profile,
        services: [
            { name: "api", cpu: 512, memory: 1024, port: 8080, public: true, useDatabase: true },
            { name: "worker", cpu: 256, memory: 512, useDatabase: true },
        ],
        database: {},
        ...(profile === Profile.Production ? { domain: { name: "api.skreg.dev", hostedZoneId: "Z0SKREG" } } : {}),
    };
}

export interface Built {
    platform: ServicePlatform;
    recorder: ResourceRecorder;
    /** Resources of the given type, by name. */
    all(type: string): RecordedResource[];
    one(type: string, name?: string): RecordedResource;
}

/** Constructs a platform under the mocks and waits until every resource registered. */
export async function build(args: ServicePlatformArgs, name = "app"): Promise<Built> {
    const { result, recorder } = await record(() => new ServicePlatform(name, args), { computeState });
    return { platform: result, recorder, all: (t) => recorder.byType(t), one: (t, n) => recorder.one(t, n) };
}

export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    natGateway: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    instance: "aws:ec2/instance:Instance",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    flowLog: "aws:ec2/flowLog:FlowLog",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    ecr: "aws:ecr/repository:Repository",
    ecrLifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    db: "aws:rds/instance:Instance",
    dbSubnets: "aws:rds/subnetGroup:SubnetGroup",
    cache: "aws:elasticache/serverlessCache:ServerlessCache",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    distribution: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    cluster: "aws:ecs/cluster:Cluster",
    capacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    ecsService: "aws:ecs/service:Service",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    appRunner: "aws:apprunner/service:Service",
    connector: "aws:apprunner/vpcConnector:VpcConnector",
    ingressConnection: "aws:apprunner/vpcIngressConnection:VpcIngressConnection",
    appRunnerScaling: "aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion",
    domainAssociation: "aws:apprunner/customDomainAssociation:CustomDomainAssociation",
} as const;

/** The JSON document of a policy-like input. */
export function doc(r: RecordedResource, path = "policy"): any {
    const value = r.inputs[path];
    return typeof value === "string" ? JSON.parse(value) : value;
}

/** The container definitions of a task definition. */
export function containerOf(r: RecordedResource): any {
    return JSON.parse(r.inputs.containerDefinitions)[0];
}

/** Counts of resources by type (for documentation and graph assertions). */
export function countByType(resources: RecordedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Preview-time validation problems of `validateServicePlatformArgs`, one line each without the component prefix. */
export function problems(args: ServicePlatformArgs): string[] {
    try {
        validateServicePlatformArgs("app", args);
        return [];
    } catch (e) {
        expect(e).toBeInstanceOf(ComponentValidationError);
        const lines = (e as Error).message.split("\n").slice(1).map((l) => l.trim());
        for (const line of lines) expect(line.startsWith('ServicePlatform "app": ')).toBe(true);
        return lines.map((l) => l.slice('ServicePlatform "app": '.length));
    }
}

export { Compute, Profile, resolve };
