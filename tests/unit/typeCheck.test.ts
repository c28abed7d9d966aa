import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkInputs, closest, PackageSchema, SecretValue, UNKNOWN } from "../../provider/src/host/typeCheck";
import { formatProblem } from "../../provider/src/shared/validation";

const schema = JSON.parse(readFileSync(join(__dirname, "../../schema.json"), "utf8")) as PackageSchema;
const SP = "rampart:index:ServicePlatform";
const ZT = "rampart:index:ZeroTrustIdentity";
const AZ = "rampart:index:AuthorizerWithPolicyStore";

/** The lines the one error would show, as `path: given; allowed`. */
function lines(token: string, inputs: Record<string, unknown>): string[] {
    return checkInputs(schema, token, inputs).map((p) => `${p.path}: ${p.given}; ${p.allowed}`);
}

const service = { name: "api", cpu: 512, memory: 1024, port: 8080, public: true };

describe("checkInputs against schema.json (the plugin boundary)", () => {
    it("accepts the arguments of a realistic program of each component", () => {
        expect(
            lines(SP, {
                stage: "dev",
                profile: "production",
                services: [service, { name: "worker", environment: { LOG_LEVEL: "info" }, secrets: { KEY: new SecretValue("s3cr3t") }, egressPorts: [443] }],
                database: { instanceClass: "db.t4g.micro", allocatedStorageGb: 20 },
                storage: { bucket: true, cdn: true },
                ci: { githubRepository: "o/r", branches: ["main"] },
                tags: { team: "a" },
            }),
        ).toEqual([]);
        expect(lines(ZT, { stage: "dev", trustDomain: "example.org" })).toEqual([]);
        expect(lines(AZ, { stage: "dev", accountAlias: "sandpit", policyStore: { schemaFile: "s.json", policyDir: "p" }, cognito: { groups: ["a"] } })).toEqual([]);
    });

    it("reports a boolean given as a string, with the argument path and how to write it", () => {
        expect(lines(SP, { stage: "dev", services: [{ ...service, public: "false" }] })).toEqual([
            'services[0].public: got "false" (a string); expected a boolean (write false, not "false")',
        ]);
        expect(lines(SP, { stage: "dev", services: [service], storage: { cdn: "false" } })).toEqual([
            'storage.cdn: got "false" (a string); expected a boolean (write false, not "false")',
        ]);
    });

    it("reports a number given as a string against cpu, not memory", () => {
        expect(lines(SP, { stage: "dev", services: [{ ...service, cpu: "512" }] })).toEqual([
            'services[0].cpu: got "512" (a string); expected a number (write 512, not "512")',
        ]);
        expect(lines(SP, { stage: "dev", services: [{ ...service, cpu: "lots" }] })).toEqual(['services[0].cpu: got "lots" (a string); expected a number']);
    });

    it("reports an argument the component does not have and suggests the one meant", () => {
        expect(lines(SP, { stage: "dev", services: [{ ...service, memroy: 2048 }] })).toEqual([
            'services[0].memroy: got 2048 (a number); PlatformService has no argument "memroy"; did you mean "memory"?',
        ]);
        // A snake_case name that reached the plugin untranslated.
        expect(lines(SP, { stage: "dev", services: [{ ...service, health_check_path: "/h" }] })).toEqual([
            'services[0].health_check_path: got "/h" (a string); PlatformService has no argument "health_check_path"; did you mean "healthCheckPath"?',
        ]);
        const [far] = lines(ZT, { stage: "dev", zzzzzz: 1 });
        expect(far).toMatch(/^zzzzzz: got 1 \(a number\); ZeroTrustIdentity has no argument "zzzzzz"; its arguments are [a-zA-Z, ]+$/);
        expect(far).toContain("trustDomain");
    });

    it("reports missing required arguments at the top and in nested objects", () => {
        expect(lines(SP, { services: [{ port: 8080 }] })).toEqual([
            "stage: nothing was given; expected a string; it is required",
            "services[0].name: nothing was given; expected a string; it is required",
        ]);
        // Go sends a required string it was not given as its zero value.
        expect(lines(SP, { stage: "", services: [{ name: "" }] })).toEqual([
            'stage: got "" (an empty string, as Go sends a field it was not given); expected a non-empty string; it is required',
            'services[0].name: got "" (an empty string, as Go sends a field it was not given); expected a non-empty string; it is required',
        ]);
        expect(lines(SP, { stage: null })).toEqual([
            "services: nothing was given; expected a list of PlatformService objects; it is required",
            "stage: nothing was given; expected a string; it is required",
        ]);
    });

    it("checks enums, lists, maps and nested objects", () => {
        expect(
            lines(SP, {
                stage: "dev",
                profile: "prod",
                compute: 3,
                services: "api",
                tags: { team: 7 },
                network: [],
            }),
        ).toEqual([
            'profile: got "prod" (a string); expected one of "ephemeral", "production"',
            'compute: got 3 (a number); expected one of "fargate", "appRunner", "expressMode"',
            'services: got "api" (a string); expected a list of PlatformService objects',
            "tags.team: got 7 (a number); expected a string",
            "network: got [] (a list); expected a PlatformNetwork object",
        ]);
        expect(lines(SP, { stage: "dev", services: [{ ...service, egressPorts: [443, "80"], environment: { A: "1", "B-C": true } }, null] })).toEqual([
            'services[0].egressPorts[1]: got "80" (a string); expected a number (write 80, not "80")',
            'services[0].environment["B-C"]: got true (a boolean); expected a string',
            "services[1]: got null; expected a PlatformService object",
        ]);
    });

    it("reports every problem, in every service, in one list", () => {
        const problems = checkInputs(schema, SP, {
            stage: "dev",
            services: [
                { ...service, public: "false", memroy: 2048 },
                { port: "80" },
            ],
        });
        expect(problems.map((p) => p.path)).toEqual(["services[0].public", "services[0].memroy", "services[1].name", "services[1].port"]);
        expect(formatProblem("ServicePlatform", "skreg", problems[0])).toBe(
            'ServicePlatform "skreg": services[0].public: got "false" (a string); expected a boolean (write false, not "false")',
        );
    });

    it("skips values known only at deployment, at any depth", () => {
        expect(lines(SP, { stage: UNKNOWN, services: UNKNOWN })).toEqual([]);
        expect(lines(SP, { stage: "dev", services: [{ name: UNKNOWN, public: UNKNOWN, image: UNKNOWN }], tags: { a: UNKNOWN } })).toEqual([]);
        expect(lines(SP, { stage: "dev", services: [{ name: "api", public: UNKNOWN, memroy: UNKNOWN }] })).toEqual([
            'services[0].memroy: got a value known only at deployment; PlatformService has no argument "memroy"; did you mean "memory"?',
        ]);
    });

    it("checks a secret's value but never shows it", () => {
        expect(lines(SP, { stage: "dev", services: [{ ...service, secrets: { KEY: new SecretValue("fine") } }] })).toEqual([]);
        const [line] = lines(SP, { stage: "dev", services: [{ ...service, secrets: { KEY: new SecretValue(12345) } }] });
        expect(line).toBe("services[0].secrets.KEY: got a secret (a number); expected a string");
        const [whole] = lines(SP, { stage: "dev", services: [{ ...service, secrets: new SecretValue("hunter2-password") }] });
        expect(whole).toBe("services[0].secrets: got a secret (a string); expected a map of names to strings");
        const [nested] = lines(SP, { stage: "dev", services: [{ ...service, secrets: [new SecretValue("hunter2-password")] }] });
        expect(nested).toBe('services[0].secrets: got ["[secret]"] (a list); expected a map of names to strings');
    });

    it("refuses a resource the schema does not have", () => {
        expect(() => checkInputs(schema, "rampart:index:Nope", {})).toThrow(/no resource rampart:index:Nope/);
    });

    it("works over any Pulumi package schema: integers, untyped properties, dangling references", () => {
        const small: PackageSchema = {
            types: { "p:index:Size": { type: "integer", enum: [{ value: 1 }, { value: 2 }] } },
            resources: {
                "p:index:C": {
                    inputProperties: { n: { type: "integer" }, any: {}, size: { $ref: "#/types/p:index:Size" }, bad: { $ref: "#/types/p:index:Missing" } },
                },
            },
        };
        expect(checkInputs(small, "p:index:C", { n: 1.5, any: { x: [1] }, size: 3 }).map((p) => `${p.path}: ${p.given}; ${p.allowed}`)).toEqual([
            "n: got 1.5 (a number); expected an integer",
            "size: got 3 (a number); expected one of 1, 2",
        ]);
        expect(() => checkInputs(small, "p:index:C", { bad: 1 })).toThrow(/refers to #\/types\/p:index:Missing/);
    });
});

describe("closest (suggestions for misspelt arguments)", () => {
    it("finds transpositions, typos and snake_case spellings, and nothing for unrelated names", () => {
        const names = ["memory", "cpu", "healthCheckPath", "public", "port"];
        expect(closest("memroy", names)).toBe("memory");
        expect(closest("pubilc", names)).toBe("public");
        expect(closest("health_check_path", names)).toBe("healthCheckPath");
        expect(closest("prot", names)).toBe("port");
        expect(closest("database", names)).toBeUndefined();
    });
});

describe("checkInputs: subnet lists from another component (issue 16 item 2)", () => {
    const zti = "rampart:index:ZeroTrustIdentity";

    it("accepts an unknown list (an Output at preview) and the resolved list for spire.subnetIds, which the schema no longer marks plain", () => {
        const spire = (schema.types!["rampart:index:SpireServer"] as { properties: Record<string, { plain?: boolean }> }).properties;
        expect(spire.subnetIds.plain).toBeUndefined();
        expect(spire.allowedCidrBlocks.plain, "one security group rule per block: the list stays plain").toBe(true);
        expect(checkInputs(schema, zti, { stage: "dev", trustDomain: "unkey.cloud", spire: { vpcId: UNKNOWN, subnetIds: UNKNOWN } })).toEqual([]);
        expect(checkInputs(schema, zti, { stage: "dev", trustDomain: "unkey.cloud", spire: { vpcId: "vpc-1", subnetIds: ["subnet-1", UNKNOWN] } })).toEqual([]);
    });

    it("still refuses a resolved value of the wrong type", () => {
        expect(checkInputs(schema, zti, { stage: "dev", spire: { subnetIds: "subnet-1" } }).map((p) => p.path)).toEqual(["spire.subnetIds"]);
    });
});
