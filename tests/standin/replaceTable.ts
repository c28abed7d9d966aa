/**
 * Replace-on-change table of the OFFLINE STAND-IN (tests only): for each aws type, the inputs
 * whose change makes the real (Terraform-bridged) provider replace the resource, taken from the
 * Terraform AWS provider documentation ("Forces new resource" / RequiresReplace), with the page
 * named per entry. A type not listed replaces only when `region` moves.
 */
import { hasUnknown, type Props } from "./values";

const TF = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources";

export interface ReplaceEntry {
    /** Inputs (Pulumi names) that force a new resource; `allExcept`: every input but these. */
    forceNew: readonly string[] | { allExcept: readonly string[] };
    /** Inputs that force a new resource only for some changes (RequiresReplaceIf). */
    forceNewIf?: Record<string, (oldValue: unknown, newValue: unknown) => boolean>;
    source: string;
}

const ALL_BUT_TAGS = { allExcept: ["tags", "tagsAll"] } as const;

/**
 * Cedar static policies: Verified Permissions' UpdatePolicy cannot change a policy's effect,
 * principal or resource, so the provider replaces the policy when one of them changes.
 */
export function cedarHead(statement: unknown): string | undefined {
    if (typeof statement !== "string") return undefined;
    const m = /^\s*(?:@[^\n]*\n\s*)*(permit|forbid)\s*\(([\s\S]*?)\)\s*(?:when|unless|;)/.exec(statement.replace(/\/\/[^\n]*/g, ""));
    if (!m) return undefined;
    const scope = m[2]
        .split(/,(?![^[]*\])/)
        .map((s) => s.replace(/\s+/g, " ").trim())
        .filter((s) => /^(principal|resource)\b/.test(s));
    return `${m[1]}(${scope.join(", ")})`;
}

function policyHeadChanged(oldDefinition: unknown, newDefinition: unknown): boolean {
    const o = (oldDefinition as Props | undefined) ?? {};
    const n = (newDefinition as Props | undefined) ?? {};
    if (Boolean(o.static) !== Boolean(n.static) || Boolean(o.templateLinked) !== Boolean(n.templateLinked)) return true;
    if (n.templateLinked) return JSON.stringify(o.templateLinked) !== JSON.stringify(n.templateLinked);
    return cedarHead(o.static?.statement) !== cedarHead(n.static?.statement);
}

export const REPLACE_TABLE: Record<string, ReplaceEntry> = {
    // ec2 / vpc
    "aws:ec2/vpc:Vpc": { forceNew: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"], source: `${TF}/vpc` },
    "aws:ec2/subnet:Subnet": { forceNew: ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn"], source: `${TF}/subnet` },
    "aws:ec2/securityGroup:SecurityGroup": { forceNew: ["name", "namePrefix", "vpcId", "description"], source: `${TF}/security_group` },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { forceNew: ["vpcId"], source: `${TF}/default_security_group` },
    "aws:ec2/internetGateway:InternetGateway": { forceNew: [], source: `${TF}/internet_gateway` },
    "aws:ec2/natGateway:NatGateway": { forceNew: ["subnetId", "allocationId", "connectivityType", "privateIp"], source: `${TF}/nat_gateway` },
    "aws:ec2/eip:Eip": { forceNew: ["domain", "address", "publicIpv4Pool", "networkBorderGroup", "customerOwnedIpv4Pool"], source: `${TF}/eip` },
    "aws:ec2/instance:Instance": {
        forceNew: ["ami", "subnetId", "availabilityZone", "keyName", "associatePublicIpAddress", "privateIp", "placementGroup", "tenancy", "hostId"],
        source: `${TF}/instance`,
    },
    "aws:ec2/routeTable:RouteTable": { forceNew: ["vpcId"], source: `${TF}/route_table` },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": { forceNew: ["subnetId", "gatewayId"], source: `${TF}/route_table_association` },
    "aws:ec2/route:Route": { forceNew: ["routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"], source: `${TF}/route` },
    "aws:ec2/networkAcl:NetworkAcl": { forceNew: ["vpcId"], source: `${TF}/network_acl` },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { forceNew: ["vpcId", "serviceName", "vpcEndpointType", "serviceRegion"], source: `${TF}/vpc_endpoint` },
    "aws:ec2/flowLog:FlowLog": { forceNew: ALL_BUT_TAGS, source: `${TF}/flow_log` },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { forceNew: ["securityGroupId"], source: `${TF}/vpc_security_group_ingress_rule` },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { forceNew: ["securityGroupId"], source: `${TF}/vpc_security_group_egress_rule` },

    // load balancing
    "aws:lb/loadBalancer:LoadBalancer": { forceNew: ["name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"], source: `${TF}/lb` },
    "aws:lb/targetGroup:TargetGroup": { forceNew: ["name", "namePrefix", "port", "protocol", "protocolVersion", "vpcId", "targetType", "ipAddressType"], source: `${TF}/lb_target_group` },
    "aws:lb/listener:Listener": { forceNew: ["loadBalancerArn"], source: `${TF}/lb_listener` },
    "aws:lb/listenerRule:ListenerRule": { forceNew: ["listenerArn"], source: `${TF}/lb_listener_rule` },

    // containers
    "aws:ecs/cluster:Cluster": { forceNew: ["name"], source: `${TF}/ecs_cluster` },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { forceNew: ["clusterName"], source: `${TF}/ecs_cluster_capacity_providers` },
    "aws:ecs/service:Service": { forceNew: ["name", "cluster", "launchType", "schedulingStrategy", "iamRole", "deploymentController"], source: `${TF}/ecs_service` },
    // "Changing this forces a new resource to be created": serviceName and infrastructureRoleArn (ECS cannot change a
    // service's infrastructure role); every other argument is updated in place as a new service revision.
    "aws:ecs/expressGatewayService:ExpressGatewayService": { forceNew: ["serviceName", "infrastructureRoleArn"], source: `${TF}/ecs_express_gateway_service` },
    "aws:ecs/taskDefinition:TaskDefinition": { forceNew: { allExcept: ["tags", "tagsAll", "skipDestroy", "trackLatest"] }, source: `${TF}/ecs_task_definition` },
    "aws:ecr/repository:Repository": { forceNew: ["name", "encryptionConfigurations"], source: `${TF}/ecr_repository` },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": { forceNew: ["repository"], source: `${TF}/ecr_lifecycle_policy` },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": { forceNew: ["repository"], source: `${TF}/ecr_repository_policy` },
    "aws:apprunner/service:Service": { forceNew: ["serviceName", "encryptionConfiguration"], source: `${TF}/apprunner_service` },
    "aws:apprunner/customDomainAssociation:CustomDomainAssociation": { forceNew: ["domainName", "serviceArn", "enableWwwSubdomain"], source: `${TF}/apprunner_custom_domain_association` },
    // The Terraform resource updates tags only (resourceVPCIngressConnectionUpdate): every argument forces a new connection.
    "aws:apprunner/vpcIngressConnection:VpcIngressConnection": { forceNew: ["name", "serviceArn", "ingressVpcConfiguration"], source: `${TF}/apprunner_vpc_ingress_connection` },
    "aws:apprunner/vpcConnector:VpcConnector": { forceNew: ["vpcConnectorName", "subnets", "securityGroups"], source: `${TF}/apprunner_vpc_connector` },
    "aws:apprunner/autoScalingConfigurationVersion:AutoScalingConfigurationVersion": { forceNew: ALL_BUT_TAGS, source: `${TF}/apprunner_auto_scaling_configuration_version` },
    "aws:appautoscaling/target:Target": { forceNew: ["resourceId", "scalableDimension", "serviceNamespace"], source: `${TF}/appautoscaling_target` },
    "aws:appautoscaling/policy:Policy": { forceNew: ["name", "resourceId", "scalableDimension", "serviceNamespace"], source: `${TF}/appautoscaling_policy` },

    // data stores
    "aws:rds/instance:Instance": {
        forceNew: [
            "identifier", "identifierPrefix", "engine", "dbName", "username", "availabilityZone", "storageEncrypted", "kmsKeyId",
            "characterSetName", "ncharCharacterSetName", "snapshotIdentifier", "timezone", "restoreToPointInTime", "s3Import", "customIamInstanceProfile",
        ],
        source: `${TF}/db_instance`,
    },
    "aws:rds/cluster:Cluster": { forceNew: ["clusterIdentifier", "clusterIdentifierPrefix", "engine", "databaseName", "masterUsername", "storageEncrypted", "kmsKeyId"], source: `${TF}/rds_cluster` },
    "aws:rds/subnetGroup:SubnetGroup": { forceNew: ["name", "namePrefix"], source: `${TF}/db_subnet_group` },
    "aws:rds/parameterGroup:ParameterGroup": { forceNew: ["name", "namePrefix", "family", "description"], source: `${TF}/db_parameter_group` },
    "aws:wafv2/webAclAssociation:WebAclAssociation": { forceNew: ["resourceArn", "webAclArn"], source: `${TF}/wafv2_web_acl_association` },
    "aws:elasticache/serverlessCache:ServerlessCache": { forceNew: ["name", "kmsKeyId", "subnetIds", "snapshotArnsToRestores"], source: `${TF}/elasticache_serverless_cache` },
    "aws:elasticache/subnetGroup:SubnetGroup": { forceNew: ["name"], source: `${TF}/elasticache_subnet_group` },
    "aws:dynamodb/table:Table": { forceNew: ["name", "hashKey", "rangeKey", "localSecondaryIndexes"], source: `${TF}/dynamodb_table` },

    // s3 / cdn
    "aws:s3/bucket:Bucket": { forceNew: ["bucket", "bucketPrefix", "objectLockEnabled"], source: `${TF}/s3_bucket` },
    "aws:s3/bucketVersioning:BucketVersioning": { forceNew: ["bucket", "expectedBucketOwner"], source: `${TF}/s3_bucket_versioning` },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { forceNew: ["bucket", "expectedBucketOwner"], source: `${TF}/s3_bucket_server_side_encryption_configuration` },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { forceNew: ["bucket"], source: `${TF}/s3_bucket_public_access_block` },
    "aws:s3/bucketPolicy:BucketPolicy": { forceNew: ["bucket"], source: `${TF}/s3_bucket_policy` },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { forceNew: ["bucket"], source: `${TF}/s3_bucket_ownership_controls` },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { forceNew: ["bucket", "expectedBucketOwner"], source: `${TF}/s3_bucket_lifecycle_configuration` },
    "aws:s3/bucketObjectv2:BucketObjectv2": { forceNew: ["bucket", "key"], source: `${TF}/s3_object` },
    "aws:cloudfront/distribution:Distribution": { forceNew: [], source: `${TF}/cloudfront_distribution` },
    "aws:cloudfront/originAccessControl:OriginAccessControl": { forceNew: [], source: `${TF}/cloudfront_origin_access_control` },

    // certificates and DNS
    "aws:acm/certificate:Certificate": { forceNew: ["domainName", "subjectAlternativeNames", "validationMethod", "keyAlgorithm", "certificateAuthorityArn"], source: `${TF}/acm_certificate` },
    "aws:acm/certificateValidation:CertificateValidation": { forceNew: ["certificateArn", "validationRecordFqdns"], source: `${TF}/acm_certificate_validation` },
    "aws:route53/record:Record": { forceNew: ["name", "zoneId", "setIdentifier"], source: `${TF}/route53_record` },
    "aws:route53/zone:Zone": { forceNew: ["name", "delegationSetId"], source: `${TF}/route53_zone` },

    // identity
    "aws:iam/role:Role": { forceNew: ["name", "namePrefix", "path"], source: `${TF}/iam_role` },
    "aws:iam/policy:Policy": { forceNew: ["name", "namePrefix", "path", "description"], source: `${TF}/iam_policy` },
    "aws:iam/rolePolicy:RolePolicy": { forceNew: ["name", "namePrefix", "role"], source: `${TF}/iam_role_policy` },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { forceNew: ["role", "policyArn"], source: `${TF}/iam_role_policy_attachment` },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { forceNew: ["url"], source: `${TF}/iam_openid_connect_provider` },
    "aws:iam/instanceProfile:InstanceProfile": { forceNew: ["name", "namePrefix", "path"], source: `${TF}/iam_instance_profile` },
    "aws:cognito/userPool:UserPool": { forceNew: ["name", "aliasAttributes", "usernameAttributes", "usernameConfiguration"], source: `${TF}/cognito_user_pool` },
    "aws:cognito/userPoolClient:UserPoolClient": { forceNew: ["userPoolId", "generateSecret"], source: `${TF}/cognito_user_pool_client` },
    "aws:cognito/userPoolDomain:UserPoolDomain": { forceNew: ["domain", "userPoolId"], source: `${TF}/cognito_user_pool_domain` },
    "aws:cognito/userGroup:UserGroup": { forceNew: ["name", "userPoolId"], source: `${TF}/cognito_user_group` },
    "aws:verifiedpermissions/policyStore:PolicyStore": { forceNew: [], source: `${TF}/verifiedpermissions_policy_store` },
    "aws:verifiedpermissions/policy:Policy": { forceNew: ["policyStoreId"], forceNewIf: { definition: policyHeadChanged }, source: `${TF}/verifiedpermissions_policy` },
    "aws:verifiedpermissions/schema:Schema": { forceNew: ["policyStoreId"], source: `${TF}/verifiedpermissions_schema` },
    "aws:verifiedpermissions/identitySource:IdentitySource": { forceNew: ["policyStoreId"], source: `${TF}/verifiedpermissions_identity_source` },
    "aws:verifiedpermissions/policyTemplate:PolicyTemplate": { forceNew: ["policyStoreId"], source: `${TF}/verifiedpermissions_policy_template` },

    // secrets, parameters, keys
    "aws:secretsmanager/secret:Secret": { forceNew: ["name", "namePrefix"], source: `${TF}/secretsmanager_secret` },
    "aws:secretsmanager/secretVersion:SecretVersion": { forceNew: ["secretId", "secretString", "secretBinary"], source: `${TF}/secretsmanager_secret_version` },
    "aws:secretsmanager/secretPolicy:SecretPolicy": { forceNew: ["secretArn"], source: `${TF}/secretsmanager_secret_policy` },
    "aws:ssm/parameter:Parameter": { forceNew: ["name"], source: `${TF}/ssm_parameter` },
    "aws:ssm/document:Document": { forceNew: ["name", "documentType"], source: `${TF}/ssm_document` },
    "aws:ssm/association:Association": { forceNew: [], source: `${TF}/ssm_association` },
    "aws:kms/key:Key": { forceNew: ["customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", "customKeyStoreId"], source: `${TF}/kms_key` },
    "aws:kms/alias:Alias": { forceNew: ["name", "namePrefix"], source: `${TF}/kms_alias` },

    // functions, logs, messaging, APIs
    "aws:lambda/function:Function": { forceNew: ["name", "packageType"], source: `${TF}/lambda_function` },
    "aws:lambda/permission:Permission": { forceNew: { allExcept: [] }, source: `${TF}/lambda_permission` },
    "aws:lambda/alias:Alias": { forceNew: ["name", "functionName"], source: `${TF}/lambda_alias` },
    "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": { forceNew: ["functionName", "qualifier"], source: `${TF}/lambda_provisioned_concurrency_config` },
    "aws:cloudwatch/logGroup:LogGroup": { forceNew: ["name", "namePrefix", "logGroupClass"], source: `${TF}/cloudwatch_log_group` },
    "aws:cloudwatch/eventRule:EventRule": { forceNew: ["name", "namePrefix", "eventBusName"], source: `${TF}/cloudwatch_event_rule` },
    "aws:cloudwatch/eventTarget:EventTarget": { forceNew: ["rule", "targetId", "eventBusName"], source: `${TF}/cloudwatch_event_target` },
    "aws:sfn/stateMachine:StateMachine": { forceNew: ["name", "namePrefix", "type"], source: `${TF}/sfn_state_machine` },
    "aws:sns/topic:Topic": { forceNew: ["name", "namePrefix", "fifoTopic"], source: `${TF}/sns_topic` },
    "aws:sqs/queue:Queue": { forceNew: ["name", "namePrefix", "fifoQueue"], source: `${TF}/sqs_queue` },
    "aws:apigateway/restApi:RestApi": { forceNew: [], source: `${TF}/api_gateway_rest_api` },
    "aws:apigatewayv2/api:Api": { forceNew: ["protocolType"], source: `${TF}/apigatewayv2_api` },
};

/** Whether changing `key` from `oldValue` to `newValue` replaces a resource of `type`. */
export function forcesNewResource(type: string, key: string, oldValue?: unknown, newValue?: unknown): boolean {
    if (key === "region") return true;
    const entry = REPLACE_TABLE[type];
    if (!entry) return false;
    const conditional = entry.forceNewIf?.[key];
    if (conditional) return !hasUnknown(newValue) && conditional(oldValue, newValue);
    return Array.isArray(entry.forceNew) ? entry.forceNew.includes(key) : !(entry.forceNew as { allExcept: readonly string[] }).allExcept.includes(key);
}
