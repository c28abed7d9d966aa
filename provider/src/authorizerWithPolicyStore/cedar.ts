/**
 * Cedar checks run before anything is deployed, with the real Cedar engine (cedar-wasm): the schema
 * parses, every policy and template parses and (in strict mode) validates against the schema, and
 * Verified Permissions' own rules hold. Pure: text in, problems out.
 */
import type * as CedarWasm from "@cedar-policy/cedar-wasm/nodejs";

type Cedar = typeof CedarWasm;
type DetailedError = CedarWasm.DetailedError;

let engine: Cedar | undefined;

/** cedar-wasm, loaded on first use (the plugin host does not pay for it at start). */
export function cedarEngine(): Cedar {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    engine ??= require("@cedar-policy/cedar-wasm/nodejs") as Cedar;
    return engine;
}

/** Namespaces Verified Permissions reserves. */
export const RESERVED_NAMESPACES = ["aws", "amazon", "cedar"];

export type SourceKind = "policy" | "template" | "either";

/** One policy or template text and where it came from (used in messages). */
export interface CedarSource {
    id: string;
    statement: string;
    /** Argument path shown in errors, for example `policyStore.policies[2] (id "admins")`. */
    label: string;
    kind: SourceKind;
    description?: string;
}

export interface CedarInput {
    schema?: { text: string; label: string };
    sources: CedarSource[];
    mode: "strict" | "off";
}

export interface CedarProblem {
    path: string;
    /** What Cedar (or the rule) says, starting with `Cedar:` when Cedar said it. */
    message: string;
    allowed: string;
}

export interface CedarReport {
    problems: CedarProblem[];
    /** Cedar's validation warnings (impossible policies and the like): reported, never fatal. */
    warnings: CedarProblem[];
    /** The schema's parsed JSON when it parses. */
    schema?: CedarWasm.SchemaJson<string>;
    namespace?: string;
    /** Sources that hold exactly one static policy / one template. */
    policies: CedarSource[];
    templates: CedarSource[];
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): string {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    return `line ${line}, column ${column}`;
}

/** Cedar's message with its help and the first source location, when it has them. */
export function formatCedarError(error: DetailedError, text?: string): string {
    let out = error.message;
    const at = error.sourceLocations?.[0];
    if (at && text !== undefined) {
        out += ` (at ${lineColumn(text, at.start)}${at.label ? `: ${at.label}` : ""})`;
    } else if (at?.label) {
        out += ` (${at.label})`;
    }
    if (error.help) out += `; help: ${error.help}`;
    return out;
}

const cedarSays = (errors: DetailedError[], text?: string) => `Cedar: ${errors.map((e) => formatCedarError(e, text)).join(" | ")}`;

/** Parses the schema JSON and applies Verified Permissions' namespace rules. */
function checkSchema(schema: { text: string; label: string }, problems: CedarProblem[]): { json?: CedarWasm.SchemaJson<string>; namespace?: string } {
    let json: unknown;
    try {
        json = JSON.parse(schema.text);
    } catch (error) {
        problems.push({ path: schema.label, message: `not valid JSON: ${(error as Error).message}`, allowed: "a Cedar schema in JSON format" });
        return {};
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        problems.push({ path: schema.label, message: `got JSON ${Array.isArray(json) ? "array" : typeof json}`, allowed: "a Cedar JSON schema object: {\"<Namespace>\": {\"entityTypes\": ..., \"actions\": ...}}" });
        return {};
    }
    const namespaces = Object.keys(json);
    let namespace: string | undefined;
    if (namespaces.length !== 1) {
        problems.push({
            path: schema.label,
            message: namespaces.length === 0 ? "the schema declares no namespace" : `the schema declares ${namespaces.length} namespaces (${namespaces.map((n) => JSON.stringify(n)).join(", ")})`,
            allowed: "Verified Permissions accepts exactly one namespace per schema",
        });
    } else if (namespaces[0] === "") {
        problems.push({ path: schema.label, message: "the namespace is empty (\"\")", allowed: "Verified Permissions needs a named namespace, for example \"MyApi\"" });
    } else {
        namespace = namespaces[0];
        const reserved = namespace.split("::").find((segment) => RESERVED_NAMESPACES.includes(segment.toLowerCase()));
        if (reserved !== undefined) {
            problems.push({ path: schema.label, message: `namespace ${JSON.stringify(namespace)} uses the reserved name ${JSON.stringify(reserved)}`, allowed: `a namespace other than ${RESERVED_NAMESPACES.join(", ")}` });
            namespace = undefined;
        }
    }
    const parsed = cedarEngine().checkParseSchema(json as CedarWasm.SchemaJson<string>);
    if (parsed.type === "failure") {
        problems.push({ path: schema.label, message: cedarSays(parsed.errors), allowed: "a Cedar JSON schema that Cedar accepts" });
        return { namespace };
    }
    return { json: json as CedarWasm.SchemaJson<string>, namespace };
}

/** Splits a source into its policies and templates and checks it holds exactly one of the expected kind. */
function classify(source: CedarSource, problems: CedarProblem[]): "policy" | "template" | undefined {
    const parts = cedarEngine().policySetTextToParts(source.statement);
    if (parts.type === "failure") {
        problems.push({ path: source.label, message: cedarSays(parts.errors, source.statement), allowed: "a Cedar policy that parses" });
        return undefined;
    }
    const count = parts.policies.length + parts.policy_templates.length;
    if (count !== 1) {
        problems.push({
            path: source.label,
            message: count === 0 ? "holds no policy" : `holds ${count} policies`,
            allowed: "exactly one policy or template per entry (Verified Permissions stores each separately)",
        });
        return undefined;
    }
    const kind = parts.policy_templates.length === 1 ? "template" : "policy";
    if (source.kind === "template" && kind === "policy") {
        problems.push({ path: source.label, message: "the template has no ?principal or ?resource slot", allowed: "a template must constrain principal or resource with ?principal or ?resource" });
        return undefined;
    }
    if (source.kind === "policy" && kind === "template") {
        problems.push({ path: source.label, message: "the policy has a ?principal or ?resource slot (it is a template)", allowed: "a static policy; put templates in policyStore.templates" });
        return undefined;
    }
    return kind;
}

/** Every Cedar problem of a schema and its policies, with the policy's id or file in each message. */
export function validateCedar(input: CedarInput): CedarReport {
    const problems: CedarProblem[] = [];
    const warnings: CedarProblem[] = [];
    const report: CedarReport = { problems, warnings, policies: [], templates: [] };

    if (input.schema) {
        const { json, namespace } = checkSchema(input.schema, problems);
        report.schema = json;
        report.namespace = namespace;
    }
    for (const source of input.sources) {
        const kind = classify(source, problems);
        if (kind === "policy") report.policies.push(source);
        if (kind === "template") report.templates.push(source);
    }
    if (input.mode !== "strict" || !report.schema || (report.policies.length === 0 && report.templates.length === 0)) {
        return report;
    }
    const byId = new Map([...report.policies, ...report.templates].map((s) => [s.id, s]));
    const answer = cedarEngine().validate({
        schema: report.schema,
        policies: {
            staticPolicies: Object.fromEntries(report.policies.map((p) => [p.id, p.statement])),
            templates: Object.fromEntries(report.templates.map((t) => [t.id, t.statement])),
        },
        validationSettings: { mode: "strict" },
    });
    if (answer.type === "failure") {
        problems.push({ path: input.schema!.label, message: cedarSays(answer.errors), allowed: "a schema and policies Cedar can validate together" });
        return report;
    }
    for (const { policyId, error } of answer.validationErrors) {
        const source = byId.get(policyId);
        problems.push({
            path: source?.label ?? `policy ${JSON.stringify(policyId)}`,
            message: `Cedar: ${formatCedarError(error, source?.statement)}`,
            allowed: "a policy that validates against the schema (validationMode strict)",
        });
    }
    for (const { policyId, error } of answer.validationWarnings) {
        const source = byId.get(policyId);
        warnings.push({ path: source?.label ?? `policy ${JSON.stringify(policyId)}`, message: `Cedar: ${formatCedarError(error, source?.statement)}`, allowed: "a warning only" });
    }
    return report;
}

/** Entity type names of the schema's namespace (qualified, for example `Docs::User`). */
export function entityTypes(schema: CedarWasm.SchemaJson<string>, namespace: string): string[] {
    return Object.keys(schema[namespace]?.entityTypes ?? {}).map((t) => qualify(t, namespace));
}

/** `Type` in namespace `Ns` is `Ns::Type`; names that already hold `::` are left alone. */
export function qualify(type: string, namespace: string | undefined): string {
    return type.includes("::") || !namespace ? type : `${namespace}::${type}`;
}

/** The entity type Cognito groups map to: the principal type's only parent type, else `<namespace>::UserGroup`. */
export function groupEntityType(schema: CedarWasm.SchemaJson<string> | undefined, namespace: string | undefined, principalType: string): string {
    const local = namespace && principalType.startsWith(`${namespace}::`) ? principalType.slice(namespace.length + 2) : principalType;
    const entity = namespace ? schema?.[namespace]?.entityTypes?.[local] : undefined;
    const parents = entity && "memberOfTypes" in entity ? (entity.memberOfTypes ?? []) : [];
    return parents.length === 1 ? qualify(parents[0], namespace) : qualify("UserGroup", namespace);
}
