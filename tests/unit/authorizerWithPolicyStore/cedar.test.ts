import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { CedarSource, formatCedarError, groupEntityType, validateCedar } from "../../../provider/src/authorizerWithPolicyStore/cedar";
import { leadingComment, loadPolicySources, renderStatement } from "../../../provider/src/authorizerWithPolicyStore/sources";
import { ALLOW_ALL_GET, APP_SCHEMA, SAMPLE_POLICY_DIR, SAMPLE_SCHEMA_FILE } from "./fixtures";

const schema = (text: string) => ({ text, label: "policyStore.schema" });
const policy = (id: string, statement: string, i = 0): CedarSource => ({ id, statement, label: `policyStore.policies[${i}] (id "${id}")`, kind: "policy" });
const template = (id: string, statement: string, i = 0): CedarSource => ({ id, statement, label: `policyStore.templates[${i}] (id "${id}")`, kind: "template" });

function tempDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "cedar-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
}

describe("validateCedar: schema", () => {
    it("accepts a valid schema and finds its namespace", () => {
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: [], mode: "strict" });
        expect(report.problems).toEqual([]);
        expect(report.namespace).toBe("App");
        expect(Object.keys(report.schema!.App.entityTypes).sort()).toEqual(["Resource", "User", "UserGroup"]);
    });

    it("reports schema text that is not JSON", () => {
        const [p] = validateCedar({ schema: schema("{ App: }"), sources: [], mode: "strict" }).problems;
        expect(p.path).toBe("policyStore.schema");
        expect(p.message).toMatch(/^not valid JSON: /);
        expect(p.allowed).toBe("a Cedar schema in JSON format");
    });

    it("refuses the reserved namespaces aws, amazon and cedar", () => {
        for (const ns of ["aws", "Amazon", "CEDAR", "aws::Inner"]) {
            const text = JSON.stringify({ [ns]: { entityTypes: {}, actions: {} } });
            const problems = validateCedar({ schema: schema(text), sources: [], mode: "strict" }).problems;
            expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(new RegExp(`^namespace "${ns}" uses the reserved name`)));
        }
    });

    it("refuses two namespaces, none, and an empty one", () => {
        const two = JSON.stringify({ A: { entityTypes: {}, actions: {} }, B: { entityTypes: {}, actions: {} } });
        expect(validateCedar({ schema: schema(two), sources: [], mode: "strict" }).problems[0]).toEqual({
            path: "policyStore.schema",
            message: 'the schema declares 2 namespaces ("A", "B")',
            allowed: "Verified Permissions accepts exactly one namespace per schema",
        });
        expect(validateCedar({ schema: schema("{}"), sources: [], mode: "strict" }).problems[0].message).toBe("the schema declares no namespace");
        expect(validateCedar({ schema: schema('{"": {"entityTypes": {}, "actions": {}}}'), sources: [], mode: "strict" }).problems[0].message).toBe('the namespace is empty ("")');
    });

    it("passes on Cedar's own schema errors", () => {
        const bad = JSON.stringify({ App: { entityTypes: { User: { memberOfTypes: ["Nope"] } }, actions: {} } });
        const [p] = validateCedar({ schema: schema(bad), sources: [], mode: "strict" }).problems;
        expect(p.message).toMatch(/^Cedar: failed to resolve type: Nope/);
        expect(p.message).toContain("neither `App::Nope` nor `Nope` refers to anything");
    });
});

describe("validateCedar: policies and templates", () => {
    it("names the policy and gives Cedar's parse error with its position", () => {
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: [policy("ok", ALLOW_ALL_GET), policy("broken", "permit(principal, action, resource", 1)], mode: "strict" });
        expect(report.problems).toHaveLength(1);
        expect(report.problems[0].path).toBe('policyStore.policies[1] (id "broken")');
        expect(report.problems[0].message).toMatch(/^Cedar: .*unexpected end of input \(at line 1, column 35: expected/);
        expect(report.policies.map((p) => p.id)).toEqual(["ok"]);
    });

    it("reports a policy that fails strict validation with its id and Cedar's message", () => {
        const admins = 'permit(principal in App::UserGroup::"admins", action == App::Action::"PATCH /items", resource);';
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: [policy("readers", ALLOW_ALL_GET), policy("admins", admins, 2)], mode: "strict" });
        expect(report.problems).toEqual([
            {
                path: 'policyStore.policies[2] (id "admins")',
                message: expect.stringContaining('Cedar: for policy `admins`, unrecognized action `App::Action::"PATCH /items"`'),
                allowed: "a policy that validates against the schema (validationMode strict)",
            },
        ]);
    });

    it("reports an attribute the schema does not declare", () => {
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: [policy("email", 'permit(principal, action, resource) when { principal.email == "a@b.c" };')], mode: "strict" });
        expect(report.problems[0].message).toContain("attribute `email` on entity type `App::User` not found");
    });

    it("skips schema validation when validation is off, but still parses", () => {
        const unknownAction = 'permit(principal, action == App::Action::"PATCH /items", resource);';
        expect(validateCedar({ schema: schema(APP_SCHEMA), sources: [policy("p", unknownAction)], mode: "off" }).problems).toEqual([]);
        expect(validateCedar({ sources: [policy("p", "permit(")], mode: "off" }).problems).toHaveLength(1);
    });

    it("requires templates to use ?principal or ?resource", () => {
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: [template("t", ALLOW_ALL_GET)], mode: "strict" });
        expect(report.problems).toEqual([
            { path: 'policyStore.templates[0] (id "t")', message: "the template has no ?principal or ?resource slot", allowed: "a template must constrain principal or resource with ?principal or ?resource" },
        ]);
        const ok = validateCedar({ schema: schema(APP_SCHEMA), sources: [template("t", 'permit(principal == ?principal, action == App::Action::"GET /items", resource);')], mode: "strict" });
        expect(ok.problems).toEqual([]);
        expect(ok.templates.map((t) => t.id)).toEqual(["t"]);
    });

    it("validates templates against the schema too", () => {
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: [template("t", 'permit(principal == ?principal, action == App::Action::"nope", resource);')], mode: "strict" });
        expect(report.problems[0].path).toBe('policyStore.templates[0] (id "t")');
        expect(report.problems[0].message).toContain("unrecognized action");
    });

    it("refuses a static policy with a slot and an entry holding two policies", () => {
        const problems = validateCedar({
            schema: schema(APP_SCHEMA),
            sources: [policy("slot", "permit(principal == ?principal, action, resource);"), policy("two", `${ALLOW_ALL_GET}\n${ALLOW_ALL_GET}`, 1)],
            mode: "strict",
        }).problems;
        expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
            'policyStore.policies[0] (id "slot"): the policy has a ?principal or ?resource slot (it is a template)',
            'policyStore.policies[1] (id "two"): holds 2 policies',
        ]);
    });

    it("reports validation warnings apart from problems", () => {
        const impossible = 'permit(principal, action == App::Action::"GET /items", resource) when { false };';
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: [policy("never", impossible)], mode: "strict" });
        expect(report.problems).toEqual([]);
        expect(report.warnings.map((w) => w.message).join()).toContain("policy is impossible");
    });

    it("formats help and positions", () => {
        expect(formatCedarError({ message: "m", help: "h", code: null, url: null, severity: null, sourceLocations: [{ start: 4, end: 5, label: "here" }] }, "ab\ncdef")).toBe(
            "m (at line 2, column 2: here); help: h",
        );
    });
});

describe("groupEntityType", () => {
    it("uses the principal's only parent type, else <namespace>::UserGroup", () => {
        const s = JSON.parse(APP_SCHEMA);
        expect(groupEntityType(s, "App", "App::User")).toBe("App::UserGroup");
        const custom = { App: { entityTypes: { User: { memberOfTypes: ["Team"] }, Team: {} }, actions: {} } };
        expect(groupEntityType(custom, "App", "App::User")).toBe("App::Team");
        expect(groupEntityType(undefined, undefined, "User")).toBe("UserGroup");
    });
});

describe("policy sources", () => {
    it("the sample policy folder validates cleanly against the sample schema", () => {
        const sources = loadPolicySources({ schemaFile: SAMPLE_SCHEMA_FILE, policyDir: SAMPLE_POLICY_DIR });
        expect(sources.problems).toEqual([]);
        const report = validateCedar({ schema: sources.schema, sources: sources.sources, mode: "strict" });
        expect(report.problems).toEqual([]);
        expect(report.warnings).toEqual([]);
        expect(report.namespace).toBe("DocsApi");
        expect(report.policies.map((p) => p.id)).toEqual(["admins", "only-admins-delete", "readers", "writers"]);
        expect(report.templates.map((t) => t.id)).toEqual(["share-document"]);
        expect(report.policies.find((p) => p.id === "readers")!.description).toBe("Readers may list and read documents.");
    });

    it("resolves relative paths against the working directory and reports missing ones", () => {
        const dir = tempDir({ "schema.json": APP_SCHEMA });
        expect(loadPolicySources({ schemaFile: "schema.json" }, dir).schema?.text).toBe(APP_SCHEMA);
        const missing = loadPolicySources({ schemaFile: "nope.json", policyDir: "policies" }, dir).problems;
        expect(missing.map((p) => `${p.path}: ${p.message}`)).toEqual([`policyStore.schemaFile: no file at ${join(dir, "nope.json")}`, `policyStore.policyDir: no folder at ${join(dir, "policies")}`]);
    });

    it("names the file of a bad policy in policyDir", () => {
        const dir = tempDir({ "good.cedar": ALLOW_ALL_GET, "bad.cedar": 'permit(principal, action == App::Action::"nope", resource);', "README.md": "not a policy" });
        const sources = loadPolicySources({ policyDir: dir });
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: sources.sources, mode: "strict" });
        expect(report.problems.map((p) => p.path)).toEqual(["policyStore.policyDir/bad.cedar"]);
        expect(report.problems[0].message).toContain("for policy `bad`, unrecognized action");
    });

    it("refuses two policies in one file, bad file names and ids used twice", () => {
        const dir = tempDir({ "two.cedar": `${ALLOW_ALL_GET}\n${ALLOW_ALL_GET}`, "has space.cedar": ALLOW_ALL_GET, "p.cedar": ALLOW_ALL_GET });
        const sources = loadPolicySources({ policyDir: dir, policies: [{ id: "p", statement: ALLOW_ALL_GET }] });
        expect(sources.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
            'policyStore.policyDir/has space.cedar: the file name gives the policy id "has space"',
            'policyStore.policyDir/p.cedar: the id "p" is already used by policyStore.policies[0] (id "p")',
        ]);
        const report = validateCedar({ schema: schema(APP_SCHEMA), sources: sources.sources, mode: "strict" });
        expect(report.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(["policyStore.policyDir/two.cedar: holds 2 policies"]);
    });

    it("renders {userPoolId} and reads a leading comment", () => {
        expect(renderStatement('principal in A::G::"{userPoolId}|admins", x == "{userPoolId}"', "us-east-1_X")).toBe('principal in A::G::"us-east-1_X|admins", x == "us-east-1_X"');
        expect(leadingComment("\n// Admins may do everything.\npermit(principal, action, resource);")).toBe("Admins may do everything.");
        expect(leadingComment("permit(principal, action, resource);")).toBeUndefined();
    });
});
