import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { ANYWHERE_IPV4, egressRule, ingressRule, PortRange } from "../shared/securityGroupRules";
import { PlatformSettings } from "./settings";

export { ANYWHERE_IPV4 } from "../shared/securityGroupRules";
export type { PortRange } from "../shared/securityGroupRules";

/**
 * A security group without inline rules: every rule is its own resource, so the chain is easy to read and test. Its
 * description is set once: EC2 cannot change a group's description, so a new one would replace the group, and a
 * named group in use (by tasks, a load balancer, another group's rules) cannot be deleted first
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html; `description` is ForceNew in
 * the Terraform AWS provider).
 */
export function createSecurityGroup(scope: ComponentScope, key: string, vpcId: pulumi.Input<string>, description: string): aws.ec2.SecurityGroup {
    const name = scope.physical("securityGroup", key);
    return new aws.ec2.SecurityGroup(
        scope.child(key, "sg"),
        { name, description, vpcId, revokeRulesOnDelete: true, tags: scope.named(name) },
        scope.opts({ ignoreChanges: ["description"] }),
    );
}

/** Ingress on TCP ports from another security group. */
export function allowFromGroup(scope: ComponentScope, key: string, target: aws.ec2.SecurityGroup, source: pulumi.Input<string>, ports: PortRange, description: string) {
    return ingressRule(scope, scope.child(key), target, { referencedSecurityGroupId: source }, ports, description);
}

/** Ingress on TCP ports from an IPv4 block. */
export function allowFromCidr(scope: ComponentScope, key: string, target: aws.ec2.SecurityGroup, cidr: pulumi.Input<string>, ports: PortRange | "all", description: string) {
    return ingressRule(scope, scope.child(key), target, { cidrIpv4: cidr }, ports, description);
}

/** Egress on TCP ports to another security group. */
export function allowToGroup(scope: ComponentScope, key: string, source: aws.ec2.SecurityGroup, target: pulumi.Input<string>, ports: PortRange, description: string) {
    return egressRule(scope, scope.child(key), source, { referencedSecurityGroupId: target }, ports, description);
}

/** Egress to an IPv4 block, on TCP ports or every protocol. */
export function allowToCidr(scope: ComponentScope, key: string, source: aws.ec2.SecurityGroup, cidr: pulumi.Input<string>, ports: PortRange | "all", description: string) {
    return egressRule(scope, scope.child(key), source, { cidrIpv4: cidr }, ports, description);
}

/**
 * One security group per service (the ECS tasks' group, or the App Runner VPC connector's): no ingress until the
 * load balancer adds its port, egress only to the internet ports the service names (through NAT). Database and cache
 * egress rules are added by those features.
 */
export function createServiceSecurityGroups(scope: ComponentScope, settings: PlatformSettings, vpcId: pulumi.Input<string>): Map<string, aws.ec2.SecurityGroup> {
    const groups = new Map<string, aws.ec2.SecurityGroup>();
    for (const s of settings.services) {
        const sg = createSecurityGroup(scope, `svc-${s.name}`, vpcId, `rampart ${settings.name} service ${s.name}`);
        for (const port of s.egressPorts) {
            allowToCidr(scope, `svc-${s.name}-egress-${port}`, sg, ANYWHERE_IPV4, { from: port }, `${s.name} to the internet on ${port} (through NAT)`);
        }
        groups.set(s.name, sg);
    }
    return groups;
}

/**
 * The two rules that let one service reach a data store: ingress on the store's group from the
 * service's group, and egress from the service's group to the store's. Logical names
 * `<key>-from-<service>` and `svc-<service>-to-<key>`.
 */
export function admitService(
    scope: ComponentScope,
    key: string,
    store: aws.ec2.SecurityGroup,
    service: { name: string; group: aws.ec2.SecurityGroup },
    ports: PortRange,
    what: string,
): void {
    allowFromGroup(scope, `${key}-from-${service.name}`, store, service.group.id, ports, `${what} from ${service.name}`);
    allowToGroup(scope, `svc-${service.name}-to-${key}`, service.group, store.id, ports, `${service.name} to ${what}`);
}
