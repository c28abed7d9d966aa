/**
 * ZeroTrustIdentity through the resource recorder (real @pulumi/aws and @pulumi/tls classes under
 * Pulumi mocks): every argument group, both profiles, the guardrail checker, seed 004's services,
 * and an Unkey-style three-account chain.
 */
import { parse } from "@cdktf/hcl2json";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createPublicKey, verify } from "crypto";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { KeyAlgorithm, TrustRootMode, ZeroTrustIdentity, ZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity";
import { Profile } from "../../../provider/src/shared/profile";
import { ComponentScope } from "../../../provider/src/shared/scope";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { derChildren, pemToDer, readDer } from "../../../provider/src/zeroTrustIdentity/crl";
import { publicationBucketName } from "../../../provider/src/zeroTrustIdentity/publication";
import { renderReconcileScript } from "../../../provider/src/zeroTrustIdentity/reconcile";
import { assertGuardrails } from "../../utils/guardrails";
import { ACCOUNT_ID, record, RecordedResource, resolve, ResourceRecorder, setAccountAdoptables, setAccountOidcProviders, withRejectionsCollected } from "../../utils/harness";
import { GENERATED_ROOT_IN_STATE_WARNING } from "../../../provider/src/zeroTrustIdentity/trustRoot";
import { DOCKER_AGENT_INSTALL_WARNING } from "../../../provider/src/zeroTrustIdentity/agents";
import { computeState, DB_HOST, DB_SECRET_ARN, EC_CA, ENROLMENT_TAG, INTERMEDIATE_CA, keyBody, NLB_DNS, referenceArgs, RSA_CA, SEED_004_WORKLOADS, strings, SUBNETS, VPC_ID } from "./helpers";
import { checkAgentConfig, checkEntries, checkServerConfig } from "./spireSchema";

const T = {
    component: "rampart:index:ZeroTrustIdentity",
    key: "tls:index/privateKey:PrivateKey",
    cert: "tls:index/selfSignedCert:SelfSignedCert",
    kms: "aws:kms/key:Key",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    bucket: "aws:s3/bucket:Bucket",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    parameter: "aws:ssm/parameter:Parameter",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    nlb: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    rds: "aws:rds/instance:Instance",
    document: "aws:ssm/document:Document",
    association: "aws:ssm/association:Association",
} as const;

const OUTPUTS = [
    "trustDomain",
    "rootCaCertificatePem",
    "rootCaCertificateSecretArn",
    "rootCaKeySecretArn",
    "crlUrl",
    "spireServerAddress",
    "trustBundleUrl",
    "agentConfig",
    "serverConfigParameterName",
    "registrationEntries",
    "githubOidcProviderArn",
    "roleArns",
] as const;

async function build(args: ZeroTrustIdentityArgs, opts?: pulumi.ComponentResourceOptions, preview = false) {
    return record(() => new ZeroTrustIdentity("identity", args, opts), { computeState, preview });
}

async function outputs(z: ZeroTrustIdentity): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const key of OUTPUTS) out[key] = await resolve(z[key] as pulumi.Output<unknown> | undefined);
    return out;
}

function counts(recorder: ResourceRecorder): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of recorder.resources) out[r.type] = (out[r.type] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Runs a program whose resource inputs fail once an Output resolves (the Pulumi runtime reports
 * such errors as the failed registration's cause, an unhandled rejection in tests): returns them.
 */
async function recordFailing(fn: () => unknown) {
    return withRejectionsCollected(async (errors: Error[]) => {
        const { recorder } = await record(fn, { computeState });
        await new Promise((done) => setTimeout(done, 50));
        return { errors: errors.filter((e) => e instanceof ComponentValidationError || /invalid argument/.test(String(e?.message))), recorder };
    });
}

const policy = (r: RecordedResource, path = "policy") => JSON.parse(r.inputs[path]);
const containers = (r: RecordedResource) => JSON.parse(r.inputs.containerDefinitions) as any[];

function guardrails(recorder: ResourceRecorder, profile: "ephemeral" | "production", knownSecrets: string[] = [RSA_CA.key]) {
    assertGuardrails(recorder.resources, { profile, knownSecrets });
}

afterEach(() => vi.restoreAllMocks());

describe("ZeroTrustIdentity reference configuration (seed 004 on SPIRE, generated root with CRL, GitHub role)", () => {
    for (const profile of ["ephemeral", "production"] as const) {
        it(`${profile}: builds the documented resource graph and passes the guardrails`, async () => {
            const { recorder } = await build(referenceArgs(profile));
            guardrails(recorder, profile);
            const expected: Record<string, number> = {
                // The SPIRE server's log group; in production also the datastore's exported postgresql and upgrade logs.
                "aws:cloudwatch/logGroup:LogGroup": profile === "production" ? 3 : 1,
                "aws:ec2/securityGroup:SecurityGroup": profile === "production" ? 2 : 1,
                "aws:ecs/cluster:Cluster": 1,
                "aws:ecs/service:Service": 1,
                "aws:ecs/taskDefinition:TaskDefinition": 1,
                "aws:iam/role:Role": 3,
                "aws:iam/rolePolicy:RolePolicy": 2,
                "aws:kms/alias:Alias": 1,
                "aws:kms/key:Key": 2,
                "aws:lb/listener:Listener": 1,
                "aws:lb/loadBalancer:LoadBalancer": 1,
                "aws:lb/targetGroup:TargetGroup": 1,
                "aws:s3/bucket:Bucket": 1,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
                "aws:s3/bucketObjectv2:BucketObjectv2": 1,
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
                "aws:s3/bucketPolicy:BucketPolicy": 1,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
                "aws:s3/bucketVersioning:BucketVersioning": 1,
                "aws:secretsmanager/secret:Secret": 2,
                "aws:secretsmanager/secretVersion:SecretVersion": 2,
                "aws:ssm/association:Association": 1,
                "aws:ssm/document:Document": 1,
                "aws:ssm/parameter:Parameter": 1,
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": profile === "production" ? 2 : 1,
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": profile === "production" ? 4 : 3,
                "rampart:index:ZeroTrustIdentity": 1,
                "tls:index/privateKey:PrivateKey": 1,
                "tls:index/selfSignedCert:SelfSignedCert": 1,
                ...(profile === "production" ? { "aws:rds/instance:Instance": 1, "aws:rds/subnetGroup:SubnetGroup": 1 } : {}),
            };
            if (profile === "production") {
                // The RDS datastore's rotation redeploy (shared/rotation.ts): rule, target, state machine and its log
                // group, the EventBridge and Step Functions roles with their policies.
                Object.assign(expected, {
                    "aws:cloudwatch/eventRule:EventRule": 1,
                    "aws:cloudwatch/eventTarget:EventTarget": 1,
                    "aws:sfn/stateMachine:StateMachine": 1,
                    "aws:cloudwatch/logGroup:LogGroup": 4,
                    "aws:iam/role:Role": 5,
                    "aws:iam/rolePolicy:RolePolicy": 4,
                });
            }
            expect(counts(recorder)).toEqual(Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))));
            // Every taggable AWS child carries the standard tags.
            for (const r of recorder.resources.filter((x) => x.type.startsWith("aws:") && "tags" in x.inputs)) {
                expect(r.inputs.tags, `${r.type} ${r.name}`).toMatchObject({ ManagedBy: "rampart", Stage: profile === "production" ? "prod" : "dev", Component: "ZeroTrustIdentity" });
            }
        });

        it(`${profile}: exposes every output, and the root key appears in none of them`, async () => {
            const { result } = await build(referenceArgs(profile));
            const out = await outputs(result);
            const stage = profile === "production" ? "prod" : "dev";
            expect(out.trustDomain).toBe("unkey.cloud");
            expect(out.rootCaCertificatePem).toBe(RSA_CA.cert);
            expect(out.rootCaCertificateSecretArn).toMatch(new RegExp(`identity-${stage}-root-ca-certificate$`));
            expect(out.rootCaKeySecretArn).toMatch(new RegExp(`identity-${stage}-root-ca-private-key$`));
            expect(out.crlUrl).toBe(`https://identity-${stage}-pki-${ACCOUNT_ID}-us-east-1.s3.us-east-1.amazonaws.com/.well-known/crl.pem`);
            expect(out.trustBundleUrl).toBe(`https://identity-${stage}-pki-${ACCOUNT_ID}-us-east-1.s3.us-east-1.amazonaws.com/spire/bundle.json`);
            expect(out.spireServerAddress).toBe(`${NLB_DNS}:8081`);
            expect(out.serverConfigParameterName).toBe(`/rampart/identity/${stage}/spire/server.conf`);
            // The account's provider, looked up (IAM keeps one per URL per account); the stage creates none.
            expect(out.githubOidcProviderArn).toBe("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
            expect(Object.keys(out.roleArns as object)).toEqual(["deploy"]);
            expect(checkEntries(out.registrationEntries as string)).toEqual([]);
            expect(checkAgentConfig(await parse("agent.conf", out.agentConfig as string)).problems).toEqual([]);
            const leaked = strings(out).filter((s) => s.includes(keyBody(RSA_CA.key).slice(0, 64)) || s.includes("PRIVATE KEY"));
            expect(leaked).toEqual([]);
            expect(await pulumi.isSecret(result.rootCaCertificatePem!)).toBe(false);
        });
    }

    it("renders a valid server.conf into a SecureString parameter and delivers it without plain-text secrets", async () => {
        const { recorder } = await build(referenceArgs("production"));
        const parameter = recorder.one(T.parameter);
        expect(parameter.inputs.type).toBe("SecureString");
        expect(parameter.secretPaths).toContain("value");
        expect(parameter.inputs.keyId).toMatch(/spire-config-kms/);
        const parsed = await parse("server.conf", parameter.inputs.value);
        const { problems, plugins } = checkServerConfig(parsed);
        expect(problems).toEqual([]);
        expect(plugins.sort()).toEqual(["BundlePublisher:aws_s3", "DataStore:sql", "KeyManager:aws_kms", "NodeAttestor:aws_iid", "UpstreamAuthority:awssecret"]);
        expect(parsed.plugins[0].DataStore.sql[0].plugin_data[0].connection_string).toBe(`dbname=spire host=${DB_HOST} port=5432 sslmode=require`);
        // Production keeps its signing keys in KMS: nothing secret on the task's storage.
        expect(parsed.plugins[0].KeyManager.aws_kms[0].plugin_data[0]).toEqual({
            region: "us-east-1",
            key_identifier_file: "/var/lib/spire/server/kms-key-id",
            key_policy_file: "/run/spire/config/kms-key-policy.json",
        });

        const [init, server] = containers(recorder.one(T.taskDefinition));
        expect(init.secrets).toEqual([{ name: "SPIRE_SERVER_CONFIG", valueFrom: parameter.state.arn }]);
        expect(init.command[2]).toMatch(/printf '%s' "\$SPIRE_SERVER_CONFIG" > \/run\/spire\/config\/server\.conf/);
        // config-init writes the KMS key policy (not secret) next to server.conf; it names the server's own task role.
        expect(init.command[2]).toMatch(/printf '%s' "\$SPIRE_KMS_KEY_POLICY" > \/run\/spire\/config\/kms-key-policy\.json/);
        const keyPolicy = JSON.parse(init.environment.find((e: { name: string }) => e.name === "SPIRE_KMS_KEY_POLICY").value);
        expect(keyPolicy.Statement.map((st: { Principal: { AWS: string } }) => st.Principal.AWS)).toEqual([
            `arn:aws:iam::${ACCOUNT_ID}:role/${recorder.one(T.role, "identity-spire-task").inputs.name}`,
            `arn:aws:iam::${ACCOUNT_ID}:root`,
        ]);
        expect(server.dependsOn).toEqual([{ containerName: "config-init", condition: "SUCCESS" }]);
        expect(server.command).toEqual(["-config", "/run/spire/config/server.conf"]);
        expect(server.secrets).toEqual([
            { name: "PGUSER", valueFrom: `${DB_SECRET_ARN}:username::` },
            { name: "PGPASSWORD", valueFrom: `${DB_SECRET_ARN}:password::` },
        ]);
        expect(server.environment).toBeUndefined();
        expect(server.image).toBe("ghcr.io/spiffe/spire-server:1.13.3");
    });

    it("reconciles seed 004's registration entries once the server is healthy, in an essential container", async () => {
        const { recorder, result } = await build(referenceArgs("ephemeral"));
        const task = recorder.one(T.taskDefinition);
        const defs = containers(task);
        expect(defs.map((c) => c.name)).toEqual(["config-init", "spire-server", "entries-reconciler"]);
        const [init, , reconciler] = defs;
        // config-init leaves its static busybox (and applet links) for the shell-less SPIRE image.
        expect(init.image).toBe("public.ecr.aws/docker/library/busybox:1.37.0-musl");
        expect(init.command[2]).toContain("cp /bin/busybox /run/spire/tools/busybox");
        expect(init.command[2]).toContain("/run/spire/tools/busybox --install -s /run/spire/tools/bin");
        expect(init.environment).toEqual([]);
        expect(reconciler.image).toBe("ghcr.io/spiffe/spire-server:1.13.3");
        expect(reconciler.essential).toBe(true);
        expect(reconciler.entryPoint).toEqual(["/run/spire/tools/busybox", "sh", "-c"]);
        expect(reconciler.environment).toEqual([{ name: "PATH", value: "/run/spire/tools/bin" }]);
        expect(reconciler.dependsOn).toEqual([{ containerName: "spire-server", condition: "HEALTHY" }]);
        expect(reconciler.mountPoints).toEqual([
            { sourceVolume: "spire-socket", containerPath: "/tmp/spire-server/private", readOnly: false },
            { sourceVolume: "spire-tools", containerPath: "/run/spire/tools", readOnly: true },
        ]);
        expect(task.inputs.volumes).toContainEqual({ name: "spire-tools" });
        const entries = JSON.parse((await resolve(result.registrationEntries))!);
        const script: string = reconciler.command[0];
        expect(script).toBe(
            renderReconcileScript(entries.entries, { spireServer: "/opt/spire/bin/spire-server", socketPath: "/tmp/spire-server/private/api.sock", stayRunning: true }),
        );
        expect(entries.entries.map((e: any) => e.entry_id)).toEqual(["rampart.node.agents-all", ...["metald", "billaged", "builderd", "assetmanagerd"].map((n) => `rampart.workload.${n}`)]);
        expect(entries.entries.map((e: any) => e.spiffe_id)).toEqual([
            "spiffe://unkey.cloud/agents/all",
            ...["metald", "billaged", "builderd", "assetmanagerd"].map((n) => `spiffe://unkey.cloud/service/${n}`),
        ]);
        expect(entries.entries.flatMap((e: any) => e.selectors.map((s: any) => `${s.type}:${s.value}`)).filter((s: string) => s.startsWith("systemd:"))).toEqual(
            ["metald", "billaged", "builderd", "assetmanagerd"].map((n) => `systemd:id:${n}.service`),
        );
    });

    it("serves Prometheus metrics on all interfaces, on the port the security group opens and the task maps", async () => {
        const { recorder } = await build({ ...referenceArgs("ephemeral"), spire: { ...referenceArgs("ephemeral").spire!, telemetryPort: 9100 } });
        const parsed = await parse("server.conf", recorder.one(T.parameter).inputs.value);
        expect(parsed.telemetry[0].Prometheus[0]).toEqual({ host: "0.0.0.0", port: 9100 });
        const rule = recorder.byType(T.ingress).find((r) => r.inputs.description === "Prometheus metrics")!;
        expect(rule.inputs).toMatchObject({ fromPort: 9100, toPort: 9100 });
        expect(containers(recorder.one(T.taskDefinition))[1].portMappings).toContainEqual({ containerPort: 9100, protocol: "tcp" });
    });

    it("has no reconciler (and no tools volume) without workloads", async () => {
        const { recorder } = await build({ ...referenceArgs("ephemeral"), workloads: undefined });
        const task = recorder.one(T.taskDefinition);
        expect(containers(task).map((c) => c.name)).toEqual(["config-init", "spire-server"]);
        expect(task.inputs.volumes).not.toContainEqual({ name: "spire-tools" });
    });

    it("gives inputs that are the same on every run (no timestamps, nothing random)", async () => {
        const first = (await build(referenceArgs("production"))).recorder.resources;
        const second = (await build(referenceArgs("production"))).recorder.resources;
        expect(second.map((r) => r.name)).toEqual(first.map((r) => r.name));
        for (const r of first) {
            const again = second.find((x) => x.name === r.name && x.type === r.type)!;
            expect(again.inputs, `${r.type} ${r.name}`).toEqual(r.inputs);
        }
    });

    it("registers nothing when the arguments are invalid", async () => {
        const recorder = await ResourceRecorder.start();
        expect(() => new ZeroTrustIdentity("identity", { ...referenceArgs("ephemeral"), trustDomain: "Bad Domain" })).toThrow(/trustDomain: got "Bad Domain"/);
        await recorder.settle();
        expect(recorder.resources).toEqual([]);
    });

    it("previews with unknown values without failing the guardrails", async () => {
        const { recorder } = await build(referenceArgs("production"), undefined, true);
        expect(recorder.byType(T.service)).toHaveLength(1);
        guardrails(recorder, "production");
    });
});

describe("trustRoot", () => {
    it("generated: RSA 4096 CA kept stable, KMS-encrypted secrets, the key only ever secret", async () => {
        const { recorder } = await build({ stage: "dev", trustRoot: { commonName: "skreg Root CA", organization: "skreg", validityYears: 10 } });
        guardrails(recorder, "ephemeral");
        const key = recorder.one(T.key);
        expect(key.inputs).toMatchObject({ algorithm: "RSA", rsaBits: 4096 });
        expect(key.options.ignoreChanges).toEqual(["algorithm", "rsaBits", "ecdsaCurve"]);
        const cert = recorder.one(T.cert);
        expect(cert.inputs).toMatchObject({
            isCaCertificate: true,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            validityPeriodHours: 87660,
            subject: { commonName: "skreg Root CA", organization: "skreg" },
            setSubjectKeyId: true,
            earlyRenewalHours: 0,
        });
        expect(cert.secretPaths).toEqual(["privateKeyPem"]);
        expect(cert.options.ignoreChanges).toEqual(expect.arrayContaining(["subject", "validityPeriodHours", "allowedUses", "isCaCertificate"]));
        const kms = recorder.one(T.kms);
        expect(kms.inputs.enableKeyRotation).toBe(true);
        const secrets = recorder.byType(T.secret);
        expect(secrets.map((s) => s.inputs.kmsKeyId)).toEqual([kms.state.arn, kms.state.arn]);
        expect(secrets.map((s) => s.inputs.recoveryWindowInDays)).toEqual([0, 0]);
        const certVersion = recorder.one(T.secretVersion, "identity-root-ca-certificate-version");
        const keyVersion = recorder.one(T.secretVersion, "identity-root-ca-private-key-version");
        expect(certVersion.inputs.secretString).toBe(RSA_CA.cert);
        expect(keyVersion.inputs.secretString).toBe(RSA_CA.key);
        expect(keyVersion.secretPaths).toEqual(["secretString"]);
        expect(keyVersion.options.additionalSecretOutputs).toContain("secretString");
        expect(recorder.byType(T.bucket)).toEqual([]); // no CRL, no SPIRE: nothing published
    });

    it("production keeps the root: retained on destroy, 30-day recovery windows", async () => {
        const { recorder } = await build({ stage: "prod", profile: "production" as never, trustRoot: {} });
        guardrails(recorder, "production");
        expect(recorder.byType(T.secret).map((s) => [s.inputs.recoveryWindowInDays, s.options.retainOnDelete])).toEqual([
            [30, true],
            [30, true],
        ]);
        expect(recorder.one(T.kms).options.retainOnDelete).toBe(true);
        expect(recorder.one(T.kms).inputs.deletionWindowInDays).toBe(30);
    });

    it("crl: publishes an empty CRL signed by the ECDSA P-384 root in a private bucket, once", async () => {
        const { recorder, result } = await build({ stage: "dev", trustRoot: { keyAlgorithm: KeyAlgorithm.EcdsaP384, crl: true } });
        guardrails(recorder, "ephemeral", [EC_CA.key]);
        expect(recorder.one(T.key).inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P384" });
        const object = recorder.one(T.object);
        expect(object.inputs.key).toBe(".well-known/crl.pem");
        expect(object.secretPaths).toEqual([]);
        expect(object.options.ignoreChanges).toEqual(["content"]);
        const crl = derChildren(readDer(pemToDer(object.inputs.content, "X509 CRL")));
        expect(verify("sha384", crl[0].raw, createPublicKey(EC_CA.cert), crl[2].value.subarray(1))).toBe(true);
        expect(await resolve(result.crlUrl)).toBe(`https://identity-dev-pki-${ACCOUNT_ID}-us-east-1.s3.us-east-1.amazonaws.com/.well-known/crl.pem`);
        const bucket = recorder.one(T.bucket);
        expect(bucket.inputs.forceDestroy).toBe(true);
        expect(recorder.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(recorder.one("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
        expect(policy(recorder.one("aws:s3/bucketPolicy:BucketPolicy")).Statement[0]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        // S3 names are global: the publication bucket's carries the account and the Region; its logical name is kept.
        expect(bucket).toMatchObject({ name: "identity-publication", inputs: { bucket: `identity-dev-pki-${ACCOUNT_ID}-us-east-1` } });
        const lifecycle = recorder.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        expect(lifecycle.inputs.rules.find((r: any) => r.noncurrentVersionExpiration)).toMatchObject({ status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 7 } });
        expect(lifecycle.options.dependencies).toContain(recorder.one("aws:s3/bucketVersioning:BucketVersioning").urn);
    });

    it("publication bucket: one per component, stage, account and Region, within S3's 63 characters; production keeps 90 days of old versions", async () => {
        const scopeOf = (name: string, stage: string) => new ComponentScope({} as pulumi.ComponentResource, name, { stage, profile: Profile.Ephemeral, retainOnDelete: false });
        const names = [
            publicationBucketName(scopeOf("identity", "dev"), "123456789012", "us-east-1"),
            publicationBucketName(scopeOf("identity", "dev"), "210987654321", "us-east-1"),
            publicationBucketName(scopeOf("identity", "dev"), "123456789012", "eu-west-1"),
            publicationBucketName(scopeOf("identity", "prod"), "123456789012", "us-east-1"),
        ];
        expect(new Set(names).size).toBe(names.length);
        const long = (suffix: string) => publicationBucketName(scopeOf(`workload-identity-platform-${suffix}`, "pr-1234"), "123456789012", "ap-southeast-2");
        expect([long("a"), long("b")].map((n) => n.length)).toEqual([63, 63]);
        expect(long("a")).not.toBe(long("b"));
        expect(long("a")).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
        const { recorder } = await build({ stage: "prod", profile: "production" as never, trustRoot: { crl: true } });
        const lifecycle = recorder.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        expect(lifecycle.inputs.rules.find((r: any) => r.noncurrentVersionExpiration).noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
        expect(recorder.one(T.bucket)).toMatchObject({ inputs: { bucket: `identity-prod-pki-${ACCOUNT_ID}-us-east-1`, forceDestroy: false }, options: { retainOnDelete: true } });
    });

    it("awsPrivateCa: references the CA, creates no key, and scopes SPIRE's upstream authority to it", async () => {
        const ca = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
        const { recorder, result } = await build({
            stage: "dev",
            trustDomain: "unkey.cloud",
            trustRoot: { mode: TrustRootMode.AwsPrivateCa, privateCaArn: ca },
            spire: { vpcId: VPC_ID, subnetIds: SUBNETS, allowedCidrBlocks: ["10.0.0.0/16"] },
        });
        guardrails(recorder, "ephemeral");
        expect(recorder.byType(T.key)).toEqual([]);
        expect(recorder.byType(T.secret)).toEqual([]);
        expect(await resolve(result.rootCaKeySecretArn)).toBeUndefined();
        const conf = await parse("server.conf", recorder.one(T.parameter).inputs.value);
        expect(conf.plugins[0].UpstreamAuthority.aws_pca[0].plugin_data[0]).toEqual({ region: "us-east-1", certificate_authority_arn: ca });
        const task = policy(recorder.one(T.rolePolicy, "identity-spire-task-policy"));
        const pcaStatements = task.Statement.filter((s: any) => s.Action.some((a: string) => a.startsWith("acm-pca:")));
        expect(pcaStatements.map((s: any) => [s.Action, s.Resource])).toEqual([
            [["acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificate"], ca],
            [["acm-pca:IssueCertificate"], ca],
        ]);
    });

    it("existing: references the two secrets, and SPIRE may read exactly those", async () => {
        const cert = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/root-ca-cert-AbC1Ef";
        const key = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/root-ca-key-AbC1Ef";
        onTestFinished(setAccountAdoptables({ secrets: { [cert]: RSA_CA.cert } }));
        const { recorder, result } = await build({
            stage: "dev",
            trustDomain: "unkey.cloud",
            trustRoot: { mode: TrustRootMode.Existing, certificateSecretArn: cert, privateKeySecretArn: key },
            spire: { vpcId: VPC_ID, subnetIds: SUBNETS, allowedCidrBlocks: ["10.0.0.0/16"] },
        });
        guardrails(recorder, "ephemeral");
        expect(await resolve(result.rootCaCertificateSecretArn)).toBe(cert);
        expect(await resolve(result.rootCaKeySecretArn)).toBe(key);
        expect(recorder.byType(T.secret)).toEqual([]);
        const task = policy(recorder.one(T.rolePolicy, "identity-spire-task-policy"));
        expect(task.Statement.find((s: any) => s.Sid === "UpstreamAuthoritySecrets").Resource).toEqual([cert, key]);
        expect(task.Statement.find((s: any) => s.Sid === "UpstreamAuthorityKey")).toBeUndefined();
        expect(await resolve(result.rootCaCertificatePem)).toBe(RSA_CA.cert);
        const conf = await parse("server.conf", recorder.one(T.parameter).inputs.value);
        expect(conf.plugins[0].UpstreamAuthority.awssecret[0].plugin_data[0].bundle_file_arn).toBeUndefined();
    });

    it("existing intermediate with a customer-managed key: bundle_file_arn for the roots, kms:Decrypt on that key through Secrets Manager only", async () => {
        const cert = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/intermediate-cert-AbC1Ef";
        const key = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/intermediate-key-AbC1Ef";
        const bundle = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/roots-AbC1Ef";
        const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        onTestFinished(setAccountAdoptables({ secrets: { [cert]: INTERMEDIATE_CA.cert, [bundle]: RSA_CA.cert } }));
        const { recorder, result } = await build({
            stage: "dev",
            trustDomain: "unkey.cloud",
            trustRoot: { mode: TrustRootMode.Existing, certificateSecretArn: cert, privateKeySecretArn: key, bundleSecretArn: bundle, kmsKeyArn },
            spire: { vpcId: VPC_ID, subnetIds: SUBNETS, allowedCidrBlocks: ["10.0.0.0/16"] },
        });
        guardrails(recorder, "ephemeral");
        const conf = await parse("server.conf", recorder.one(T.parameter).inputs.value);
        expect(conf.plugins[0].UpstreamAuthority.awssecret[0].plugin_data[0]).toEqual({ region: "us-east-1", cert_file_arn: cert, key_file_arn: key, bundle_file_arn: bundle });
        expect(checkServerConfig(conf).problems).toEqual([]);
        const task = policy(recorder.one(T.rolePolicy, "identity-spire-task-policy"));
        expect(task.Statement.find((s: any) => s.Sid === "UpstreamAuthoritySecrets").Resource).toEqual([cert, key, bundle]);
        expect(task.Statement.find((s: any) => s.Sid === "UpstreamAuthorityKey")).toEqual({
            Sid: "UpstreamAuthorityKey",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
        });
        // Agents bootstrap from the root, not from the intermediate.
        expect(await resolve(result.rootCaCertificatePem)).toBe(RSA_CA.cert);
        expect(recorder.byType(T.secret)).toEqual([]);
    });

    it("existing intermediate without its roots is refused at preview, before the configuration parameter exists", async () => {
        const cert = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/intermediate-cert-AbC1Ef";
        const key = "arn:aws:secretsmanager:us-east-1:123456789012:secret:pki/intermediate-key-AbC1Ef";
        onTestFinished(setAccountAdoptables({ secrets: { [cert]: INTERMEDIATE_CA.cert } }));
        const failing = await recordFailing(
            () =>
                new ZeroTrustIdentity("identity", {
                    stage: "dev",
                    trustDomain: "unkey.cloud",
                    trustRoot: { mode: TrustRootMode.Existing, certificateSecretArn: cert, privateKeySecretArn: key },
                    spire: { vpcId: VPC_ID, subnetIds: SUBNETS },
                }),
        );
        expect([...new Set(failing.errors.map((e) => e.message))]).toEqual([
            expect.stringContaining(
                "trustRoot.bundleSecretArn: nothing, while certificateSecretArn holds an intermediate CA (CN=rampart test intermediate CA, issued by CN=unkey.cloud Root CA, O=Rampart Test); the Secrets Manager ARN of the PEM root certificate(s)",
            ),
        ]);
        expect(failing.recorder.byType(T.parameter)).toEqual([]);
    });

    it("production with a generated root warns that its key is in Pulumi state; the other modes and ephemeral do not", async () => {
        const warn = vi.spyOn(pulumi.log, "warn");
        onTestFinished(() => warn.mockRestore());
        await build(referenceArgs("production"));
        const warnings = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("root CA's private key"));
        expect(warnings()).toEqual([GENERATED_ROOT_IN_STATE_WARNING("identity")]);
        expect(warnings()[0]).toMatch(/in Pulumi state .* trustRoot\.mode awsPrivateCa .* or existing/);
        warn.mockClear();
        await build(referenceArgs("ephemeral"));
        const ca = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012";
        await build({ stage: "prod", profile: "production" as never, trustDomain: "unkey.cloud", trustRoot: { mode: TrustRootMode.AwsPrivateCa, privateCaArn: ca } });
        expect(warnings()).toEqual([]);
    });
});

describe("spire", () => {
    const spire = { vpcId: VPC_ID, subnetIds: SUBNETS, allowedCidrBlocks: ["10.0.0.0/16", "10.1.0.0/16"] };

    it("runs private Fargate tasks behind an internal NLB on 8081 with HTTP health checks on 8080 /ready", async () => {
        const { recorder } = await build({ stage: "dev", trustDomain: "unkey.cloud", spire });
        guardrails(recorder, "ephemeral");
        const service = recorder.one(T.service);
        expect(service.inputs).toMatchObject({
            launchType: "FARGATE",
            desiredCount: 1,
            deploymentMinimumHealthyPercent: 0,
            deploymentMaximumPercent: 100,
            networkConfiguration: { subnets: SUBNETS, assignPublicIp: false },
        });
        expect(service.inputs.loadBalancers).toEqual([{ targetGroupArn: recorder.one(T.targetGroup).state.arn, containerName: "spire-server", containerPort: 8081 }]);
        expect(recorder.one(T.nlb).inputs).toMatchObject({ internal: true, loadBalancerType: "network", subnets: SUBNETS, enableDeletionProtection: false });
        expect(recorder.one(T.targetGroup).inputs).toMatchObject({
            port: 8081,
            protocol: "TCP",
            targetType: "ip",
            preserveClientIp: "true",
            healthCheck: { protocol: "HTTP", port: "8080", path: "/ready", matcher: "200" },
        });
        expect(recorder.one(T.listener).inputs).toMatchObject({ port: 8081, protocol: "TCP" });
        const agentRules = recorder.byType(T.ingress).filter((r) => r.inputs.fromPort === 8081);
        expect(agentRules.map((r) => r.inputs.cidrIpv4)).toEqual(["10.0.0.0/16", "10.1.0.0/16"]);
        expect(recorder.byType(T.ingress).some((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")).toBe(false);
        const task = recorder.one(T.taskDefinition);
        expect(task.inputs).toMatchObject({ networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512" });
        for (const c of containers(task)) {
            expect(c.readonlyRootFilesystem, c.name).toBe(true);
            expect(c.logConfiguration.logDriver, c.name).toBe("awslogs");
        }
        const server = containers(task)[1];
        expect(server.healthCheck.command).toEqual(["CMD", "/opt/spire/bin/spire-server", "healthcheck"]);
        expect(server.portMappings.map((p: any) => p.containerPort)).toEqual([8081, 8080, 9988]);
    });

    it("grants the task role aws_iid, the two root secrets (and their key), and the bundle object, nothing else", async () => {
        const { recorder } = await build({ stage: "dev", trustDomain: "unkey.cloud", spire });
        const task = policy(recorder.one(T.rolePolicy, "identity-spire-task-policy"));
        const certSecret = recorder.one(T.secret, "identity-root-ca-certificate");
        const keySecret = recorder.one(T.secret, "identity-root-ca-private-key");
        const rootKms = recorder.byType(T.kms).find((k) => k.name === "identity-root-ca-kms")!;
        expect(task.Statement.map((s: any) => [s.Sid, s.Action, s.Resource])).toEqual([
            ["AwsIidDescribeInstances", ["ec2:DescribeInstances"], "*"],
            ["AwsIidInstanceProfiles", ["iam:GetInstanceProfile"], `arn:aws:iam::${ACCOUNT_ID}:instance-profile/*`],
            ["UpstreamAuthoritySecrets", ["secretsmanager:GetSecretValue"], [certSecret.state.arn, keySecret.state.arn]],
            ["UpstreamAuthorityKey", ["kms:Decrypt"], rootKms.state.arn],
            ["PublishTrustBundle", ["s3:PutObject"], `arn:aws:s3:::identity-dev-pki-${ACCOUNT_ID}-us-east-1/spire/bundle.json`],
        ]);
        const trust = policy(recorder.one(T.role, "identity-spire-task"), "assumeRolePolicy");
        expect(trust.Statement[0]).toMatchObject({ Principal: { Service: "ecs-tasks.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } });
    });

    it("production: three servers on a shared RDS datastore reachable only from the servers", async () => {
        const { recorder } = await build({ stage: "prod", profile: "production" as never, trustDomain: "unkey.cloud", spire: { ...spire, datastore: { create: true } } });
        guardrails(recorder, "production");
        expect(recorder.one(T.service).inputs).toMatchObject({ desiredCount: 3, deploymentMinimumHealthyPercent: 100, deploymentMaximumPercent: 200 });
        expect(recorder.one(T.nlb).inputs.enableDeletionProtection).toBe(true);
        const db = recorder.one(T.rds);
        expect(db.inputs).toMatchObject({
            engine: "postgres",
            storageEncrypted: true,
            manageMasterUserPassword: true,
            publiclyAccessible: false,
            multiAz: true,
            deletionProtection: true,
            backupRetentionPeriod: 7,
            skipFinalSnapshot: false,
        });
        expect(db.inputs.password).toBeUndefined();
        const dbSg = recorder.resources.find((r) => r.name === "identity-spire-db-sg")!;
        const dbRules = recorder.byType(T.ingress).filter((r) => r.inputs.securityGroupId === dbSg.state.id);
        expect(dbRules.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4])).toEqual([[5432, recorder.resources.find((r) => r.name === "identity-spire-sg")!.state.id, undefined]]);
        const execution = policy(recorder.one(T.rolePolicy, "identity-spire-execution-policy"));
        expect(execution.Statement.find((s: any) => s.Sid === "DatastoreSecrets").Resource).toBe(DB_SECRET_ARN);
        expect(recorder.one(T.taskDefinition).inputs).toMatchObject({ cpu: "512", memory: "1024" });
    });

    it("production keeps no state on the task: PostgreSQL by default, signing keys in KMS with a task policy scoped to SPIRE's keys", async () => {
        // No datastore given: production creates the RDS datastore (ephemeral would run sqlite on the task).
        const { recorder } = await build({ stage: "prod", profile: "production" as never, trustDomain: "unkey.cloud", spire });
        guardrails(recorder, "production");
        expect(recorder.one(T.rds).inputs).toMatchObject({ engine: "postgres", multiAz: true, deletionProtection: true });
        const conf = await parse("server.conf", recorder.one(T.parameter).inputs.value);
        expect(conf.plugins[0].DataStore.sql[0].plugin_data[0].database_type).toBe("postgres");
        expect(Object.keys(conf.plugins[0].KeyManager)).toEqual(["aws_kms"]);
        const task = policy(recorder.one(T.rolePolicy, "identity-spire-task-policy"));
        const kms = task.Statement.filter((st: any) => st.Action.some((a: string) => a.startsWith("kms:")) && st.Sid.startsWith("KeyManager"));
        expect(kms).toEqual([
            {
                Sid: "KeyManagerCreateKey",
                Effect: "Allow",
                Action: ["kms:CreateKey"],
                Resource: "*",
                // The generated root is RSA 4096, and SPIRE's CA and JWT keys are ec-p256 (ca_key_type).
                Condition: { StringEquals: { "kms:KeyUsage": "SIGN_VERIFY", "kms:KeySpec": "ECC_NIST_P256", "kms:KeyOrigin": "AWS_KMS" }, Bool: { "kms:MultiRegion": "false" } },
            },
            { Sid: "KeyManagerList", Effect: "Allow", Action: ["kms:ListAliases", "kms:ListKeys"], Resource: "*" },
            {
                Sid: "KeyManagerAliases",
                Effect: "Allow",
                Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
                Resource: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:alias/SPIRE_SERVER/unkey_cloud/*`,
            },
            { Sid: "KeyManagerDescribeKeys", Effect: "Allow", Action: ["kms:DescribeKey"], Resource: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/*` },
        ]);
        // Ephemeral: sqlite and a keys file on the task (documented as lost with it), and no KMS permissions.
        const ephemeral = (await build({ stage: "dev", trustDomain: "unkey.cloud", spire })).recorder;
        expect(ephemeral.byType(T.rds)).toEqual([]);
        const ephemeralConf = await parse("server.conf", ephemeral.one(T.parameter).inputs.value);
        expect(ephemeralConf.plugins[0].DataStore.sql[0].plugin_data[0].database_type).toBe("sqlite3");
        expect(ephemeralConf.plugins[0].KeyManager.disk[0].plugin_data[0].keys_path).toBe("/var/lib/spire/server/keys.json");
        const ephemeralTask = policy(ephemeral.one(T.rolePolicy, "identity-spire-task-policy"));
        expect(ephemeralTask.Statement.filter((st: any) => st.Sid.startsWith("KeyManager"))).toEqual([]);
        expect(containers(ephemeral.one(T.taskDefinition))[0].environment).toEqual([]);
    });

    it("sizes the server task and its log retention from spire.cpu, spire.memory and spire.logRetentionInDays", async () => {
        const { recorder } = await build({ stage: "dev", trustDomain: "unkey.cloud", spire: { ...spire, cpu: 1024, memory: 3072, logRetentionInDays: 30 } });
        guardrails(recorder, "ephemeral");
        expect(recorder.one(T.taskDefinition).inputs).toMatchObject({ cpu: "1024", memory: "3072" });
        expect(recorder.byType("aws:cloudwatch/logGroup:LogGroup").find((g) => /spire-server$/.test(g.inputs.name))!.inputs.retentionInDays).toBe(30);
        // Defaults per profile are unchanged: 256/512 and 7 days for ephemeral.
        const defaults = (await build({ stage: "dev", trustDomain: "unkey.cloud", spire })).recorder;
        expect(defaults.one(T.taskDefinition).inputs).toMatchObject({ cpu: "256", memory: "512" });
        expect(defaults.byType("aws:cloudwatch/logGroup:LogGroup").find((g) => /spire-server$/.test(g.inputs.name))!.inputs.retentionInDays).toBe(7);
    });

    it("an existing connection string secret is injected and expanded by -expandEnv", async () => {
        const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spire-db-AbC1Ef";
        const { recorder } = await build({ stage: "dev", trustDomain: "unkey.cloud", spire: { ...spire, serverCount: 2, datastore: { connectionStringSecretArn: secret } } });
        guardrails(recorder, "ephemeral");
        const server = containers(recorder.one(T.taskDefinition))[1];
        expect(server.command).toEqual(["-config", "/run/spire/config/server.conf", "-expandEnv"]);
        expect(server.secrets).toEqual([{ name: "SPIRE_DATASTORE_CONNECTION", valueFrom: secret }]);
        expect(recorder.one(T.parameter).inputs.value).toContain('connection_string = "${SPIRE_DATASTORE_CONNECTION}"');
        expect(recorder.one(T.service).inputs.desiredCount).toBe(2);
    });

    it("federation: a bundle endpoint listener and federated domains in server.conf", async () => {
        const { recorder } = await build({
            stage: "dev",
            trustDomain: "unkey.cloud",
            spire: { ...spire, federation: { bundleEndpointPort: 8443, federatesWith: [{ trustDomain: "partner.org", bundleEndpointUrl: "https://spire.partner.org:8444" }] } },
        });
        guardrails(recorder, "ephemeral");
        expect(recorder.byType(T.listener).map((l) => l.inputs.port)).toEqual([8081, 8443]);
        expect(recorder.one(T.service).inputs.loadBalancers.map((l: any) => l.containerPort)).toEqual([8081, 8443]);
        expect(recorder.byType(T.egress).map((e) => e.inputs.fromPort)).toEqual([443, 8444]);
        const conf = await parse("server.conf", recorder.one(T.parameter).inputs.value);
        expect(checkServerConfig(conf).problems).toEqual([]);
        expect(Object.keys(conf.server[0].federation[0].federates_with)).toEqual(["partner.org"]);
    });

    it("aws_iid across accounts: the server only assumes the named role in the listed accounts", async () => {
        const { recorder } = await build({
            stage: "dev",
            trustDomain: "unkey.cloud",
            spire: { ...spire, nodeAttestation: { awsIid: { accountIds: ["111111111111", "222222222222"], assumeRoleName: "spire-node-attestor" }, joinToken: true } },
        });
        guardrails(recorder, "ephemeral");
        const task = policy(recorder.one(T.rolePolicy, "identity-spire-task-policy"));
        expect(task.Statement[0]).toEqual({
            Sid: "AwsIidAssumeRole",
            Effect: "Allow",
            Action: ["sts:AssumeRole"],
            Resource: ["arn:aws:iam::111111111111:role/spire-node-attestor", "arn:aws:iam::222222222222:role/spire-node-attestor"],
        });
        expect(task.Statement.some((s: any) => s.Resource === "*")).toBe(false);
        const conf = await parse("server.conf", recorder.one(T.parameter).inputs.value);
        expect(Object.keys(conf.plugins[0].NodeAttestor).sort()).toEqual(["aws_iid", "join_token"]);
    });
});

describe("agents", () => {
    const args = (agents: ZeroTrustIdentityArgs["agents"]): ZeroTrustIdentityArgs => ({
        stage: "dev",
        trustDomain: "unkey.cloud",
        spire: { vpcId: VPC_ID, subnetIds: SUBNETS, allowedCidrBlocks: ["10.0.0.0/16"] },
        agents,
        workloads: SEED_004_WORKLOADS,
    });
    const decodeFiles = (commands: string[]) =>
        Object.fromEntries(
            commands
                .map((c) => /^echo '([A-Za-z0-9+/=]+)' \| base64 -d > (\S+)$/.exec(c))
                .filter((m): m is RegExpExecArray => m !== null)
                .map((m) => [m[2], Buffer.from(m[1], "base64").toString("utf8")]),
        );

    it("an SSM command document writes agent.conf and the bootstrap bundle and runs the pinned agent image; an association targets the tag", async () => {
        const { recorder, result } = await build(args({ targetTag: ENROLMENT_TAG }));
        guardrails(recorder, "ephemeral");
        const doc = recorder.one(T.document);
        expect(doc.inputs).toMatchObject({ documentType: "Command", documentFormat: "JSON", targetType: "/AWS::EC2::Instance" });
        const content = JSON.parse(doc.inputs.content);
        expect(content.schemaVersion).toBe("2.2");
        const commands: string[] = content.mainSteps[0].inputs.runCommand;
        const files = decodeFiles(commands);
        expect(files["/etc/spire/agent/agent.conf"]).toBe(await resolve(result.agentConfig));
        expect(files["/etc/spire/agent/bootstrap-bundle.pem"]).toBe(RSA_CA.cert);
        expect(commands).toContain("docker pull ghcr.io/spiffe/spire-agent:1.13.3");
        expect(commands.find((c) => c.startsWith("docker run"))).toMatch(/--pid host --network host --cap-add SYS_PTRACE .*-v \/run\/dbus\/system_bus_socket.* ghcr\.io\/spiffe\/spire-agent:1\.13\.3 -config \/etc\/spire\/agent\/agent\.conf$/);
        expect(recorder.one(T.association).inputs).toMatchObject({ name: doc.state.name, targets: [{ key: "tag:spire-agent", values: ["enabled"] }] });
        const conf = await parse("agent.conf", files["/etc/spire/agent/agent.conf"]);
        expect(conf.agent[0].server_address).toBe(NLB_DNS);
        expect(conf.plugins[0].WorkloadAttestor.unix[0].plugin_data[0]).toEqual({ discover_workload_path: true });
    });

    it("an install script installs the binary and a systemd unit runs it", async () => {
        const script = "curl -sSfL https://example.org/spire-1.13.3.tar.gz | tar -xz -C /opt/spire --strip-components 1";
        const { recorder } = await build(args({ targetTag: ENROLMENT_TAG, installScript: script }));
        const commands: string[] = JSON.parse(recorder.one(T.document).inputs.content).mainSteps[0].inputs.runCommand;
        const files = decodeFiles(commands);
        expect(files["/tmp/rampart-install-spire-agent.sh"]).toBe(script);
        expect(files["/etc/systemd/system/spire-agent.service"]).toMatch(/ExecStart=\/opt\/spire\/bin\/spire-agent run -config \/etc\/spire\/agent\/agent\.conf/);
        expect(commands.slice(-3)).toEqual(["systemctl daemon-reload", "systemctl enable spire-agent", "systemctl restart spire-agent"]);
        expect(commands.some((c) => c.startsWith("docker"))).toBe(false);
    });

    it("warns at preview that the default (Docker) install fails on hosts without Docker, and not with a release or an install script", async () => {
        const warn = vi.spyOn(pulumi.log, "warn");
        onTestFinished(() => warn.mockRestore());
        const dockerWarnings = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("agents install with Docker"));
        await build(args({ targetTag: ENROLMENT_TAG }));
        expect(dockerWarnings()).toEqual([DOCKER_AGENT_INSTALL_WARNING("identity")]);
        expect(dockerWarnings()[0]).toMatch(/Amazon Linux 2023 .* agents\.release/);
        warn.mockClear();
        const release = { url: "https://github.com/spiffe/spire/releases/download/v1.13.3/spire-1.13.3-linux-amd64-musl.tar.gz", sha256: "a".repeat(64) };
        await build(args({ targetTag: ENROLMENT_TAG, release }));
        await build(args({ targetTag: ENROLMENT_TAG, installScript: "true" }));
        expect(dockerWarnings()).toEqual([]);
    });
});

describe("githubOidc and pulumiOidc", () => {
    it("creates the GitHub provider (createProvider) in an account without one, and constrained roles with their policies", async () => {
        onTestFinished(setAccountOidcProviders({}));
        const warn = vi.spyOn(pulumi.log, "warn");
        const { recorder, result } = await build({
            stage: "dev",
            githubOidc: {
                createProvider: true,
                roles: [
                    {
                        name: "ecr-push",
                        repository: "dymocaptin/skreg",
                        branches: ["main"],
                        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser"],
                        inlinePolicies: { extra: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::skreg-dev/*" }] }) },
                        maxSessionHours: 2,
                    },
                    { name: "release", repository: "dymocaptin/skreg", branches: ["release-*"], allowWildcardSubjects: true },
                ],
            },
        });
        guardrails(recorder, "ephemeral");
        const provider = recorder.one(T.oidc);
        expect(provider.inputs).toMatchObject({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
        expect(provider.inputs.thumbprintLists).toBeUndefined();
        const push = recorder.one(T.role, "identity-github-ecr-push");
        expect(push.inputs.name).toBe("identity-dev-ecr-push");
        expect(push.inputs.maxSessionDuration).toBe(7200);
        const trust = policy(push, "assumeRolePolicy");
        expect(trust.Statement[0].Principal).toEqual({ Federated: provider.state.arn });
        expect(trust.Statement[0].Condition.StringEquals).toEqual({
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": ["repo:dymocaptin/skreg:ref:refs/heads/main"],
        });
        expect(recorder.one(T.attachment).inputs).toMatchObject({ role: "identity-dev-ecr-push", policyArn: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser" });
        expect(recorder.one(T.rolePolicy).inputs.name).toBe("extra");
        const release = policy(recorder.one(T.role, "identity-github-release"), "assumeRolePolicy");
        expect(release.Statement[0].Condition).toEqual({
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": ["repo:dymocaptin/skreg:ref:refs/heads/release-*"] },
        });
        expect(warn.mock.calls.map((c) => c[0])).toEqual([expect.stringMatching(/GitHub role "release" admits wildcard subjects "repo:dymocaptin\/skreg:ref:refs\/heads\/release-\*"/)]);
        expect(await resolve(result.githubOidcProviderArn)).toBe(provider.state.arn);
        expect(Object.keys((await resolve(result.roleArns))!)).toEqual(["ecr-push", "release"]);
    });

    it("looks up the account's GitHub and Pulumi providers by default and creates none", async () => {
        const { recorder, result } = await build({
            stage: "pr-7",
            githubOidc: { roles: [{ name: "ci", repository: "org/repo", branches: ["main"] }] },
            pulumiOidc: { organization: "acme", roles: [{ name: "deploy", project: "authz" }] },
        });
        guardrails(recorder, "ephemeral");
        expect(recorder.byType(T.oidc)).toEqual([]);
        const federated = recorder.byType(T.role).map((r) => policy(r, "assumeRolePolicy").Statement[0].Principal.Federated);
        expect(federated.sort()).toEqual(["arn:aws:iam::123456789012:oidc-provider/api.pulumi.com/oidc", "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]);
        expect(await resolve(result.githubOidcProviderArn)).toBe("arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
    });

    it("aws_iid with another account and no role to assume is refused at preview: the configuration parameter is never created", async () => {
        const spireArgs = referenceArgs("ephemeral").spire!;
        const foreign = await recordFailing(() => new ZeroTrustIdentity("identity", { ...referenceArgs("ephemeral"), spire: { ...spireArgs, nodeAttestation: { awsIid: { accountIds: ["111111111111"] } } } }));
        // One error (each Output that depends on the check rejects with it).
        expect([...new Set(foreign.errors.map((e) => e.message))]).toEqual([
            expect.stringContaining(
                'spire.nodeAttestation.awsIid.assumeRoleName: no role name, with accountIds ["111111111111"] while the SPIRE server runs in account 123456789012; the name of a role in 111111111111',
            ),
        ]);
        expect(foreign.recorder.byType(T.parameter)).toEqual([]);
        const own = await recordFailing(() => new ZeroTrustIdentity("identity", { ...referenceArgs("ephemeral"), spire: { ...spireArgs, nodeAttestation: { awsIid: { accountIds: [ACCOUNT_ID] } } } }));
        expect(own.errors).toEqual([]);
        expect(own.recorder.byType(T.parameter)).toHaveLength(1);
    });

    it("spire.subnetIds as an Output of a list (another component's privateSubnetIds): the servers and load balancer get the resolved list", async () => {
        const spireArgs = referenceArgs("ephemeral").spire!;
        const { recorder } = await build({ ...referenceArgs("ephemeral"), spire: { ...spireArgs, subnetIds: pulumi.output(SUBNETS) } });
        expect(recorder.one(T.nlb).inputs.subnets).toEqual(SUBNETS);
        expect(recorder.one(T.service).inputs.networkConfiguration.subnets).toEqual(SUBNETS);
    });

    it("spire.subnetIds as an Output is checked when it resolves: one subnet for an RDS datastore is refused and no DB subnet group is created", async () => {
        const spireArgs = referenceArgs("ephemeral").spire!;
        const args = { ...referenceArgs("ephemeral"), spire: { ...spireArgs, serverCount: 1, datastore: { create: true }, subnetIds: pulumi.output(["subnet-0a"]) } };
        // Nothing to refuse while the list is unknown: construction goes ahead.
        const failing = await recordFailing(() => new ZeroTrustIdentity("identity", args));
        expect([...new Set(failing.errors.map((e) => e.message))]).toEqual([
            'ZeroTrustIdentity "identity" has an invalid argument:\n  ZeroTrustIdentity "identity": spire.subnetIds: got ["subnet-0a"]; an RDS datastore needs private subnets in at least two availability zones',
        ]);
        expect(failing.recorder.byType("aws:rds/subnetGroup:SubnetGroup")).toEqual([]);
        expect(failing.recorder.byType(T.nlb)).toEqual([]);
        // The same list given as a plain value is refused at construction, with the same line.
        expect(() => new ZeroTrustIdentity("identity", { ...args, spire: { ...args.spire, subnetIds: ["subnet-0a"] } })).toThrow(
            'spire.subnetIds: got ["subnet-0a"]; an RDS datastore needs private subnets in at least two availability zones',
        );
        const fine = await recordFailing(() => new ZeroTrustIdentity("identity", { ...args, spire: { ...args.spire, subnetIds: pulumi.output(SUBNETS) } }));
        expect(fine.errors).toEqual([]);
        expect(fine.recorder.byType("aws:rds/subnetGroup:SubnetGroup")).toHaveLength(1);
    });

    it("a provider to create and one to reuse at once is refused", async () => {
        await expect(
            build({ stage: "dev", githubOidc: { createProvider: true, providerArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", roles: [{ name: "ci", repository: "org/repo", branches: ["main"] }] } }),
        ).rejects.toThrow(/githubOidc\.createProvider: got true; either createProvider \(this stack creates the account's provider\) or providerArn/);
    });

    it("uses the account's existing GitHub provider when given", async () => {
        const existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const { recorder, result } = await build({ stage: "dev", githubOidc: { providerArn: existing, roles: [{ name: "ci", repository: "org/repo", pullRequests: true }] } });
        guardrails(recorder, "ephemeral");
        expect(recorder.byType(T.oidc)).toEqual([]);
        expect(policy(recorder.one(T.role), "assumeRolePolicy").Statement[0].Principal).toEqual({ Federated: existing });
        expect(await resolve(result.githubOidcProviderArn)).toBe(existing);
    });

    it("Pulumi Deployments: provider (created on request) with the organization as audience, roles scoped by project and stack", async () => {
        onTestFinished(setAccountOidcProviders({}));
        const { recorder } = await build({
            stage: "dev",
            pulumiOidc: { organization: "acme", createProvider: true, roles: [{ name: "deploy", project: "authz", stacks: ["pr-1", "dev"], managedPolicyArns: ["arn:aws:iam::123456789012:policy/authz-deploy"] }] },
        });
        guardrails(recorder, "ephemeral");
        expect(recorder.one(T.oidc).inputs).toMatchObject({ url: "https://api.pulumi.com/oidc", clientIdLists: ["acme"] });
        const trust = policy(recorder.one(T.role), "assumeRolePolicy");
        expect(trust.Statement[0].Condition).toEqual({
            StringEquals: { "api.pulumi.com/oidc:aud": "acme" },
            StringLike: { "api.pulumi.com/oidc:sub": ["pulumi:deploy:org:acme:project:authz:stack:pr-1:operation:*", "pulumi:deploy:org:acme:project:authz:stack:dev:operation:*"] },
        });
    });
});

describe("Unkey-style three-account chain: management CI role -> executor roles", () => {
    const EXECUTOR = "UnkeyPulumiAWSExecutor";
    const accounts = { management: "333769656712", canary: "343218208612", production: "920373003756" };

    it("one component per account, each with its account's provider ({provider} or {providers}); the CI role may assume exactly the executors, which trust exactly it", async () => {
        const { recorder } = await record(() => {
            const providers = Object.fromEntries(
                (["canary", "production"] as const).map((a) => [
                    a,
                    new aws.Provider(`aws-${a}`, { region: "us-east-1", assumeRoles: [{ roleArn: `arn:aws:iam::${accounts[a]}:role/OrganizationAccountAccessRole` }] }),
                ]),
            );
            const management = new ZeroTrustIdentity("management", {
                stage: "global",
                githubOidc: {
                    roles: [
                        {
                            name: "github-actions",
                            roleName: "GitHubActionsOIDCRole",
                            repository: "unkeyed/infra",
                            branches: ["main"],
                            environments: ["canary", "production"],
                            assumableRoleArns: [`arn:aws:iam::${accounts.canary}:role/${EXECUTOR}`, `arn:aws:iam::${accounts.production}:role/${EXECUTOR}`],
                        },
                    ],
                },
            });
            const ciRoleArn = management.roleArns!.apply((arns) => arns["github-actions"]);
            for (const account of ["canary", "production"] as const) {
                new ZeroTrustIdentity(
                    account,
                    {
                        stage: account,
                        executorRoles: [
                            {
                                name: "executor",
                                roleName: EXECUTOR,
                                trustedPrincipalArns: [ciRoleArn],
                                managedPolicyArns: [`arn:aws:iam::${accounts[account]}:policy/UnkeyPulumiPolicy`],
                            },
                        ],
                    },
                    // Both ways of handing a component its provider reach the children it parents.
                    account === "canary" ? { provider: providers[account] } : { providers: [providers[account]] },
                );
            }
        }, { computeState });
        assertGuardrails(recorder.resources, { profile: "production" });

        const ciRole = recorder.one(T.role, "management-github-github-actions");
        expect(ciRole.inputs.name).toBe("GitHubActionsOIDCRole");
        const chain = policy(recorder.one(T.rolePolicy, "management-github-github-actions-assume-roles"));
        expect(chain.Statement).toEqual([
            {
                Sid: "AssumeExecutorRoles",
                Effect: "Allow",
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Resource: [`arn:aws:iam::${accounts.canary}:role/${EXECUTOR}`, `arn:aws:iam::${accounts.production}:role/${EXECUTOR}`],
            },
        ]);
        const ciTrust = policy(ciRole, "assumeRolePolicy");
        expect(ciTrust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([
            "repo:unkeyed/infra:ref:refs/heads/main",
            "repo:unkeyed/infra:environment:canary",
            "repo:unkeyed/infra:environment:production",
        ]);

        const providerResources = recorder.byType("pulumi:providers:aws");
        for (const account of ["canary", "production"] as const) {
            const executor = recorder.one(T.role, `${account}-executor-executor`);
            expect(executor.inputs.name).toBe(EXECUTOR);
            const trust = policy(executor, "assumeRolePolicy");
            expect(trust.Statement).toEqual([{ Sid: "TrustedCallers", Effect: "Allow", Principal: { AWS: ciRole.state.arn }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
            const provider = providerResources.find((p) => p.name === `aws-${account}`)!;
            expect(executor.options.provider.startsWith(provider.urn)).toBe(true);
            const attachment = recorder.byType(T.attachment).find((a) => a.name === `${account}-executor-executor-managed-0`)!;
            expect(attachment.options.provider.startsWith(provider.urn)).toBe(true);
            expect(attachment.inputs.policyArn).toBe(`arn:aws:iam::${accounts[account]}:policy/UnkeyPulumiPolicy`);
        }
        // The management account's resources use the default provider.
        expect(ciRole.options.provider).not.toMatch(/aws-canary|aws-production/);
    });

    it("an executor role with an external id requires it", async () => {
        const { recorder } = await build({
            stage: "dev",
            executorRoles: [{ name: "deploy", trustedPrincipalArns: ["arn:aws:iam::333769656712:role/GitHubActionsOIDCRole"], externalId: "unkey-deploy" }],
        });
        guardrails(recorder, "ephemeral");
        expect(policy(recorder.one(T.role), "assumeRolePolicy").Statement[0].Condition).toEqual({ StringEquals: { "sts:ExternalId": "unkey-deploy" } });
    });
});
