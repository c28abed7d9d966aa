import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { checkedSecretValue, secretHandling } from "../../../provider/src/servicePlatform/secrets";
import { assertGuardrails, checkGuardrails } from "../../utils/guardrails";
import { Compute } from "../../../provider/src/servicePlatform";
import { build, containerOf, doc, KMS_KEY_ARN, Profile, RDS_SECRET_ARN, SSM_PARAMETER_ARN, T } from "./fixtures";

const EXISTING = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/stripe-key-Zx81Qa";
const VALUE = "sk_live_51H-this-is-a-secret-value";

describe("secrets", () => {
    it("stores values in Secrets Manager as Pulumi secrets and references ARNs as they are", async () => {
        const b = await build({
            stage: "dev",
            services: [
                {
                    name: "api",
                    secrets: { STRIPE_KEY: EXISTING, SESSION_KEY: VALUE, FLAGS: SSM_PARAMETER_ARN },
                    secretArns: { UPSTREAM_TOKEN: pulumi.output("arn:aws:secretsmanager:us-east-1:123456789012:secret:upstream-Ab12Cd") },
                },
            ],
        });
        const secret = b.one(T.secret);
        expect(secret.inputs).toMatchObject({ name: "app-dev-api/SESSION_KEY", recoveryWindowInDays: 0 });
        const version = b.one(T.secretVersion);
        expect(version.secretPaths).toContain("secretString");
        expect(version.inputs.secretString).toBe(VALUE);
        const container = containerOf(b.one(T.taskDefinition));
        expect(container.secrets).toEqual([
            { name: "FLAGS", valueFrom: SSM_PARAMETER_ARN },
            { name: "SESSION_KEY", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-dev-api/SESSION_KEY-Rnd0m1" },
            { name: "STRIPE_KEY", valueFrom: EXISTING },
            { name: "UPSTREAM_TOKEN", valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:upstream-Ab12Cd" },
        ]);
        expect(container.environment).toEqual([]);
        expect(JSON.stringify(b.recorder.resources.filter((r) => r.type !== T.secretVersion).map((r) => r.inputs))).not.toContain(VALUE);
        assertGuardrails(b.recorder.resources, { profile: "ephemeral", knownSecrets: [VALUE] });
    });

    it("lets each execution role read exactly the secrets its service references (and the CMK only when it protects them)", async () => {
        const b = await build({
            stage: "dev",
            kmsKeyArn: KMS_KEY_ARN,
            database: {},
            services: [
                { name: "api", public: true, useDatabase: true, secrets: { STRIPE_KEY: EXISTING } },
                { name: "worker", secrets: { FLAGS: SSM_PARAMETER_ARN } },
            ],
        });
        const api = doc(b.one(T.rolePolicy, "app-exec-policy-api"));
        const statement = (d: any, sid: string) => d.Statement.find((s: any) => s.Sid === sid);
        expect(statement(api, "ReadSecrets").Resource).toEqual([EXISTING, RDS_SECRET_ARN].sort());
        expect(statement(api, "DecryptSecrets").Resource).toBe(KMS_KEY_ARN);
        const worker = doc(b.one(T.rolePolicy, "app-exec-policy-worker"));
        expect(statement(worker, "ReadSecrets")).toBeUndefined();
        expect(statement(worker, "ReadParameters").Resource).toBe(SSM_PARAMETER_ARN);
        expect(statement(worker, "DecryptSecrets")).toBeUndefined();
        for (const policy of b.all(T.rolePolicy)) expect(JSON.stringify(doc(policy))).not.toMatch(/"Resource":"\*","Sid":"(Read|Decrypt)/);
    });

    it("grants kms:Decrypt on secretsKmsKeyArns to roles that read referenced secrets, and a partial ARN with -??????", async () => {
        const userKey = "arn:aws:kms:us-east-1:210987654321:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
        const partial = "arn:aws:secretsmanager:us-east-1:210987654321:secret:shared/stripe";
        const b = await build({
            stage: "dev",
            secretsKmsKeyArns: [userKey],
            services: [
                { name: "api", public: true, secrets: { STRIPE_KEY: partial } },
                { name: "worker", secrets: { SESSION_KEY: VALUE } },
            ],
        });
        const statement = (d: any, sid: string) => d.Statement.find((s: any) => s.Sid === sid);
        const api = doc(b.one(T.rolePolicy, "app-exec-policy-api"));
        expect(statement(api, "ReadSecrets").Resource).toBe(`${partial}-??????`);
        expect(statement(api, "DecryptSecrets").Resource).toBe(userKey);
        // The worker reads only the secret rampart stores for it (AWS-managed key): nothing of the user's key.
        const worker = doc(b.one(T.rolePolicy, "app-exec-policy-worker"));
        expect(statement(worker, "DecryptSecrets")).toBeUndefined();
        assertGuardrails(b.recorder.resources, { profile: "ephemeral", knownSecrets: [VALUE] });
    });

    it("grants the same to the App Runner instance role, next to the platform's own key", async () => {
        const userKey = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        const b = await build({
            stage: "dev",
            compute: Compute.AppRunner,
            kmsKeyArn: KMS_KEY_ARN,
            secretsKmsKeyArns: [userKey],
            services: [{ name: "api", imageTag: "sha-0a1b2c3", public: true, secrets: { STRIPE_KEY: EXISTING, SESSION_KEY: VALUE } }],
        });
        const policy = doc(b.one(T.rolePolicy, "app-instance-policy-api"));
        expect(policy.Statement.find((s: any) => s.Sid === "DecryptSecrets").Resource).toEqual([KMS_KEY_ARN, userKey].sort());
    });

    it("keeps a recovery window for stored secrets in production", async () => {
        const b = await build({ stage: "prod", profile: Profile.Production, services: [{ name: "worker", secrets: { TOKEN: VALUE } }] });
        expect(b.one(T.secret).inputs.recoveryWindowInDays).toBe(30);
        expect(checkGuardrails(b.recorder.resources, { profile: "production", knownSecrets: [VALUE] })).toEqual([]);
    });

    it("stores values only known at deployment and refuses them at deployment when they are ARNs or empty", () => {
        expect(secretHandling(pulumi.output("x"))).toBe("store");
        expect(secretHandling(EXISTING)).toBe("reference");
        expect(secretHandling("plain")).toBe("store");
        expect(checkedSecretValue("app", "services[0].secrets.X", "v")).toBe("v");
        expect(() => checkedSecretValue("app", "services[0].secrets.X", EXISTING)).toThrow(
            'ServicePlatform "app": services[0].secrets.X: got an ARN known only at deployment; pass ARNs that are outputs of other resources through `secretArns`',
        );
        expect(() => checkedSecretValue("app", "services[0].secrets.X", "")).toThrow(/got an empty value at deployment/);
    });
});
