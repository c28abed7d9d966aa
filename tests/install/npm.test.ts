import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, ensureDist, toolsReady, UserMachine, VERSION } from "./user";

// A TypeScript user: `npm install` of the packed tarball into a new project (dependencies from the
// npm registry, the npm cache reused), `tsc` against the package's types, and a program run under
// Pulumi mocks that builds a ServicePlatform and reads its outputs.
describe.skipIf(!toolsReady())("npm package tarball in a new TypeScript project", () => {
    let user: UserMachine;
    let project: string;
    const timings: Record<string, number> = {};

    // The download happens here, outside the timed tests: on a machine with an empty npm cache it is
    // the slow part, and what is under test is its result.
    beforeAll(() => {
        ensureDist();
        user = new UserMachine("npm");
        project = user.dir("app");
        writeFileSync(join(project, "package.json"), JSON.stringify({ name: "install-ts", private: true, version: "1.0.0" }, null, 2));
        const r = user.run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error",
            artifacts.npm, "typescript@5.9.3", "@types/node@22.20.5"], project, { timeoutSeconds: 1200 });
        timings.npmInstall = r.seconds;
    }, 25 * 60_000);
    afterAll(() => {
        console.log(`install test (npm) timings, s: ${JSON.stringify(timings)}`);
        user?.dispose();
    });

    it("npm installs the tarball", () => {
        const version = user.run("node", ["-p", "require('@rampart-iac/pulumi-rampart/package.json').version"], project).stdout.trim();
        expect(version).toBe(VERSION);
    }, 300_000);

    it("type-checks and runs a program under Pulumi mocks", () => {
        writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
            compilerOptions: { target: "ES2022", module: "commonjs", strict: true, esModuleInterop: true, skipLibCheck: true, outDir: "out", types: ["node"] },
            files: ["index.ts"],
        }, null, 2));
        writeFileSync(join(project, "index.ts"), `
import * as pulumi from "@pulumi/pulumi";

const types: string[] = [];
pulumi.runtime.setMocks({
    newResource: (args) => {
        types.push(args.type);
        return { id: \`\${args.name}-id\`, state: { ...args.inputs, arn: \`arn:aws:mock:us-east-1:123456789012:\${args.name}\`, dnsName: \`\${args.name}.example.com\` } };
    },
    call: (args) => {
        switch (args.token) {
            case "aws:index/getRegion:getRegion": return { name: "us-east-1", region: "us-east-1", id: "us-east-1" };
            case "aws:index/getCallerIdentity:getCallerIdentity": return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/t", userId: "U", id: "123456789012" };
            case "aws:index/getPartition:getPartition": return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": return { names: ["us-east-1a", "us-east-1b", "us-east-1c"], zoneIds: ["use1-az1", "use1-az2", "use1-az3"], id: "us-east-1" };
            default: return {};
        }
    },
}, "install-ts", "dev", false);

async function main() {
    const rampart = await import("@rampart-iac/pulumi-rampart");
    const platform = new rampart.ServicePlatform("skreg", {
        stage: "dev",
        services: [{ name: "api", cpu: 512, memory: 1024, port: 8080, public: true }],
    });
    const url = await new Promise<string>((resolve) => pulumi.output(platform.url).apply((u) => { resolve(u ?? ""); return u; }));
    let error = "";
    try {
        new rampart.ServicePlatform("bad", { stage: "Dev", services: [{ name: "api", cpu: 256, memory: 4096 }] });
    } catch (e) {
        error = String(e);
    }
    await new Promise((r) => setTimeout(r, 200));
    console.log(JSON.stringify({ url, error, types: [...new Set(types)].sort() }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`);
        const tsc = user.run("node", [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project);
        timings.tsc = tsc.seconds;
        const run = user.run("node", ["out/index.js"], project);
        timings.run = run.seconds;
        const result = JSON.parse(run.stdout.trim().split("\n").pop()!);
        expect(result.url).toMatch(/^https?:\/\//);
        expect(result.types).toEqual(expect.arrayContaining(["rampart:index:ServicePlatform", "aws:ecs/cluster:Cluster", "aws:ec2/vpc:Vpc"]));
        expect(result.error).toMatch(/ServicePlatform "bad": stage: got "Dev"/);
        expect(result.error).toMatch(/services\[0\]\.memory/);
    }, 300_000);

    it("does not type-check a program that misuses the arguments", () => {
        writeFileSync(join(project, "index.ts"), `
import { ServicePlatform } from "@rampart-iac/pulumi-rampart";
new ServicePlatform("x", { stage: "dev", services: [{ name: "api", cpu: "lots" }] });
`);
        const tsc = user.run("node", [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", ".", "--noEmit"], project, { allowFailure: true });
        expect(tsc.status).not.toBe(0);
        expect(tsc.stdout).toMatch(/index\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    }, 120_000);
});
