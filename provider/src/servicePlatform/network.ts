import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { serviceTrustPolicy } from "../shared/iam";
import { NatGateways } from "./args";
import { AwsEnvironment } from "../shared/environment";
import { iamRoleName, label } from "./naming";
import { accountScopedTrust, flowLogsPolicy } from "./policies";
import { allowFromCidr, allowToCidr, ANYWHERE_IPV4, createSecurityGroup } from "./securityGroups";
import { PlatformSettings } from "./settings";
import { existingSubnetIdsProblems } from "./validate";
import { checkedWhenResolved } from "../shared/resolvedValidation";
import { createLogGroup } from "../shared/logGroup";

/** Amazon Linux 2023 for arm64, resolved through AWS's public SSM parameter. */
export const NAT_INSTANCE_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
export const NAT_INSTANCE_TYPE = "t4g.nano";

/** User data of the NAT instance: forward IPv4 and masquerade traffic from the VPC behind its public address. */
export const NAT_INSTANCE_USER_DATA = `#!/bin/bash
set -euo pipefail
dnf install -y iptables-services
systemctl enable --now iptables
cat > /etc/sysctl.d/90-rampart-nat.conf <<'EOF'
net.ipv4.ip_forward = 1
EOF
sysctl --system
IFACE="$(ip route show default | awk '{print $5; exit}')"
iptables -t nat -A POSTROUTING -o "$IFACE" -j MASQUERADE
iptables -F FORWARD
service iptables save
`;

export interface PlatformNetworkResult {
    vpcId: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string[]>;
    privateSubnetIds: pulumi.Output<string[]>;
    /** The VPC's resources when rampart created it (absent with `existingVpc`). */
    vpc?: aws.ec2.Vpc;
    natInstance?: aws.ec2.Instance;
    natGateways: aws.ec2.NatGateway[];
}

/** An existing VPC's subnet list; an Output list is checked when it resolves, as validate.ts checks a known one. */
function existingSubnets(scope: ComponentScope, settings: PlatformSettings, key: "publicSubnetIds" | "privateSubnetIds"): pulumi.Output<string[]> {
    const twoZones = settings.network.existingSubnetsTwoZones?.[key];
    return checkedWhenResolved("ServicePlatform", scope.name, settings.network.existingVpc![key], (ids) => existingSubnetIdsProblems(key, ids, twoZones));
}

/**
 * The VPC from the planned subnets: public subnets routed to an internet gateway, private subnets (one route table per
 * zone) routed through NAT by `natGateways`, a free S3 gateway endpoint, a locked-down default security group, and flow
 * logs when asked. With `existingVpc`, nothing is created and the given ids are used.
 */
export function createNetwork(scope: ComponentScope, settings: PlatformSettings, env: AwsEnvironment, opts: { interfaceEndpoints: string[] }): PlatformNetworkResult {
    const existing = settings.network.existingVpc;
    if (existing) {
        return {
            vpcId: pulumi.output(existing.vpcId),
            publicSubnetIds: existingSubnets(scope, settings, "publicSubnetIds"),
            privateSubnetIds: existingSubnets(scope, settings, "privateSubnetIds"),
            natGateways: [],
        };
    }
    const plan = settings.network.plan!;
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: scope.component }).names;
    const zone = (i: number) => zones.apply((names) => names?.[i]);

    const vpcName = label(scope);
    const vpc = new aws.ec2.Vpc(
        scope.child("vpc"),
        { cidrBlock: settings.network.cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: scope.named(vpcName) },
        scope.opts(),
    );
    new aws.ec2.DefaultSecurityGroup(scope.child("default-sg"), { vpcId: vpc.id, tags: scope.named(`${vpcName}-default-locked`) }, scope.opts());

    const igw = new aws.ec2.InternetGateway(scope.child("igw"), { vpcId: vpc.id, tags: scope.named(`${vpcName}-igw`) }, scope.opts());
    const publicRoutes = new aws.ec2.RouteTable(scope.child("public-rt"), { vpcId: vpc.id, tags: scope.named(`${vpcName}-public`) }, scope.opts());
    const publicDefaultRoute = new aws.ec2.Route(scope.child("public-default-route"), { routeTableId: publicRoutes.id, destinationCidrBlock: ANYWHERE_IPV4, gatewayId: igw.id }, scope.opts());
    const publicAssociations: aws.ec2.RouteTableAssociation[] = [];

    const publicSubnets = plan.publicSubnets.map((cidr, i) => {
        const subnet = new aws.ec2.Subnet(
            scope.child("public", String(i + 1)),
            { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { ...scope.named(`${vpcName}-public-${i + 1}`), Tier: "public" } },
            scope.opts(),
        );
        publicAssociations.push(new aws.ec2.RouteTableAssociation(scope.child("public", String(i + 1), "rta"), { subnetId: subnet.id, routeTableId: publicRoutes.id }, scope.opts()));
        return subnet;
    });
    const privateSubnets = plan.privateSubnets.map(
        (cidr, i) =>
            new aws.ec2.Subnet(
                scope.child("private", String(i + 1)),
                { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { ...scope.named(`${vpcName}-private-${i + 1}`), Tier: "private" } },
                scope.opts(),
            ),
    );
    const privateRoutes = privateSubnets.map((subnet, i) => {
        const table = new aws.ec2.RouteTable(scope.child("private", String(i + 1), "rt"), { vpcId: vpc.id, tags: scope.named(`${vpcName}-private-${i + 1}`) }, scope.opts());
        new aws.ec2.RouteTableAssociation(scope.child("private", String(i + 1), "rta"), { subnetId: subnet.id, routeTableId: table.id }, scope.opts());
        return table;
    });

    const natGateways: aws.ec2.NatGateway[] = [];
    let natInstance: aws.ec2.Instance | undefined;
    const mode = settings.network.natGateways;
    if (mode === NatGateways.Single || mode === NatGateways.OnePerAz) {
        const count = mode === NatGateways.Single ? 1 : privateSubnets.length;
        for (let i = 0; i < count; i++) {
            const eip = new aws.ec2.Eip(scope.child("nat", String(i + 1), "eip"), { domain: "vpc", tags: scope.named(`${vpcName}-nat-${i + 1}`) }, scope.opts({ dependsOn: [igw] }));
            natGateways.push(
                new aws.ec2.NatGateway(
                    scope.child("nat", String(i + 1)),
                    { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: scope.named(`${vpcName}-nat-${i + 1}`) },
                    scope.opts({ dependsOn: [igw] }),
                ),
            );
        }
        privateRoutes.forEach((table, i) => {
            new aws.ec2.Route(
                scope.child("private", String(i + 1), "default-route"),
                { routeTableId: table.id, destinationCidrBlock: ANYWHERE_IPV4, natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id },
                scope.opts(),
            );
        });
    } else if (mode === NatGateways.Instance) {
        // It boots once its subnet routes to the internet: its user data installs packages, and runs only at first boot.
        natInstance = createNatInstance(scope, settings, vpc, publicSubnets[0], [igw, publicDefaultRoute, publicAssociations[0]], env);
        privateRoutes.forEach((table, i) => {
            new aws.ec2.Route(
                scope.child("private", String(i + 1), "default-route"),
                { routeTableId: table.id, destinationCidrBlock: ANYWHERE_IPV4, networkInterfaceId: natInstance!.primaryNetworkInterfaceId },
                scope.opts(),
            );
        });
    }

    new aws.ec2.VpcEndpoint(
        scope.child("s3-endpoint"),
        {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${env.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: privateRoutes.map((t) => t.id),
            tags: scope.named(`${vpcName}-s3`),
        },
        scope.opts(),
    );
    if (opts.interfaceEndpoints.length) {
        const sg = createSecurityGroup(scope, "endpoints", vpc.id, `rampart ${settings.name} interface endpoints: HTTPS from the VPC`);
        allowFromCidr(scope, "endpoints-https", sg, vpc.cidrBlock, { from: 443 }, "HTTPS from the VPC");
        for (const service of opts.interfaceEndpoints) {
            new aws.ec2.VpcEndpoint(
                scope.child(`${service.replace(/\./g, "-")}-endpoint`),
                {
                    vpcId: vpc.id,
                    serviceName: pulumi.interpolate`com.amazonaws.${env.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map((s) => s.id),
                    securityGroupIds: [sg.id],
                    tags: scope.named(`${vpcName}-${service}`),
                },
                scope.opts(),
            );
        }
    }

    if (settings.network.flowLogs) createFlowLogs(scope, settings, vpc, env);

    return {
        vpcId: vpc.id,
        publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
        privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
        vpc,
        natInstance,
        natGateways,
    };
}

/** AWS's managed policy that lets SSM Agent register the instance and run commands (Patch Manager among them). */
export const SSM_MANAGED_INSTANCE_POLICY = "AmazonSSMManagedInstanceCore";
/** When Patch Manager patches the NAT instance: Sundays 04:00 UTC (State Manager cron expression). */
export const NAT_PATCH_SCHEDULE = "cron(0 4 ? * SUN *)";

/**
 * How the NAT instance is kept patched, as the State Manager association's arguments (pure): AWS-RunPatchBaseline with
 * `Install` and `RebootIfNeeded` on the OS's default patch baseline (Amazon Linux 2023: security updates), weekly, and
 * once right after the instance is created. The instance keeps its AMI (`ignoreChanges: ["ami"]`): it is patched in
 * place rather than replaced, because a replacement gets a new public IPv4 address and cuts every private subnet's
 * internet access until it has booted; the forwarding and masquerade rules survive reboots (`service iptables save`,
 * sysctl.d). https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-aws-runpatchbaseline.html,
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/reference-cron-and-rate-expressions.html,
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssm_association
 */
export function natPatchAssociation(associationName: string): { name: string; associationName: string; scheduleExpression: string; applyOnlyAtCronInterval: boolean; parameters: Record<string, string>; complianceSeverity: string } {
    return {
        name: "AWS-RunPatchBaseline",
        associationName,
        scheduleExpression: NAT_PATCH_SCHEDULE,
        applyOnlyAtCronInterval: false,
        parameters: { Operation: "Install", RebootOption: "RebootIfNeeded" },
        complianceSeverity: "HIGH",
    };
}

/**
 * A t4g.nano NAT instance: Amazon Linux 2023 arm64, IMDSv2 only, no key pair (no SSH), encrypted root volume,
 * source/destination check off, ingress only from the VPC. It is managed by Systems Manager (an instance profile with
 * AmazonSSMManagedInstanceCore, https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html)
 * and patched weekly by Patch Manager (natPatchAssociation); it boots only after its subnet's internet route exists.
 */
function createNatInstance(
    scope: ComponentScope,
    settings: PlatformSettings,
    vpc: aws.ec2.Vpc,
    subnet: aws.ec2.Subnet,
    routed: pulumi.Resource[],
    env: AwsEnvironment,
): aws.ec2.Instance {
    const sg = createSecurityGroup(scope, "nat", vpc.id, `rampart ${settings.name} NAT instance: forwards traffic from the VPC only`);
    allowFromCidr(scope, "nat-from-vpc", sg, vpc.cidrBlock, "all", "everything from inside the VPC, to be forwarded");
    allowToCidr(scope, "nat-to-internet", sg, ANYWHERE_IPV4, "all", "forwarded traffic to the internet");
    const ami = aws.ssm.getParameterOutput({ name: NAT_INSTANCE_AMI_PARAMETER }, { parent: scope.component }).insecureValue;
    const name = label(scope, "nat");
    const role = new aws.iam.Role(
        scope.child("nat-role"),
        {
            name: iamRoleName(scope, "nat"),
            description: "NAT instance: managed and patched by AWS Systems Manager, nothing else",
            assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
            tags: scope.tags,
        },
        scope.opts(),
    );
    const ssmCore = new aws.iam.RolePolicyAttachment(
        scope.child("nat-role-ssm"),
        { role: role.name, policyArn: pulumi.interpolate`arn:${env.partition}:iam::aws:policy/${SSM_MANAGED_INSTANCE_POLICY}` },
        scope.opts(),
    );
    const profile = new aws.iam.InstanceProfile(scope.child("nat-profile"), { name: iamRoleName(scope, "nat"), role: role.name, tags: scope.tags }, scope.opts());
    const instance = new aws.ec2.Instance(
        scope.child("nat-instance"),
        {
            ami,
            instanceType: NAT_INSTANCE_TYPE,
            subnetId: subnet.id,
            vpcSecurityGroupIds: [sg.id],
            associatePublicIpAddress: true,
            sourceDestCheck: false,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { volumeType: "gp3", volumeSize: 8, encrypted: true, deleteOnTermination: true },
            creditSpecification: { cpuCredits: "standard" },
            iamInstanceProfile: profile.name,
            userData: NAT_INSTANCE_USER_DATA,
            userDataReplaceOnChange: true,
            tags: scope.named(name),
            volumeTags: scope.named(name),
        },
        scope.opts({ dependsOn: [...routed, ssmCore], ignoreChanges: ["ami"] }),
    );
    new aws.ssm.Association(
        scope.child("nat-patching"),
        { ...natPatchAssociation(`${label(scope, "nat")}-patching`), targets: [{ key: "InstanceIds", values: [instance.id] }], tags: scope.tags },
        scope.opts(),
    );
    return instance;
}

/** VPC flow logs (all traffic) to a CloudWatch log group, written by a role that may write to that group only. */
function createFlowLogs(scope: ComponentScope, settings: PlatformSettings, vpc: aws.ec2.Vpc, env: AwsEnvironment): void {
    const logGroup = createLogGroup(scope, scope.child("flow-logs"), { name: `/rampart/${scope.physical("logGroup")}/vpc-flow-logs`, retentionInDays: settings.observability.logRetentionDays });
    const role = new aws.iam.Role(
        scope.child("flow-logs-role"),
        {
            name: iamRoleName(scope, "flow-logs"),
            assumeRolePolicy: env.accountId.apply((account) => JSON.stringify(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", accountScopedTrust(account)))),
            tags: scope.tags,
        },
        scope.opts(),
    );
    new aws.iam.RolePolicy(
        scope.child("flow-logs-policy"),
        { role: role.id, policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogsPolicy(arn))) },
        scope.opts(),
    );
    new aws.ec2.FlowLog(
        scope.child("flow-log"),
        {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: scope.tags,
        },
        scope.opts(),
    );
}
