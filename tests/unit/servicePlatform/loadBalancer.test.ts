import { describe, expect, it, vi } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { TLS_POLICY } from "../../../provider/src/servicePlatform/routing";
import { assertGuardrails } from "../../utils/guardrails";
import { build, Profile, resolve, skregArgs, T } from "./fixtures";

const domain = { name: "api.skreg.dev", hostedZoneId: "Z0SKREG" };

describe("load balancer", () => {
    it("serves HTTP only without a domain and warns that it does", async () => {
        const warn = vi.spyOn(pulumi.log, "warn");
        const b = await build(skregArgs(), "skreg");
        expect(warn.mock.calls.some(([message]) => /ServicePlatform "skreg": no `domain` given, so the load balancer serves plain HTTP/.test(String(message)))).toBe(true);
        warn.mockRestore();
        const lb = b.one(T.lb);
        expect(lb.inputs).toMatchObject({
            internal: false,
            loadBalancerType: "application",
            dropInvalidHeaderFields: true,
            enableDeletionProtection: false,
            subnets: ["skreg-public-1-id", "skreg-public-2-id"],
            securityGroups: ["skreg-alb-sg-id"],
        });
        expect(lb.inputs.accessLogs).toBeUndefined();
        const listeners = b.all(T.listener);
        expect(listeners.map((l) => [l.inputs.port, l.inputs.protocol, l.inputs.defaultActions[0].type])).toEqual([[80, "HTTP", "forward"]]);
        expect(b.all(T.certificate)).toHaveLength(0);
        expect(await resolve(b.platform.url)).toBe("http://skreg-dev-1234567890.us-east-1.elb.amazonaws.com");
        expect(await resolve(b.platform.loadBalancerDnsName)).toBe("skreg-dev-1234567890.us-east-1.elb.amazonaws.com");
        const albIngress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "skreg-alb-sg-id");
        expect(albIngress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).toEqual([["0.0.0.0/0", 80, 80]]);
    });

    it("terminates TLS 1.3 with a DNS-validated certificate, redirects 80 to 443 and aliases the domain", async () => {
        const b = await build({ ...skregArgs(), domain }, "skreg");
        const cert = b.one(T.certificate);
        expect(cert.inputs).toMatchObject({ domainName: "api.skreg.dev", validationMethod: "DNS", subjectAlternativeNames: [] });
        const validationRecord = b.one(T.record, "skreg-cert-validation-api.skreg.dev");
        expect(validationRecord.inputs).toMatchObject({ zoneId: "Z0SKREG", name: "_a1.api.skreg.dev.", type: "CNAME", records: ["_b2.api.skreg.dev.acm-validations.aws."] });
        expect(b.one(T.certificateValidation).inputs.certificateArn).toBe(cert.state.arn);
        const https = b.one(T.listener, "skreg-https");
        expect(https.inputs).toMatchObject({ port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY });
        expect(TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
        expect(b.one(T.listener, "skreg-http-redirect").inputs.defaultActions).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
        expect(b.one(T.record, "skreg-alias-api.skreg.dev").inputs).toMatchObject({
            name: "api.skreg.dev",
            type: "A",
            aliases: [{ name: "skreg-dev-1234567890.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true }],
        });
        expect(await resolve(b.platform.url)).toBe("https://api.skreg.dev");
        const albIngress = b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "skreg-alb-sg-id");
        expect(albIngress.map((r) => r.inputs.fromPort).sort()).toEqual([443, 80]);
    });

    it("routes several public services by path and host, each to its own target group with its health check", async () => {
        const b = await build({
            stage: "dev",
            domain: { name: "example.com", hostedZoneId: "Z1" },
            services: [
                { name: "web", public: true, port: 3000, healthCheckPath: "/" },
                { name: "api", public: true, pathPatterns: ["/api/*"], healthCheckPath: "/healthz" },
                { name: "admin", public: true, hostnames: ["admin.example.com"] },
                { name: "worker" },
            ],
        });
        expect(b.all(T.targetGroup).map((t) => [t.name, t.inputs.port, t.inputs.targetType, t.inputs.healthCheck.path])).toEqual([
            ["app-tg-web", 3000, "ip", "/"],
            ["app-tg-api", 8080, "ip", "/healthz"],
            ["app-tg-admin", 8080, "ip", "/health"],
        ]);
        // A port change replaces a target group: the port in its name lets the new one exist before the old is deleted.
        expect(b.all(T.targetGroup).map((t) => t.inputs.name)).toEqual(["app-dev-web-3000", "app-dev-api-8080", "app-dev-admin-8080"]);
        expect(b.all(T.targetGroup).map((t) => t.options.deleteBeforeReplace)).toEqual([false, false, false]);
        // EC2 cannot change a security group's description: it is set once, so adding a domain never replaces the group.
        expect(b.one(T.sg, "app-alb-sg").options.ignoreChanges).toEqual(["description"]);
        expect(b.one(T.listener, "app-https").inputs.defaultActions[0]).toMatchObject({ type: "forward", targetGroupArn: b.one(T.targetGroup, "app-tg-web").state.arn });
        const rules = b.all(T.listenerRule);
        expect(rules.map((r) => [r.name, r.inputs.priority, r.inputs.conditions])).toEqual([
            ["app-rule-api", 10, [{ pathPattern: { values: ["/api/*"] } }]],
            ["app-rule-admin", 20, [{ hostHeader: { values: ["admin.example.com"] } }]],
        ]);
        expect(b.one(T.certificate).inputs.subjectAlternativeNames).toEqual(["admin.example.com"]);
        expect(b.all(T.record).filter((r) => r.name.startsWith("app-alias")).map((r) => r.inputs.name)).toEqual(["example.com", "admin.example.com"]);
        // ALB -> service: each public service's port only; the worker gets no ingress at all.
        const egress = b.all(T.egress).filter((r) => r.inputs.securityGroupId === "app-alb-sg-id");
        expect(egress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).toEqual([
            ["app-svc-web-sg-id", 3000],
            ["app-svc-api-sg-id", 8080],
            ["app-svc-admin-sg-id", 8080],
        ]);
        expect(b.all(T.ingress).filter((r) => r.inputs.securityGroupId === "app-svc-worker-sg-id")).toEqual([]);
    });

    it("takes an idle timeout and associates a regional WAF web ACL; refuses a CloudFront web ACL, an idle timeout AWS rejects and settings without a load balancer", async () => {
        const webAclArn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/skreg/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
        const b = await build({ ...skregArgs(), loadBalancer: { idleTimeoutSeconds: 120, webAclArn } }, "skreg");
        expect(b.one(T.lb).inputs.idleTimeout).toBe(120);
        const association = b.one("aws:wafv2/webAclAssociation:WebAclAssociation", "skreg-alb-web-acl");
        expect(association.inputs).toEqual({ resourceArn: b.one(T.lb).state.arn, webAclArn });
        expect((await build(skregArgs(), "skreg")).one(T.lb).inputs.idleTimeout, "AWS's default when not given").toBeUndefined();

        const { ServicePlatform } = await import("../../../provider/src");
        expect(
            () =>
                new ServicePlatform("skreg", {
                    ...skregArgs(),
                    loadBalancer: { idleTimeoutSeconds: 4001, webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/skreg/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b" },
                }),
        ).toThrow(/loadBalancer\.idleTimeoutSeconds: got 4001;[\s\S]*loadBalancer\.webAclArn: got "arn:aws:wafv2:us-east-1:123456789012:global\/webacl[^"]*"; a wafv2 ARN for "regional\/webacl\/\.\.\."/);
        expect(() => new ServicePlatform("skreg", { stage: "dev", services: [{ name: "worker" }], loadBalancer: { idleTimeoutSeconds: 120 } })).toThrow(
            /loadBalancer: got .*; only with compute fargate and at least one `public` service/,
        );
    });

    it("serves HTTPS with an existing certificate when given one, requesting and validating none", async () => {
        const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
        const b = await build({ ...skregArgs(), domain: { ...domain, certificateArn } }, "skreg");
        expect(b.all(T.certificate)).toEqual([]);
        expect(b.all(T.certificateValidation)).toEqual([]);
        expect(b.one(T.listener, "skreg-https").inputs).toMatchObject({ protocol: "HTTPS", port: 443, certificateArn });
        const { ServicePlatform } = await import("../../../provider/src");
        expect(() => new ServicePlatform("skreg", { ...skregArgs(), domain: { ...domain, certificateArn: "arn:aws:iam::123456789012:server-certificate/old" } })).toThrow(
            /domain\.certificateArn: got "arn:aws:iam::123456789012:server-certificate\/old"; an acm ARN for "certificate\/\.\.\."/,
        );
    });

    it("answers 404 by default when every public service is routed", async () => {
        const b = await build({ stage: "dev", services: [{ name: "api", public: true, pathPatterns: ["/api/*"] }] });
        expect(b.one(T.listener, "app-http").inputs.defaultActions[0]).toMatchObject({ type: "fixed-response", fixedResponse: { statusCode: "404" } });
    });

    it("protects the production load balancer and logs its access to a private bucket", async () => {
        const b = await build(skregArgs(Profile.Production), "skreg");
        const lb = b.one(T.lb);
        expect(lb.inputs.enableDeletionProtection).toBe(true);
        expect(lb.inputs.accessLogs).toEqual({ bucket: "skreg-alb-logs-id", prefix: "alb", enabled: true });
        const logsBucket = b.one(T.bucket, "skreg-alb-logs");
        expect(logsBucket.inputs).toMatchObject({ bucket: "skreg-prod-alb-logs-123456789012", forceDestroy: false });
        const policy = JSON.parse(b.one(T.bucketPolicy, "skreg-alb-logs-policy").inputs.policy);
        expect(policy.Statement[1]).toMatchObject({ Principal: { AWS: "arn:aws:iam::127311923021:root" }, Resource: "arn:aws:s3:::skreg-prod-alb-logs-123456789012/alb/AWSLogs/123456789012/*" });
        assertGuardrails(b.recorder.resources, { profile: "production" });
    });

    it("creates no load balancer without public Fargate services", async () => {
        const b = await build({ stage: "dev", services: [{ name: "worker" }] });
        expect(b.all(T.lb)).toHaveLength(0);
        expect(b.platform.url).toBeUndefined();
        expect(b.platform.loadBalancerDnsName).toBeUndefined();
    });
});
