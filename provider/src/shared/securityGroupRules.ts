import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "./scope";

/**
 * Security-group rules as their own resources (`aws.vpc.SecurityGroupIngressRule`/`EgressRule`), never inline in the
 * group, so each rule can change alone and every rule has a description and tags.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AuthorizeSecurityGroupIngress.html
 */
export const ANYWHERE_IPV4 = "0.0.0.0/0";

/** TCP ports, `from` to `to` (default: `from` alone); either may be an Output (a shared store's port). */
export interface PortRange {
    from: pulumi.Input<number>;
    to?: pulumi.Input<number>;
}

/** Where traffic comes from (ingress) or goes to (egress): an IPv4 block or another security group. */
export type Peer = { cidrIpv4: pulumi.Input<string> } | { referencedSecurityGroupId: pulumi.Input<string> };

function portRange(ports: PortRange | "all") {
    return ports === "all" ? { ipProtocol: "-1" } : { ipProtocol: "tcp", fromPort: ports.from, toPort: ports.to ?? ports.from };
}

function ruleArgs(scope: ComponentScope, group: aws.ec2.SecurityGroup, peer: Peer, ports: PortRange | "all", description: string) {
    return { securityGroupId: group.id, ...peer, ...portRange(ports), description, tags: scope.tags };
}

/** Ingress into `group` from `peer` on TCP `ports` (or every protocol). */
export function ingressRule(
    scope: ComponentScope,
    logicalName: string,
    group: aws.ec2.SecurityGroup,
    peer: Peer,
    ports: PortRange | "all",
    description: string,
    opts?: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule {
    return new aws.vpc.SecurityGroupIngressRule(logicalName, ruleArgs(scope, group, peer, ports, description), scope.opts(opts));
}

/** Egress from `group` to `peer` on TCP `ports` (or every protocol). */
export function egressRule(
    scope: ComponentScope,
    logicalName: string,
    group: aws.ec2.SecurityGroup,
    peer: Peer,
    ports: PortRange | "all",
    description: string,
    opts?: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupEgressRule {
    return new aws.vpc.SecurityGroupEgressRule(logicalName, ruleArgs(scope, group, peer, ports, description), scope.opts(opts));
}
