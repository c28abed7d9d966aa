import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentScope } from "../shared/scope";
import { createPrivateBucket } from "../shared/bucket";
import { AwsEnvironment } from "../shared/environment";
import { PlatformNetworkResult } from "./network";
import { accessLogsBucketPolicy } from "./policies";
import { aliasNames, certificateNames, planListenerRules, TLS_POLICY, validationNames } from "./routing";
import { allowFromCidr, allowFromGroup, allowToGroup, ANYWHERE_IPV4, createSecurityGroup } from "./securityGroups";
import { PlatformSettings } from "./settings";
import { COMPONENT } from "./validate";

export const ACCESS_LOGS_PREFIX = "alb";

export interface LoadBalancerResult {
    loadBalancer: aws.lb.LoadBalancer;
    securityGroup: aws.ec2.SecurityGroup;
    targetGroups: Map<string, aws.lb.TargetGroup>;
    /** The listeners; a service's target group is attached once they (and its rule) exist. */
    listeners: aws.lb.Listener[];
    /** The listener rule of each path- or host-routed service. */
    rules: Map<string, aws.lb.ListenerRule>;
    url: pulumi.Output<string>;
}

/**
 * An internet-facing Application Load Balancer in the public subnets. With a domain: an ACM certificate validated
 * through Route 53, HTTPS on 443 with a TLS 1.3 policy, 80 redirecting to 443, and alias records. Without one: plain
 * HTTP on 80, and a warning. Security groups: internet to the load balancer on its listener ports only; the load
 * balancer to each public service's port only.
 */
export function createLoadBalancer(
    scope: ComponentScope,
    settings: PlatformSettings,
    network: PlatformNetworkResult,
    serviceGroups: Map<string, aws.ec2.SecurityGroup>,
    env: AwsEnvironment,
): LoadBalancerResult {
    const publicServices = settings.services.filter((s) => s.public);
    const domain = settings.domain;
    const sg = createSecurityGroup(scope, "alb", network.vpcId, `rampart ${settings.name} load balancer: HTTP and HTTPS from the internet`);
    allowFromCidr(scope, "alb-http", sg, ANYWHERE_IPV4, { from: 80 }, domain ? "HTTP from the internet (redirected to HTTPS)" : "HTTP from the internet");
    if (domain) allowFromCidr(scope, "alb-https", sg, ANYWHERE_IPV4, { from: 443 }, "HTTPS from the internet");
    for (const s of publicServices) {
        const target = serviceGroups.get(s.name)!;
        allowToGroup(scope, `alb-to-${s.name}`, sg, target.id, { from: s.port }, `load balancer to ${s.name} on ${s.port}`);
        allowFromGroup(scope, `svc-${s.name}-from-alb`, target, sg.id, { from: s.port }, `${s.name} from the load balancer on ${s.port}`);
    }

    let accessLogs: aws.types.input.lb.LoadBalancerAccessLogs | undefined;
    const dependsOn: pulumi.Resource[] = [];
    if (settings.observability.loadBalancerAccessLogs) {
        const logs = createPrivateBucket(scope, "alb-logs", {
            name: env.accountId.apply((account) => scope.physical("s3Bucket", `alb-logs-${account}`)),
            forceDestroy: !settings.production,
            versioning: false,
            expireAfterDays: settings.observability.logRetentionDays,
            // Access logs are records like the log groups: kept and protected when the profile keeps data.
            data: true,
            policy: (bucket) =>
                pulumi
                    .all([bucket.arn, env.accountId, env.region, env.partition])
                    .apply(([bucketArn, accountId, region, partition]) => JSON.stringify(accessLogsBucketPolicy({ bucketArn, prefix: ACCESS_LOGS_PREFIX, accountId, region, partition }))),
        });
        accessLogs = { bucket: logs.bucket.id, prefix: ACCESS_LOGS_PREFIX, enabled: true };
        dependsOn.push(logs.policy);
    }

    const loadBalancer = new aws.lb.LoadBalancer(
        scope.child("alb"),
        {
            name: scope.physical("loadBalancerName"),
            internal: false,
            loadBalancerType: "application",
            subnets: network.publicSubnetIds,
            securityGroups: [sg.id],
            dropInvalidHeaderFields: true,
            idleTimeout: settings.loadBalancerSettings.idleTimeoutSeconds,
            enableDeletionProtection: settings.production,
            accessLogs,
            tags: scope.tags,
        },
        scope.opts({ dependsOn }),
    );

    if (settings.loadBalancerSettings.webAclArn !== undefined) {
        new aws.wafv2.WebAclAssociation(scope.child("alb", "web-acl"), { resourceArn: loadBalancer.arn, webAclArn: settings.loadBalancerSettings.webAclArn }, scope.opts());
    }

    const targetGroups = new Map<string, aws.lb.TargetGroup>();
    for (const s of publicServices) {
        targetGroups.set(
            s.name,
            new aws.lb.TargetGroup(
                scope.child("tg", s.name),
                {
                    // The port is in the name: a port change replaces the target group (ForceNew in the Terraform AWS
                    // provider, https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group),
                    // and under a new name the new group can exist next to the old, in-use one (see deleteBeforeReplace below).
                    name: scope.physical("targetGroupName", `${s.name}-${s.port}`),
                    port: s.port,
                    protocol: "HTTP",
                    targetType: "ip",
                    vpcId: network.vpcId,
                    deregistrationDelay: settings.production ? 60 : 10,
                    healthCheck: { enabled: true, path: s.healthCheckPath, protocol: "HTTP", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
                    tags: scope.tags,
                },
                // The AWS provider asks to delete a group with an explicit name before creating its replacement, which
                // fails while a listener uses it (pulumi/pulumi-aws#4220). The engine takes an explicit `false` over the
                // provider's request, so the new group (its own name) is created and attached first, then the old deleted.
                scope.opts({ deleteBeforeReplace: false }),
            ),
        );
    }
    const defaultService = publicServices.find((s) => s.defaultRoute);
    const defaultAction: aws.types.input.lb.ListenerDefaultAction = defaultService
        ? { type: "forward", targetGroupArn: targetGroups.get(defaultService.name)!.arn }
        : { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" } };

    const listeners: aws.lb.Listener[] = [];
    const rules = new Map<string, aws.lb.ListenerRule>();
    let serving: aws.lb.Listener;
    let url: pulumi.Output<string>;
    if (domain) {
        const certificateArn = domain.certificateArn !== undefined ? pulumi.output(domain.certificateArn) : createCertificate(scope, settings, domain);
        serving = new aws.lb.Listener(
            scope.child("https"),
            { loadBalancerArn: loadBalancer.arn, port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn, defaultActions: [defaultAction], tags: scope.tags },
            scope.opts(),
        );
        listeners.push(
            serving,
            new aws.lb.Listener(
                scope.child("http-redirect"),
                {
                    loadBalancerArn: loadBalancer.arn,
                    port: 80,
                    protocol: "HTTP",
                    defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                    tags: scope.tags,
                },
                scope.opts(),
            ),
        );
        const names = aliasNames(certificateNames(domain.name, settings.services));
        for (const host of names) {
            new aws.route53.Record(
                scope.child("alias", host),
                {
                    zoneId: domain.hostedZoneId,
                    name: host,
                    type: "A",
                    aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
                },
                scope.opts(),
            );
        }
        url = pulumi.output(`https://${domain.name}`);
    } else {
        pulumi.log.warn(
            `${COMPONENT} "${scope.name}": no \`domain\` given, so the load balancer serves plain HTTP on port 80 without TLS. ` +
                "Give `domain` (a name in a Route 53 hosted zone) for HTTPS with a validated certificate.",
            scope.component,
        );
        serving = new aws.lb.Listener(
            scope.child("http"),
            { loadBalancerArn: loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: [defaultAction], tags: scope.tags },
            scope.opts(),
        );
        listeners.push(serving);
        url = pulumi.interpolate`http://${loadBalancer.dnsName}`;
    }

    for (const rule of planListenerRules(settings.services)) {
        const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
        if (rule.pathPatterns.length) conditions.push({ pathPattern: { values: rule.pathPatterns } });
        if (rule.hostnames.length) conditions.push({ hostHeader: { values: rule.hostnames } });
        rules.set(
            rule.service,
            new aws.lb.ListenerRule(
                scope.child("rule", rule.service),
                {
                    listenerArn: serving.arn,
                    priority: rule.priority,
                    actions: [{ type: "forward", targetGroupArn: targetGroups.get(rule.service)!.arn }],
                    conditions,
                    tags: scope.tags,
                },
                scope.opts(),
            ),
        );
    }

    return { loadBalancer, securityGroup: sg, targetGroups, listeners, rules, url };
}

/** An ACM certificate for the domain and the services' host names, validated by DNS records in the hosted zone. */
function createCertificate(scope: ComponentScope, settings: PlatformSettings, domain: { name: string; hostedZoneId: pulumi.Input<string> }): pulumi.Output<string> {
    const names = certificateNames(domain.name, settings.services);
    const certificate = new aws.acm.Certificate(
        scope.child("certificate"),
        {
            domainName: domain.name,
            subjectAlternativeNames: names.slice(1),
            validationMethod: "DNS",
            keyAlgorithm: "EC_prime256v1",
            tags: scope.tags,
        },
        scope.opts(),
    );
    const records = validationNames(names).map((host) => {
        const option = certificate.domainValidationOptions.apply((options) => options?.find((o) => o.domainName === host));
        return new aws.route53.Record(
            scope.child("cert-validation", host),
            {
                zoneId: domain.hostedZoneId,
                name: option.apply((o) => o?.resourceRecordName ?? `_validation.${host}`),
                type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
                records: [option.apply((o) => o?.resourceRecordValue ?? "")],
                ttl: 60,
                allowOverwrite: true,
            },
            scope.opts(),
        );
    });
    const validation = new aws.acm.CertificateValidation(
        scope.child("certificate-validation"),
        { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
        scope.opts(),
    );
    return validation.certificateArn;
}
