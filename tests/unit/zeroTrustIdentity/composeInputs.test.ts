/**
 * ZeroTrustIdentity inputs that compose (issue 16 item 2): the arguments users take from other resources accept
 * Outputs (trust policy principals, assumable roles, attesting accounts, images, CIDR items, managed policy items).
 * - Given as Outputs, the children get the resolved values, exactly as if the values had been plain.
 * - Given as plain values, the rendered documents are byte-identical to what rampart rendered before the change
 *   (fixtures/compose-plain-baseline.json, written by the code before the change; `UPDATE_COMPOSE_BASELINE=1`
 *   rewrites it).
 * - A bad value that arrives as an Output (unknown at preview) fails when it resolves with the component's one error
 *   naming the argument path, the same line a plain value gets at preview; the child that would have used it is never
 *   registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { ZeroTrustIdentity, ZeroTrustIdentityArgs } from "../../../provider/src/zeroTrustIdentity";
import { ComponentValidationError } from "../../../provider/src/shared/validation";
import { ACCOUNT_ID, record, ResourceRecorder, withRejectionsCollected } from "../../utils/harness";
import { computeState, referenceArgs } from "./helpers";

const T = {
    parameter: "aws:ssm/parameter:Parameter",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    document: "aws:ssm/document:Document",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

const OTHER_ACCOUNT = "210987654321";
const CI_ROLE_ARN = `arn:aws:iam::${OTHER_ACCOUNT}:role/ci`;
const EXECUTOR_ARN = `arn:aws:iam::${OTHER_ACCOUNT}:role/executor`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT_ID}:policy/deploy`;
const SERVER_IMAGE = `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/spire-server:1.13.3`;
const AGENT_IMAGE = `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/spire-agent@sha256:${"a".repeat(64)}`;
const AGENT_CIDR = "10.20.0.0/16";

/** Every argument this change touches, as plain values. */
function plainArgs(): ZeroTrustIdentityArgs {
    const base = referenceArgs("ephemeral");
    return {
        ...base,
        spire: {
            ...base.spire!,
            serverImage: SERVER_IMAGE,
            allowedCidrBlocks: [AGENT_CIDR],
            nodeAttestation: { awsIid: { accountIds: [ACCOUNT_ID, OTHER_ACCOUNT], assumeRoleName: "spire-attestor" } },
        },
        agents: { ...base.agents!, agentImage: AGENT_IMAGE },
        githubOidc: { roles: [{ ...base.githubOidc!.roles[0], assumableRoleArns: [EXECUTOR_ARN], managedPolicyArns: [POLICY_ARN] }] },
        pulumiOidc: { organization: "acme", roles: [{ name: "deploy-pulumi", project: "infra", managedPolicyArns: [POLICY_ARN] }] },
        executorRoles: [{ name: "executor", trustedPrincipalArns: [CI_ROLE_ARN], managedPolicyArns: [POLICY_ARN] }],
    };
}

/** The same arguments, each taken "from another resource": an Output (of the list, or of each item where the list stays plain). */
function outputArgs(args: ZeroTrustIdentityArgs = plainArgs()): ZeroTrustIdentityArgs {
    const out = <T>(v: T) => pulumi.output(v) as unknown as pulumi.Output<any>;
    return {
        ...args,
        spire: {
            ...args.spire!,
            serverImage: out(args.spire!.serverImage),
            allowedCidrBlocks: args.spire!.allowedCidrBlocks!.map(out),
            nodeAttestation: { awsIid: { ...args.spire!.nodeAttestation!.awsIid!, accountIds: out(args.spire!.nodeAttestation!.awsIid!.accountIds) } },
        },
        agents: { ...args.agents!, agentImage: out(args.agents!.agentImage) },
        githubOidc: {
            roles: args.githubOidc!.roles.map((r) => ({ ...r, assumableRoleArns: out(r.assumableRoleArns), managedPolicyArns: r.managedPolicyArns!.map(out) })),
        },
        pulumiOidc: { ...args.pulumiOidc!, roles: args.pulumiOidc!.roles.map((r) => ({ ...r, managedPolicyArns: r.managedPolicyArns!.map(out) })) },
        executorRoles: args.executorRoles!.map((r) => ({ ...r, trustedPrincipalArns: out(r.trustedPrincipalArns), managedPolicyArns: r.managedPolicyArns!.map(out) })),
    };
}

async function build(args: ZeroTrustIdentityArgs) {
    return record(() => new ZeroTrustIdentity("identity", args), { computeState });
}

/** Runs a program whose inputs fail once an Output resolves; returns the component errors and what was registered. */
async function recordFailing(args: ZeroTrustIdentityArgs) {
    return withRejectionsCollected(async (errors: Error[]) => {
        const { recorder } = await record(() => new ZeroTrustIdentity("identity", args), { computeState });
        await new Promise((done) => setTimeout(done, 50));
        const messages = [...new Set(errors.filter((e) => e instanceof ComponentValidationError || /invalid argument/.test(String(e?.message))).map((e) => e.message))];
        return { messages, recorder };
    });
}

/** The documents and properties the touched arguments reach, by child. */
function rendered(recorder: ResourceRecorder): Record<string, unknown> {
    const named = (type: string) => Object.fromEntries(recorder.byType(type).map((r) => [r.name, r.inputs]));
    const pick = (type: string, key: string) => Object.fromEntries(recorder.byType(type).map((r) => [r.name, r.inputs[key]]));
    return {
        serverConf: recorder.one(T.parameter).inputs.value,
        containerDefinitions: recorder.one(T.taskDefinition).inputs.containerDefinitions,
        agentDocument: recorder.one(T.document).inputs.content,
        trustPolicies: pick(T.role, "assumeRolePolicy"),
        rolePolicies: pick(T.rolePolicy, "policy"),
        attachments: Object.fromEntries(Object.entries(named(T.attachment)).map(([name, inputs]) => [name, inputs.policyArn])),
        ingress: Object.fromEntries(Object.entries(named(T.ingress)).map(([name, inputs]) => [name, [inputs.cidrIpv4, inputs.fromPort]])),
    };
}

const BASELINE = join(__dirname, "fixtures", "compose-plain-baseline.json");

describe("ZeroTrustIdentity arguments taken from other resources", () => {
    it("plain values render byte-identical documents to before (server.conf, task definition, SSM document, policies, attachments, rules)", async () => {
        const now = rendered((await build(plainArgs())).recorder);
        if (process.env.UPDATE_COMPOSE_BASELINE === "1") writeFileSync(BASELINE, `${JSON.stringify(now, null, 2)}\n`);
        expect(now).toEqual(JSON.parse(readFileSync(BASELINE, "utf8")));
    });

    it("the same values as Outputs reach the same children with the same resolved values", async () => {
        const plain = await build(plainArgs());
        const outputs = await build(outputArgs());
        expect(rendered(outputs.recorder)).toEqual(rendered(plain.recorder));
        const names = (r: ResourceRecorder) => r.resources.map((x) => `${x.type} ${x.name}`).sort();
        expect(names(outputs.recorder), "the same children, with the same logical names").toEqual(names(plain.recorder));
        // The resolved values are where they belong.
        const trust = JSON.parse(outputs.recorder.one(T.role, "identity-executor-executor").inputs.assumeRolePolicy);
        expect(trust.Statement[0].Principal).toEqual({ AWS: CI_ROLE_ARN });
        expect(JSON.parse(outputs.recorder.one(T.rolePolicy, "identity-github-deploy-assume-roles").inputs.policy).Statement[0].Resource).toBe(EXECUTOR_ARN);
        expect(JSON.parse(outputs.recorder.one(T.taskDefinition).inputs.containerDefinitions).filter((c: { name: string }) => c.name !== "config-init").map((c: { image: string }) => c.image)).toEqual([
            SERVER_IMAGE,
            SERVER_IMAGE,
        ]);
        expect(outputs.recorder.one(T.document).inputs.content).toContain(`docker pull ${AGENT_IMAGE}`);
        const task = JSON.parse(outputs.recorder.one(T.rolePolicy, "identity-spire-task-policy").inputs.policy);
        expect(task.Statement.find((s: { Sid: string }) => s.Sid === "AwsIidAssumeRole").Resource).toEqual([
            `arn:aws:iam::${ACCOUNT_ID}:role/spire-attestor`,
            `arn:aws:iam::${OTHER_ACCOUNT}:role/spire-attestor`,
        ]);
        expect(outputs.recorder.one(T.ingress, "identity-spire-sg-agents-0").inputs.cidrIpv4).toBe(AGENT_CIDR);
        expect(outputs.recorder.byType(T.attachment).map((a) => a.inputs.policyArn)).toEqual([POLICY_ARN, POLICY_ARN, POLICY_ARN]);
    });

    it("an Output list of assumable roles plans the role-chaining policy; a plain empty list plans none, as before", async () => {
        const args = plainArgs();
        const empty = await build({ ...args, githubOidc: { roles: [{ ...args.githubOidc!.roles[0], assumableRoleArns: [] }] } });
        expect(empty.recorder.byType(T.rolePolicy).map((r) => r.name)).not.toContain("identity-github-deploy-assume-roles");
    });

    const W = "ZeroTrustIdentity \"identity\"";
    const cases: { what: string; change: (a: ZeroTrustIdentityArgs) => ZeroTrustIdentityArgs; line: string; missing: [string, string] }[] = [
        {
            what: "executorRoles[].trustedPrincipalArns with a wildcard",
            change: (a) => ({ ...a, executorRoles: [{ ...a.executorRoles![0], trustedPrincipalArns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/*`] }] }),
            line: `${W}: executorRoles[0].trustedPrincipalArns[0]: got "arn:aws:iam::${OTHER_ACCOUNT}:role/*"; an IAM role, user or account root ARN, never * (arn:<partition>:iam::<12-digit account>:role/<name> or user/<name> or root)`,
            missing: [T.role, "identity-executor-executor"],
        },
        {
            what: "executorRoles[].trustedPrincipalArns empty",
            change: (a) => ({ ...a, executorRoles: [{ ...a.executorRoles![0], trustedPrincipalArns: [] }] }),
            line: `${W}: executorRoles[0].trustedPrincipalArns: got []; at least one IAM role ARN (never *)`,
            missing: [T.role, "identity-executor-executor"],
        },
        {
            what: "githubOidc.roles[].assumableRoleArns naming a policy",
            change: (a) => ({ ...a, githubOidc: { roles: [{ ...a.githubOidc!.roles[0], assumableRoleArns: [POLICY_ARN] }] } }),
            line: `${W}: githubOidc.roles[0].assumableRoleArns[0]: got "${POLICY_ARN}"; an IAM role ARN, never * (arn:<partition>:iam::<12-digit account>:role/<name>)`,
            missing: [T.rolePolicy, "identity-github-deploy-assume-roles"],
        },
        {
            what: "managedPolicyArns[] naming a role",
            change: (a) => ({ ...a, executorRoles: [{ ...a.executorRoles![0], managedPolicyArns: [EXECUTOR_ARN] }] }),
            line: `${W}: executorRoles[0].managedPolicyArns[0]: got "${EXECUTOR_ARN}"; an iam ARN for "policy/..."`,
            missing: [T.attachment, "identity-executor-executor-managed-0"],
        },
        {
            what: "spire.serverImage on latest",
            change: (a) => ({ ...a, spire: { ...a.spire!, serverImage: `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/spire-server:latest` } }),
            line: `${W}: spire.serverImage: got "${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/spire-server:latest"; an image pinned to a version tag (not latest) or a digest, such as ghcr.io/spiffe/spire-server:1.13.3`,
            missing: [T.taskDefinition, "identity-spire-task-definition"],
        },
        {
            what: "agents.agentImage without a tag",
            change: (a) => ({ ...a, agents: { ...a.agents!, agentImage: `${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/spire-agent` } }),
            line: `${W}: agents.agentImage: got "${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/spire-agent"; an image pinned to a version tag (not latest) or a digest, such as ghcr.io/spiffe/spire-agent:1.13.3`,
            missing: [T.document, "identity-spire-agent-document"],
        },
        {
            what: "spire.allowedCidrBlocks[] that is no CIDR block",
            change: (a) => ({ ...a, spire: { ...a.spire!, allowedCidrBlocks: ["10.20.0.0"] } }),
            line: `${W}: spire.allowedCidrBlocks[0]: got "10.20.0.0"; an IPv4 CIDR block such as 10.0.0.0/16`,
            missing: [T.ingress, "identity-spire-sg-agents-0"],
        },
        {
            what: "spire.nodeAttestation.awsIid.accountIds with a bad id",
            change: (a) => ({ ...a, spire: { ...a.spire!, nodeAttestation: { awsIid: { accountIds: ["12345"], assumeRoleName: "spire-attestor" } } } }),
            line: `${W}: spire.nodeAttestation.awsIid.accountIds[0]: got "12345"; a 12-digit AWS account id`,
            missing: [T.parameter, "identity-spire-server-conf"],
        },
        {
            what: "spire.nodeAttestation.awsIid.accountIds of two accounts without a role to assume",
            change: (a) => ({ ...a, spire: { ...a.spire!, nodeAttestation: { awsIid: { accountIds: [ACCOUNT_ID, OTHER_ACCOUNT] } } } }),
            line: `${W}: spire.nodeAttestation.awsIid.assumeRoleName: nothing was given; instances of more than one account attest only through a role the server assumes in each account`,
            missing: [T.parameter, "identity-spire-server-conf"],
        },
    ];

    for (const c of cases) {
        it(`${c.what}: refused at preview as a plain value, and with the same line when it arrives as an Output and resolves`, async () => {
            const plain = c.change(plainArgs());
            let atPreview: unknown;
            try {
                new ZeroTrustIdentity("identity", plain);
            } catch (e) {
                atPreview = e;
            }
            expect(atPreview).toBeInstanceOf(ComponentValidationError);
            expect((atPreview as Error).message).toContain(c.line);

            const failing = await recordFailing(outputArgs(plain));
            expect(failing.messages, "one error, the same line").toHaveLength(1);
            expect(failing.messages[0]).toContain(`${W} has an invalid argument:\n  ${c.line}`);
            expect(failing.recorder.resources.filter((r) => r.type === c.missing[0] && r.name === c.missing[1]), `${c.missing.join(" ")} is never registered`).toEqual([]);
        });
    }

    it("an assumableRoleArns Output that resolves to an empty list is refused (the policy was planned for it)", async () => {
        const args = outputArgs(plainArgs());
        const failing = await recordFailing({ ...args, githubOidc: { roles: [{ ...args.githubOidc!.roles[0], assumableRoleArns: pulumi.output([]) as pulumi.Output<string[]> }] } });
        expect(failing.messages).toEqual([
            `${W} has an invalid argument:\n  ${W}: githubOidc.roles[0].assumableRoleArns: got []; at least one IAM role ARN (an Output list must not resolve to an empty list: leave the argument out instead)`,
        ]);
        expect(failing.recorder.resources.filter((r) => r.name === "identity-github-deploy-assume-roles")).toEqual([]);
    });

    it("good values as Outputs raise nothing", async () => {
        const fine = await recordFailing(outputArgs());
        expect(fine.messages).toEqual([]);
        expect(fine.recorder.byType(T.taskDefinition)).toHaveLength(1);
    });
});
