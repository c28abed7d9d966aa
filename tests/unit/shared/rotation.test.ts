/**
 * Redeploy on rotation (provider/src/shared/rotation.ts), through the harness for both components, and a test that
 * rotates: AWS's RotationSucceeded event for the deployed secret goes through the deployed rule's pattern, the
 * target's role, the state machine's definition and its role, and ends in UpdateService(forceNewDeployment) /
 * StartDeployment calls on exactly the services that read the password; the tasks those calls start read the rotated
 * password and connect, while tasks that started before the rotation are refused.
 */
import { describe, expect, it } from "vitest";
import { ServicePlatformArgs } from "../../../provider/src/servicePlatform/args";
import { ZeroTrustIdentity } from "../../../provider/src/zeroTrustIdentity/zeroTrustIdentity";
import { physicalName } from "../../../provider/src/shared/naming";
import { STATES_LOG_DELIVERY_ACTIONS } from "../../../provider/src/shared/iam";
import { redeployDefinition, rotationSucceededPattern } from "../../../provider/src/shared/rotation";
import { matchesEventPattern, rotationSucceededEvent, UnsupportedPatternError } from "../../utils/eventbridge";
import { assertGuardrails } from "../../utils/guardrails";
import { ACCOUNT_ID, record, RecordedResource, REGION, ResourceRecorder } from "../../utils/harness";
import { sdkCalls, SdkCall } from "../../utils/stepFunctions";
import { build, Compute, RDS_SECRET_ARN, skregArgs } from "../servicePlatform/fixtures";
import { computeState as ztiState, DB_SECRET_ARN as SPIRE_SECRET_ARN, referenceArgs, RSA_CA } from "../zeroTrustIdentity/helpers";

const RT = {
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    stateMachine: "aws:sfn/stateMachine:StateMachine",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    ecsService: "aws:ecs/service:Service",
    cluster: "aws:ecs/cluster:Cluster",
    appRunner: "aws:apprunner/service:Service",
} as const;
const ROTATION_TYPES = [RT.rule, RT.target, RT.stateMachine];
const OTHER_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:rds!db-ffff0000-XyZ987`;

const json = (r: RecordedResource, path: string) => JSON.parse(r.inputs[path]);
const policyOf = (rec: ResourceRecorder, role: RecordedResource) => {
    const policies = rec.byType(RT.rolePolicy).filter((p) => p.inputs.role === role.state.id);
    expect(policies, `inline policies of ${role.name}`).toHaveLength(1);
    return json(policies[0], "policy");
};

/** IAM allows `action` on `resource` when an Allow statement names both exactly (the policies here use no patterns). */
function allows(policy: any, action: string, resource: string): boolean {
    return policy.Statement.some(
        (s: any) =>
            s.Effect === "Allow" &&
            [s.Action].flat().some((a: string) => a.toLowerCase() === action.toLowerCase()) &&
            [s.Resource].flat().includes(resource),
    );
}

interface Rotation {
    rule: RecordedResource;
    target: RecordedResource;
    stateMachine: RecordedResource;
    eventsRole: RecordedResource;
    stateMachineRole: RecordedResource;
}

function rotationOf(rec: ResourceRecorder): Rotation {
    const target = rec.one(RT.target);
    const roleByArn = (arn: string) => rec.byType(RT.role).find((r) => r.state.arn === arn)!;
    const stateMachine = rec.one(RT.stateMachine);
    return { rule: rec.one(RT.rule), target, stateMachine, eventsRole: roleByArn(target.inputs.roleArn), stateMachineRole: roleByArn(stateMachine.inputs.roleArn) };
}

/**
 * What happens in the account when Secrets Manager publishes `event`: EventBridge matches the rule, assumes the
 * target's role to start the state machine, which assumes its role and makes its Task states' calls. Each step checks
 * what AWS checks (the pattern, the trust and the permission for the exact ARN); the calls are returned.
 */
function deliver(rec: ResourceRecorder, event: Record<string, unknown>): SdkCall[] {
    const r = rotationOf(rec);
    if (!matchesEventPattern(json(r.rule, "eventPattern"), event)) return [];
    expect(r.target.inputs.rule).toBe(r.rule.inputs.name);
    expect(r.target.inputs.arn).toBe(r.stateMachine.state.arn);
    expect(json(r.eventsRole, "assumeRolePolicy").Statement[0].Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(allows(policyOf(rec, r.eventsRole), "states:StartExecution", r.stateMachine.state.arn), "EventBridge may start the state machine").toBe(true);
    expect(json(r.stateMachineRole, "assumeRolePolicy").Statement[0].Principal).toEqual({ Service: "states.amazonaws.com" });
    const calls = sdkCalls(json(r.stateMachine, "definition"));
    const permissions = policyOf(rec, r.stateMachineRole);
    for (const call of calls) {
        const resource = call.service === "ecs" ? ecsServiceArnOf(rec, call) : String(call.parameters.ServiceArn);
        expect(allows(permissions, call.iamAction, resource), `${call.iamAction} on ${resource}`).toBe(true);
    }
    return calls;
}

/** The ARN of the ECS service an UpdateService call names (cluster ARN + service name), from the recorded services. */
function ecsServiceArnOf(rec: ResourceRecorder, call: SdkCall): string {
    const found = rec.byType(RT.ecsService).filter((s) => s.inputs.cluster === call.parameters.Cluster && s.inputs.name === call.parameters.Service);
    expect(found, `ECS service ${call.parameters.Service} in ${call.parameters.Cluster}`).toHaveLength(1);
    return found[0].state.arn;
}

/**
 * A minimal model of the world after a rotation: the database accepts only the AWSCURRENT password; a task holds the
 * password it read at start (ECS and App Runner inject secrets at start); an UpdateService with forceNewDeployment or
 * an App Runner StartDeployment replaces the service's tasks, which read AWSCURRENT.
 */
function simulate(services: string[], calls: SdkCall[]) {
    let current = "v1";
    const tasks = new Map(services.map((s) => [s, current]));
    const connects = (service: string) => tasks.get(service) === current;
    current = "v2"; // Secrets Manager rotated: RDS now accepts only the new password.
    const before = Object.fromEntries(services.map((s) => [s, connects(s)]));
    for (const call of calls) {
        const redeployed =
            call.action === "UpdateService" && call.parameters.ForceNewDeployment === true
                ? String(call.parameters.Service)
                : call.action === "StartDeployment"
                  ? String(call.parameters.ServiceArn)
                  : undefined;
        if (redeployed !== undefined && tasks.has(redeployed)) tasks.set(redeployed, current);
    }
    return { before, after: Object.fromEntries(services.map((s) => [s, connects(s)])) };
}

describe("EventBridge pattern subset (tests/utils/eventbridge.ts)", () => {
    it("matches exact values and nested objects, requires every named field, and refuses what it does not implement", () => {
        expect(matchesEventPattern({ a: ["x"], b: { c: [1, 2] } }, { a: "x", b: { c: 2, d: 0 }, e: 1 })).toBe(true);
        expect(matchesEventPattern({ a: ["x"] }, { a: ["y", "x"] })).toBe(true);
        expect(matchesEventPattern({ a: ["x"] }, { a: "X" })).toBe(false);
        expect(matchesEventPattern({ a: ["x"], b: { c: [1] } }, { a: "x" })).toBe(false);
        expect(matchesEventPattern({ b: { c: [1] } }, { b: "c" })).toBe(false);
        expect(() => matchesEventPattern({ a: [{ prefix: "x" }] }, { a: "x" })).toThrow(UnsupportedPatternError);
        expect(() => matchesEventPattern({ $or: [] } as never, {})).toThrow(UnsupportedPatternError);
    });

    it("the rotation pattern matches AWS's RotationSucceeded event of its secret only", () => {
        const pattern = rotationSucceededPattern(RDS_SECRET_ARN) as never;
        expect(matchesEventPattern(pattern, rotationSucceededEvent({ secretArn: RDS_SECRET_ARN }))).toBe(true);
        expect(matchesEventPattern(pattern, rotationSucceededEvent({ secretArn: OTHER_SECRET }))).toBe(false);
        for (const eventName of ["RotationStarted", "RotationFailed", "RotationAbandoned", "RotateSecret"]) {
            expect(matchesEventPattern(pattern, rotationSucceededEvent({ secretArn: RDS_SECRET_ARN, eventName })), eventName).toBe(false);
        }
        const apiCall = { ...rotationSucceededEvent({ secretArn: RDS_SECRET_ARN }), "detail-type": "AWS API Call via CloudTrail" };
        expect(matchesEventPattern(pattern, apiCall)).toBe(false);
    });
});

describe("Step Functions interpreter (tests/utils/stepFunctions.ts)", () => {
    it("returns the SDK calls of every Parallel branch and refuses states it does not interpret", () => {
        const definition = redeployDefinition({ partition: "aws", secretArn: RDS_SECRET_ARN, ecsServices: [{ cluster: "c", serviceName: "s" }], appRunnerServiceArns: ["arn:aws:apprunner:us-east-1:1:service/w/1"] });
        expect(sdkCalls(definition).map((c) => [c.iamAction, c.parameters])).toEqual([
            ["ecs:UpdateService", { Cluster: "c", Service: "s", ForceNewDeployment: true }],
            ["apprunner:StartDeployment", { ServiceArn: "arn:aws:apprunner:us-east-1:1:service/w/1" }],
        ]);
        expect(() => sdkCalls({ StartAt: "x", States: { x: { Type: "Choice", Choices: [] } } })).toThrow(/not interpreted/);
        expect(() => sdkCalls({ StartAt: "x", States: { x: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:1:function:f", End: true } } })).toThrow(/not an AWS SDK/);
    });
});

describe("ServicePlatform on ECS: redeploy on rotation", () => {
    it("exists only with a database and a service that uses it", async () => {
        const noDatabase = await build({ ...skregArgs(), services: [{ name: "api", public: true }], database: undefined }, "skreg");
        const noConsumer = await build({ ...skregArgs(), services: [{ name: "api", public: true }] }, "skreg");
        for (const b of [noDatabase, noConsumer]) for (const type of ROTATION_TYPES) expect(b.all(type), type).toEqual([]);
        // The same builder with a consumer does create them (so the emptiness above is not vacuous).
        const withConsumer = await build(skregArgs(), "skreg");
        for (const type of ROTATION_TYPES) expect(withConsumer.all(type), type).toHaveLength(1);
    });

    it("matches exactly the database's secret and redeploys exactly the services with useDatabase, with exact IAM", async () => {
        const args: ServicePlatformArgs = { ...skregArgs(), services: [...skregArgs().services, { name: "cron", cpu: 256, memory: 512 }] };
        const b = await build(args, "skreg");
        const rec = b.recorder;
        const r = rotationOf(rec);
        expect(r.rule.inputs.name).toBe("skreg-dev-db-rotation");
        expect(json(r.rule, "eventPattern")).toEqual({
            source: ["aws.secretsmanager"],
            "detail-type": ["AWS Service Event via CloudTrail"],
            detail: { eventSource: ["secretsmanager.amazonaws.com"], eventName: ["RotationSucceeded"], additionalEventData: { SecretId: [RDS_SECRET_ARN] } },
        });
        const cluster = rec.one(RT.cluster).state.arn;
        expect(r.stateMachine.inputs).toMatchObject({
            name: "skreg-dev-db-rotation",
            type: "STANDARD",
            loggingConfiguration: { level: "ALL", includeExecutionData: false, logDestination: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/vendedlogs/states/skreg-dev-db-rotation:*` },
        });
        expect(rec.one(RT.logGroup, "skreg-db-rotation-logs").inputs).toMatchObject({ name: "/aws/vendedlogs/states/skreg-dev-db-rotation", retentionInDays: 7 });
        expect(sdkCalls(json(r.stateMachine, "definition")).map((c) => [c.iamAction, c.parameters])).toEqual([
            ["ecs:UpdateService", { Cluster: cluster, Service: "api-dev", ForceNewDeployment: true }],
            ["ecs:UpdateService", { Cluster: cluster, Service: "worker-dev", ForceNewDeployment: true }],
        ]);
        const serviceArn = (name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:service/skreg-dev/${name}`;
        expect(policyOf(rec, r.stateMachineRole)).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "RedeployEcsServices", Effect: "Allow", Action: ["ecs:UpdateService"], Resource: [serviceArn("api-dev"), serviceArn("worker-dev")] },
                { Sid: "DeliverLogs", Effect: "Allow", Action: [...STATES_LOG_DELIVERY_ACTIONS].sort(), Resource: "*" },
            ],
        });
        expect(json(r.stateMachineRole, "assumeRolePolicy").Statement[0].Condition).toEqual({
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:skreg-dev-db-rotation` },
        });
        expect(policyOf(rec, r.eventsRole)).toEqual({
            Version: "2012-10-17",
            Statement: [{ Sid: "StartRedeploy", Effect: "Allow", Action: ["states:StartExecution"], Resource: r.stateMachine.state.arn }],
        });
        expect(json(r.eventsRole, "assumeRolePolicy").Statement[0].Condition).toEqual({ StringEquals: { "aws:SourceAccount": ACCOUNT_ID } });
        assertGuardrails(rec.resources, { profile: "ephemeral" });
    });

    it("rotates: AWS's RotationSucceeded event for the deployed secret redeploys the consumers, whose new tasks connect", async () => {
        const b = await build({ ...skregArgs(), services: [...skregArgs().services, { name: "cron", cpu: 256, memory: 512 }] }, "skreg");
        const rec = b.recorder;
        // The secret the platform deployed, as its output says.
        const deployed = RDS_SECRET_ARN;
        const calls = deliver(rec, rotationSucceededEvent({ secretArn: deployed }));
        expect(calls.map((c) => `${c.action} ${c.parameters.Service} force=${c.parameters.ForceNewDeployment}`)).toEqual([
            "UpdateService api-dev force=true",
            "UpdateService worker-dev force=true",
        ]);
        const { before, after } = simulate(["api-dev", "worker-dev"], calls);
        expect(before).toEqual({ "api-dev": false, "worker-dev": false });
        expect(after).toEqual({ "api-dev": true, "worker-dev": true });
        // Another secret's rotation, or a rotation that failed, starts nothing.
        expect(deliver(rec, rotationSucceededEvent({ secretArn: OTHER_SECRET }))).toEqual([]);
        expect(deliver(rec, rotationSucceededEvent({ secretArn: deployed, eventName: "RotationFailed" }))).toEqual([]);
        // Without the redeploy, the tasks stay on the old password (the model does not pass by itself).
        expect(simulate(["api-dev"], []).after).toEqual({ "api-dev": false });
    });

    it("fits long names into the state machine's 80 and the rule's 64 characters", async () => {
        const long = "a".repeat(60);
        const b = await build({ ...skregArgs(), stage: "feature-rotation-without-outage" }, long);
        const r = rotationOf(b.recorder);
        expect(r.stateMachine.inputs.name.length).toBeLessThanOrEqual(80);
        expect(r.rule.inputs.name.length).toBeLessThanOrEqual(64);
        expect(r.rule.inputs.name).toBe(physicalName("eventBridgeRule", { prefix: long, stage: "feature-rotation-without-outage", suffix: "db-rotation" }));
        expect(r.rule.inputs.name).toMatch(/^[.\-_A-Za-z0-9]+$/);
        expect(r.stateMachine.inputs.name).toMatch(/^[-_A-Za-z0-9]+$/);
    });
});

describe("ServicePlatform on App Runner: redeploy on rotation", () => {
    it("starts a deployment of exactly the services with useDatabase", async () => {
        const b = await build(
            {
                stage: "dev",
                compute: Compute.AppRunner,
                services: [{ name: "web", imageTag: "sha-0a1b2c3", public: true, useDatabase: true }, { name: "static", imageTag: "sha-0a1b2c3", public: true }],
                database: {},
            },
            "combine",
        );
        const rec = b.recorder;
        const web = rec.byType(RT.appRunner).find((s) => s.inputs.serviceName === "combine-dev-web")!;
        const calls = deliver(rec, rotationSucceededEvent({ secretArn: RDS_SECRET_ARN }));
        expect(calls.map((c) => [c.iamAction, c.parameters])).toEqual([["apprunner:StartDeployment", { ServiceArn: web.state.arn }]]);
        expect(policyOf(rec, rotationOf(rec).stateMachineRole).Statement[0]).toEqual({
            Sid: "RedeployAppRunnerServices",
            Effect: "Allow",
            Action: ["apprunner:StartDeployment"],
            Resource: web.state.arn,
        });
        const { before, after } = simulate([web.state.arn], calls);
        expect([before, after]).toEqual([{ [web.state.arn]: false }, { [web.state.arn]: true }]);
        assertGuardrails(rec.resources, { profile: "ephemeral" });
    });
});

describe("ZeroTrustIdentity: SPIRE server redeploy on rotation", () => {
    const zti = (profile: "ephemeral" | "production") => record(() => new ZeroTrustIdentity("identity", referenceArgs(profile)), { computeState: ztiState });

    it("redeploys the SPIRE server when its RDS datastore's password rotated", async () => {
        const { recorder: rec } = await zti("production");
        const spire = rec.one(RT.ecsService);
        const r = rotationOf(rec);
        expect(r.rule.inputs.name).toBe("identity-prod-spire-db-rotation");
        const calls = deliver(rec, rotationSucceededEvent({ secretArn: SPIRE_SECRET_ARN }));
        expect(calls.map((c) => [c.iamAction, c.parameters])).toEqual([["ecs:UpdateService", { Cluster: spire.inputs.cluster, Service: spire.inputs.name, ForceNewDeployment: true }]]);
        expect(policyOf(rec, r.stateMachineRole).Statement[0]).toEqual({ Sid: "RedeployEcsServices", Effect: "Allow", Action: ["ecs:UpdateService"], Resource: spire.state.arn });
        expect(simulate([spire.inputs.name], calls).after).toEqual({ [spire.inputs.name]: true });
        expect(deliver(rec, rotationSucceededEvent({ secretArn: OTHER_SECRET }))).toEqual([]);
        assertGuardrails(rec.resources, { profile: "production", knownSecrets: [RSA_CA.key] });
    });

    it("creates nothing without the RDS datastore", async () => {
        const { recorder: rec } = await zti("ephemeral");
        for (const type of ROTATION_TYPES) expect(rec.byType(type), type).toEqual([]);
    });
});
