/**
 * Issue 13 through the real engine and the offline stand-in: a Pulumi secret given in a ServicePlatform service's
 * `environment` never lands in a task definition. Preview and `up` fail with one error naming the argument path
 * (the value is never shown), nothing is created, and the state holds no plaintext copy. Both ways a component is
 * built: through the rampart plugin (a Pulumi YAML program whose secret config goes into `environment`; the engine
 * sends it as a secret output value in the Construct request) and in the program's process (the from-config
 * JavaScript program). Also: without NAT, an image outside the Region's private ECR is refused at preview; a CDN
 * with a custom domain deploys with its us-east-1 certificate and TLSv1.2_2021 (the stand-in refuses what CloudFront
 * refuses: a certificate elsewhere, aliases without one).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportState, linkPackage, writeYamlProgram } from "./projects";
import { PulumiWorkspace, REPO_ROOT, toolchainReady } from "./workspace";

const ready = toolchainReady();
const TIMEOUT_MS = 15 * 60_000;
const FROM_CONFIG = join(REPO_ROOT, "tests", "e2e", "programs", "from-config");
const SECRET = "e2e-env-secret-3c9d71aa";
const PATH_LINE = 'ServicePlatform "envsec": services[0].environment.SIGNING_KEY: got a Pulumi secret; environment values are written into the task definition';

/** A YAML project building the platform through the plugin; `properties` may refer to the secret config `signingKey`. */
function yamlProject(ws: PulumiWorkspace, label: string, properties: string): string {
    return writeYamlProgram(join(ws.root, label), {
        name: `envsec-${label}`,
        secretConfig: ["signingKey"],
        resources: { platform: { type: "rampart:index:ServicePlatform", name: "envsec", properties: JSON.parse(properties) } },
    });
}

/** The refusal: non-zero exit, the path named once per line of the error, the value nowhere, no task definition. */
function expectRefused(ws: PulumiWorkspace, dir: string, command: string[]): void {
    const result = ws.run(command, dir, { allowFailure: true });
    const text = result.stdout + result.stderr;
    expect(result.status, text).not.toBe(0);
    expect(text).toContain(PATH_LINE);
    expect(text).not.toContain(SECRET);
    // The refusal carries no stack. (When it stops the update, the engine may also cancel an invoke the plugin still
    // had in flight, reported as its own `CANCELLED ... context canceled` error with a gRPC stack: not rampart's.)
    expect(text, "no JavaScript stack trace under the refusal").not.toMatch(/ComponentValidationError: .*\n(\s+ServicePlatform .*\n)*\s+at .*\.(js|ts):\d+:\d+/);
    const state = ws.run(["stack", "export", "--show-secrets"], dir).stdout;
    expect(state).not.toContain("aws:ecs/taskDefinition:TaskDefinition");
    expect(state, "the secret is in no resource of the state").not.toContain(SECRET);
}

describe.skipIf(!ready)("ServicePlatform, issue 13, through the real engine: no secret in environment, no-NAT images, CDN TLS", () => {
    const workspaces: PulumiWorkspace[] = [];

    beforeAll(() => {
        execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
        linkPackage(FROM_CONFIG);
    }, TIMEOUT_MS);

    afterAll(() => {
        for (const ws of workspaces) ws.dispose();
    });

    it("through the plugin (YAML): preview and up are refused with the argument path", () => {
        const ws = new PulumiWorkspace("envsec-yaml");
        workspaces.push(ws);
        const services = [{ name: "api", public: true, environment: { LOG_LEVEL: "info", SIGNING_KEY: "${signingKey}" } }];
        const dir = yamlProject(ws, "plugin", JSON.stringify({ stage: "envsec", services }));
        ws.run(["stack", "init", ws.stack], dir);
        ws.run(["config", "set", "--secret", "signingKey", SECRET], dir);
        expectRefused(ws, dir, ["preview"]);
        expectRefused(ws, dir, ["up", "--yes", "--skip-preview"]);
    }, TIMEOUT_MS);

    it("in the program's process (JavaScript): preview and up are refused with the argument path", () => {
        const ws = new PulumiWorkspace("envsec-node");
        workspaces.push(ws);
        ws.run(["stack", "init", ws.stack], FROM_CONFIG);
        ws.run(["config", "set", "component", "ServicePlatform"], FROM_CONFIG);
        ws.run(["config", "set", "name", "envsec"], FROM_CONFIG);
        ws.run(["config", "set", "args", JSON.stringify({ stage: "envsec", services: [{ name: "api", public: true, environment: { LOG_LEVEL: "info" } }] })], FROM_CONFIG);
        ws.run(["config", "set", "--secret", "secretEnvironment", JSON.stringify({ api: { SIGNING_KEY: SECRET } })], FROM_CONFIG);
        expectRefused(ws, FROM_CONFIG, ["preview"]);
        expectRefused(ws, FROM_CONFIG, ["up", "--yes", "--skip-preview"]);
    }, TIMEOUT_MS);

    it("without NAT, an image outside the Region's private ECR is refused at preview (plugin)", () => {
        const ws = new PulumiWorkspace("envsec-nonat");
        workspaces.push(ws);
        const dir = yamlProject(ws, "nonat", JSON.stringify({ stage: "nonat", network: { natGateways: "none" }, services: [{ name: "web", public: true, image: "nginx:1.27" }] }));
        ws.run(["stack", "init", ws.stack], dir);
        ws.run(["config", "set", "--secret", "signingKey", SECRET], dir);
        const result = ws.run(["preview"], dir, { allowFailure: true });
        const text = result.stdout + result.stderr;
        expect(result.status).not.toBe(0);
        expect(text).toContain('ServicePlatform "envsec": services[0].image: got "nginx:1.27"; with network.natGateways "none" tasks reach only this Region\'s private Amazon ECR');
    }, TIMEOUT_MS);

    const CDN_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    const cdnArgs = { stage: "cdn", services: [{ name: "worker" }], storage: { cdn: true, cdnDomain: { name: "cdn.example.com", hostedZoneId: "Z0EXAMPLE", certificateArn: CDN_CERTIFICATE } } };
    function expectAdoptedCdnCertificate(ws: PulumiWorkspace, dir: string): void {
        ws.run(["up", "--yes", "--skip-preview"], dir);
        const resources = exportState(ws, dir);
        const cdn = resources.find((r) => r.type === "aws:cloudfront/distribution:Distribution")!;
        expect(cdn.inputs?.viewerCertificate).toMatchObject({ acmCertificateArn: CDN_CERTIFICATE, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
        expect(resources.filter((r) => r.type === "aws:acm/certificate:Certificate"), "the adopted certificate, no new one").toEqual([]);
        const records = resources.filter((r) => r.type === "aws:route53/record:Record").map((r) => r.inputs ?? {});
        expect(records.map((r) => [r.name, r.type]).sort()).toEqual([["cdn.example.com", "A"], ["cdn.example.com", "AAAA"]]);
        ws.run(["preview", "--expect-no-changes"], dir);
        ws.run(["destroy", "--yes", "--skip-preview"], dir);
    }

    it("a CDN on a custom domain: up with the us-east-1 certificate and TLSv1.2_2021, aliases, no-op preview, destroy (plugin)", () => {
        const ws = new PulumiWorkspace("envsec-cdn");
        workspaces.push(ws);
        const dir = yamlProject(ws, "cdn", JSON.stringify(cdnArgs));
        ws.run(["stack", "init", ws.stack], dir);
        ws.run(["config", "set", "--secret", "signingKey", SECRET], dir);
        expectAdoptedCdnCertificate(ws, dir);
    }, TIMEOUT_MS);

    it("the same adopted CDN certificate from the program's process (JavaScript)", () => {
        const ws = new PulumiWorkspace("envsec-cdn-node");
        workspaces.push(ws);
        ws.run(["stack", "init", ws.stack], FROM_CONFIG);
        ws.run(["config", "set", "component", "ServicePlatform"], FROM_CONFIG);
        ws.run(["config", "set", "name", "envsec"], FROM_CONFIG);
        ws.run(["config", "set", "args", JSON.stringify(cdnArgs)], FROM_CONFIG);
        expectAdoptedCdnCertificate(ws, FROM_CONFIG);
    }, TIMEOUT_MS);
});
