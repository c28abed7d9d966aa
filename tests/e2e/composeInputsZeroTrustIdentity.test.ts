/**
 * ZeroTrustIdentity inputs that compose (issue 16 item 2), through the real engine, the rampart plugin and the OFFLINE
 * STAND-IN, from Python (tests/e2e/programs/compose-zti-py; the stand-in serves no schema, so a YAML program cannot
 * declare the AWS resources): plain AWS resources created in the same program (unknown at the first preview) feed
 * - `executorRoles[0].trustedPrincipalArns` and `githubOidc.roles[0].assumableRoleArns`: Outputs of whole lists
 *   (an IAM role's ARN),
 * - `managedPolicyArns` items: an IAM policy's ARN,
 * - `spire.nodeAttestation.awsIid.accountIds`: an Output of the whole list (the account of a role's ARN),
 * - `spire.serverImage` and `agents.agentImage`: ECR repositories' URLs with a tag,
 * - `spire.allowedCidrBlocks` items: the VPC's CIDR block.
 * The children get the resolved values (read back from the state), and a second preview shows no change. A server image
 * tag `latest` is refused with the component's one error naming `spire.serverImage`, and the deployed task definition
 * is left as it was.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportState, onlyMonitorShutdownTracebacks, prepare, PREPARE_TIMEOUT_MS, prepareExamples } from "./projects";
import { PulumiWorkspace, toolchainReady } from "./workspace";

const ready = toolchainReady();
if (!ready && process.env.CI === "true") {
    throw new Error("end-to-end tests need the toolchain and stand-in: run scripts/toolchain.sh and tests/standin/build.sh (npm test does)");
}
const TIMEOUT_MS = 15 * 60_000;
const PROGRAM = join("tests", "e2e", "programs", "compose-zti-py");

describe.skipIf(!ready)("Python: ZeroTrustIdentity takes Outputs of resources created in the same program", () => {
    const ws = ready ? new PulumiWorkspace("compose-zti") : undefined!;
    let dir = "";
    beforeAll(() => {
        prepareExamples();
        dir = prepare({ dir: PROGRAM, language: "python" });
    }, PREPARE_TIMEOUT_MS);

    afterAll(() => {
        ws.run(["destroy", "--yes", "--skip-preview"], dir, { allowFailure: true });
        ws.dispose();
    }, TIMEOUT_MS);

    it("previews with the values unknown, deploys, and every child gets the resolved value", () => {
        ws.run(["stack", "init", ws.stack], dir);
        const preview = ws.run(["preview"], dir);
        expect(preview.stdout + preview.stderr).not.toMatch(/invalid argument/);
        ws.run(["up", "--yes", "--skip-preview"], dir);
        const out = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
        const account = String(out.ciArn).split(":")[4];
        expect(account).toMatch(/^\d{12}$/);

        const state = exportState(ws, dir).filter((r) => r.urn.includes("rampart:index:ZeroTrustIdentity"));
        const one = (type: string, name: string) => {
            const found = state.filter((r) => r.type === type && r.urn.endsWith(`::${name}`));
            expect(found, `${type} ${name}`).toHaveLength(1);
            return found[0];
        };
        const executor = one("aws:iam/role:Role", "identity-executor-exec");
        expect(JSON.parse(String(executor.inputs!.assumeRolePolicy)).Statement[0].Principal).toEqual({ AWS: out.ciArn });
        const chain = one("aws:iam/rolePolicy:RolePolicy", "identity-github-ci-assume-roles");
        expect(JSON.parse(String(chain.inputs!.policy)).Statement[0].Resource).toBe(out.targetArn);
        const attachments = state.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => [r.urn.split("::").pop(), r.inputs!.policyArn]);
        expect(attachments.sort()).toEqual([
            ["identity-executor-exec-managed-0", out.policyArn],
            ["identity-github-ci-managed-0", out.policyArn],
        ]);

        const containers = JSON.parse(String(one("aws:ecs/taskDefinition:TaskDefinition", "identity-spire-task-definition").inputs!.containerDefinitions)) as { name: string; image: string }[];
        expect(containers.find((c) => c.name === "spire-server")!.image).toBe(`${out.serverRepoUrl}:1.13.3`);
        expect(String(one("aws:ssm/document:Document", "identity-spire-agent-document").inputs!.content)).toContain(`docker pull ${out.agentRepoUrl}:1.13.3`);
        expect(one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "identity-spire-sg-agents-0").inputs!.cidrIpv4).toBe("10.30.0.0/16");
        const taskPolicy = JSON.parse(String(one("aws:iam/rolePolicy:RolePolicy", "identity-spire-task-policy").inputs!.policy));
        expect(taskPolicy.Statement.find((s: { Sid: string }) => s.Sid === "AwsIidAssumeRole").Resource).toBe(`arn:aws:iam::${account}:role/spire-attestor`);

        ws.run(["preview", "--expect-no-changes"], dir);
    }, TIMEOUT_MS);

    it("a server image that resolves to :latest is refused with the component's one error; the task definition is unchanged", () => {
        const before = exportState(ws, dir).find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.outputs!.containerDefinitions;
        ws.run(["config", "set", "serverTag", "latest"], dir);
        const up = ws.run(["up", "--yes", "--skip-preview"], dir, { allowFailure: true });
        const text = up.stdout + up.stderr;
        expect(up.status, text).not.toBe(0);
        const out = JSON.parse(ws.run(["stack", "output", "--json"], dir).stdout);
        const line = `ZeroTrustIdentity "identity": spire.serverImage: got "${out.serverRepoUrl}:latest"; an image pinned to a version tag (not latest) or a digest, such as ghcr.io/spiffe/spire-server:1.13.3`;
        expect(text).toContain(line);
        expect(text, "no JavaScript stack trace").not.toMatch(/\n\s+at .*\.(js|ts|mjs|cjs):\d+:\d+/);
        expect(text, "no colour codes").not.toContain("\u001b[");
        expect(text, "a Python traceback other than the SDK's report of the monitor shutdown").toSatisfy(onlyMonitorShutdownTracebacks);
        expect(exportState(ws, dir).find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition")!.outputs!.containerDefinitions).toEqual(before);
    }, TIMEOUT_MS);
});
