import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSchema, componentNames, REPO_ROOT, schemaDrift, schemaText } from "../../scripts/schema.mts";

const committed = readFileSync(join(REPO_ROOT, "schema.json"), "utf8");
const schema = JSON.parse(committed);
let generated: string | undefined;
const fresh = () => (generated ??= schemaText());
const TOKENS = ["rampart:index:AuthorizerWithPolicyStore", "rampart:index:ServicePlatform", "rampart:index:ZeroTrustIdentity"];

describe("schema.json", () => {
    it("is what `npm run schema` generates from the current sources", () => {
        expect(schemaDrift(committed, fresh())).toEqual([]);
    });

    it("holds the three components with documented inputs and outputs", () => {
        expect(Object.keys(schema.resources)).toEqual(TOKENS);
        for (const token of TOKENS) {
            const r = schema.resources[token];
            expect(r.isComponent).toBe(true);
            expect(r.description, token).toBeTruthy();
            for (const [name, p] of Object.entries<any>({ ...r.inputProperties, ...r.properties })) {
                expect(p.description, `${token}.${name}`).toBeTruthy();
            }
        }
        expect(schema.resources["rampart:index:ServicePlatform"].requiredInputs).toEqual(["services", "stage"]);
        expect(schema.resources["rampart:index:AuthorizerWithPolicyStore"].requiredInputs).toEqual(["accountAlias", "policyStore", "stage"]);
    });

    it("requires the outputs every configuration has, and says for the others which argument makes them present", () => {
        expect(schema.resources["rampart:index:ServicePlatform"].required).toEqual(["estimatedMonthlyCostUsd", "privateSubnetIds", "publicSubnetIds", "serviceNames", "taskRoleArns", "vpcId"]);
        expect(schema.resources["rampart:index:AuthorizerWithPolicyStore"].required).toEqual(
            expect.arrayContaining(["policyStoreId", "policyStoreArn", "authorizerFunctionArn", "authorizerInvokeArn", "authorizerCacheTtlSeconds", "tableName", "tableArn"]),
        );
        for (const token of TOKENS) {
            const r = schema.resources[token];
            const optional = Object.keys(r.properties).filter((name) => !(r.required ?? []).includes(name));
            for (const name of optional) expect(r.properties[name].description, `${token}.${name} says when it is present`).toMatch(/Present (with|when)/);
        }
    });

    it("documents every nested property and states defaults in the docs", () => {
        for (const [token, type] of Object.entries<any>(schema.types)) {
            expect(type.description, token).toBeTruthy();
            for (const [name, p] of Object.entries<any>(type.properties ?? {})) {
                expect(p.description, `${token}.${name}`).toBeTruthy();
            }
            for (const member of type.enum ?? []) expect(member.description ?? member.value, `${token}.${member.name}`).toBeTruthy();
        }
        expect(schema.types["rampart:index:PlatformNetwork"].properties.cidrBlock.description).toContain("Default: `10.0.0.0/16`");
    });

    it("says the default of every optional input (the Registry and the reference render it), in prose: JSDoc tags never reach the schema", () => {
        const missing: string[] = [];
        const objects = [
            ...TOKENS.map((token) => [token, schema.resources[token].inputProperties, schema.resources[token].requiredInputs ?? []] as const),
            ...Object.entries<any>(schema.types).filter(([, t]) => t.properties).map(([token, t]) => [token, t.properties, t.required ?? []] as const),
        ];
        for (const [token, properties, required] of objects) {
            for (const [name, p] of Object.entries<any>(properties)) {
                if (!required.includes(name) && !/Default:|No default/.test(p.description ?? "")) missing.push(`${token}.${name}`);
            }
        }
        expect(missing).toEqual([]);
        for (const file of ["servicePlatform", "zeroTrustIdentity", "authorizerWithPolicyStore"]) {
            expect(readFileSync(join(REPO_ROOT, "provider", "src", file, "args.ts"), "utf8"), file).not.toMatch(/^\s*\*\s*@(default|example)\b/m);
        }
    });

    it("has enums for choices and plain strings for ids and ARNs", () => {
        expect(schema.types["rampart:index:Profile"].enum.map((e: any) => e.value)).toEqual(["ephemeral", "production"]);
        expect(schema.types["rampart:index:NatGateways"].enum.map((e: any) => e.value)).toEqual(["none", "instance", "single", "onePerAz"]);
        expect(schema.resources["rampart:index:ServicePlatform"].properties.vpcId.type).toBe("string");
        expect(JSON.stringify(schema)).not.toContain("/aws/");
    });

    it("carries the package metadata and language sections", () => {
        const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
        expect(schema).toMatchObject({
            name: "rampart",
            displayName: "rampart",
            version: pkg.version,
            publisher: "rampart",
            repository: "https://github.com/rampart-iac/pulumi-rampart",
            license: "Apache-2.0",
            language: {
                nodejs: { packageName: "@rampart-iac/pulumi-rampart" },
                python: { packageName: "pulumi_rampart" },
                go: { importBasePath: "github.com/rampart-iac/pulumi-rampart/sdk/go/rampart" },
            },
        });
        expect(schema.keywords).toEqual(pkg.keywords);
    });

    it("marks secret-carrying inputs as secret", () => {
        expect(schema.types["rampart:index:AuthorizerConfig"].properties.jwtSecret.secret).toBe(true);
        expect(schema.types["rampart:index:PlatformService"].properties.secrets.secret).toBe(true);
        expect(schema.types["rampart:index:PlatformService"].properties.environment.secret).toBeUndefined();
    });

    it("is sorted and stable", () => {
        const keysSorted = (o: any): boolean =>
            Array.isArray(o) ? o.every(keysSorted) : o && typeof o === "object" ? Object.keys(o).join() === Object.keys(o).sort().join() && Object.values(o).every(keysSorted) : true;
        expect(keysSorted(schema)).toBe(true);
        expect(schemaText()).toBe(fresh());
    });
});

describe("schema drift check", () => {
    const work = mkdtempSync(join(tmpdir(), "rampart-schema-"));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it("fails when a doc comment changes without regenerating", () => {
        cpSync(join(REPO_ROOT, "provider"), join(work, "provider"), { recursive: true });
        for (const f of ["package.json", "tsconfig.json"]) cpSync(join(REPO_ROOT, f), join(work, f));
        symlinkSync(join(REPO_ROOT, "node_modules"), join(work, "node_modules"));
        const programs = join("tests", "e2e", "programs");
        cpSync(join(REPO_ROOT, programs), join(work, programs), { recursive: true, filter: (source) => !/(^|\/)(node_modules|venv)$/.test(source) });
        const argsFile = join(work, "provider/src/servicePlatform/args.ts");
        const original = readFileSync(argsFile, "utf8");
        const changed = original.replace("Number of availability zones, 1-6.", "How many availability zones to spread over, 1-6.");
        expect(changed).not.toBe(original);
        writeFileSync(argsFile, changed);
        const fresh = `${JSON.stringify(buildSchema(work, componentNames(REPO_ROOT)), null, 2)}\n`;
        const drift = schemaDrift(committed, fresh);
        expect(drift.length).toBeGreaterThan(0);
        expect(drift.join("\n")).toContain("How many availability zones to spread over");
    });
});
