// Generates the argument reference, docs/reference/<component>.md, from schema.json and the example
// programs in tests/e2e/programs/reference-<component>-<language> (which tests/e2e/reference.test.ts
// deploys). `--check` fails when a committed page differs from what this writes.
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE = "rampart";

interface Property {
    type?: string;
    $ref?: string;
    items?: Property;
    additionalProperties?: Property;
    description?: string;
    plain?: boolean;
    secret?: boolean;
}
interface ObjectType {
    description?: string;
    properties?: Record<string, Property>;
    required?: string[];
    enum?: { name?: string; value: string | number; description?: string }[];
    type?: string;
}
interface Resource extends ObjectType {
    inputProperties: Record<string, Property>;
    requiredInputs?: string[];
}
export interface Schema {
    resources: Record<string, Resource>;
    types: Record<string, ObjectType>;
}

/** The languages of each page's example, in the order shown, with the program file of each. */
export const EXAMPLE_LANGUAGES = [
    { key: "ts", title: "TypeScript", fence: "ts", file: "index.ts" },
    { key: "py", title: "Python", fence: "python", file: "__main__.py" },
    { key: "go", title: "Go", fence: "go", file: "main.go" },
    { key: "yaml", title: "YAML", fence: "yaml", file: "Pulumi.yaml" },
] as const;

export function pageName(component: string): string {
    return component.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

export function exampleDir(component: string, language: string, root = REPO_ROOT): string {
    return join(root, "tests", "e2e", "programs", `reference-${pageName(component)}-${language}`);
}

const typeName = (ref: string) => ref.replace(/^#\/types\/[^:]+:index:/, "");

function typeText(p: Property, schema: Schema): string {
    if (p.$ref) {
        const name = typeName(p.$ref);
        const t = schema.types[`${PACKAGE}:index:${name}`];
        if (t?.enum) return t.enum.map((e) => `\`"${e.value}"\``).join(" | ");
        return name;
    }
    if (p.type === "array" && p.items) return `${typeText(p.items, schema)}[]`;
    if (p.type === "object" && p.additionalProperties) return `map of ${typeText(p.additionalProperties, schema)}`;
    if (p.type === "number") return "number";
    return p.type ?? "any";
}

/** Splits a description into its text and its "Default: …" sentence (the form every rampart docstring uses). */
export function splitDefault(description = ""): { text: string; default?: string } {
    const flat = description.replace(/\s*\n\s*/g, " ").trim();
    const match = /(?:^|\s)Default: (.*?\.)(?=\s|$)/.exec(flat);
    if (!match) return { text: flat };
    let sentence = match[1];
    let end = match.index + match[0].length;
    // A default sentence may continue past an abbreviation-free period inside backticks; extend while backticks are unbalanced.
    while ((sentence.match(/`/g) ?? []).length % 2 === 1 && end < flat.length) {
        const next = /^(.*?\.)(?=\s|$)/.exec(flat.slice(end));
        if (!next) break;
        sentence += next[1];
        end += next[0].length;
    }
    const text = `${flat.slice(0, match.index)} ${flat.slice(end)}`.replace(/\s+/g, " ").trim();
    return { text, default: sentence.replace(/\.$/, "") };
}

type PlainReason = (schema: Schema, token: string, path: string, property: Property) => string;

/** The host's table of why an argument is plain (provider/src/host/plainReasons.ts), from the build. */
function plainReasonFromBuild(root: string): PlainReason {
    const built = join(root, "bin", "host", "plainReasons.js");
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first (npm run reference does)`);
    return createRequire(import.meta.url)(built).plainReason as PlainReason;
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

interface Row {
    path: string;
    type: string;
    required: boolean;
    takesOutput: boolean;
    /** A plain list or map whose items or values take Outputs. */
    eachTakesOutput: boolean;
    property: Property;
    default?: string;
    description: string;
}

function rows(properties: Record<string, Property>, required: string[], schema: Schema, prefix: string, seen: Set<string>): Row[] {
    const out: Row[] = [];
    for (const name of Object.keys(properties).sort()) {
        const p = properties[name];
        const path = `${prefix}${name}`;
        const { text, default: dflt } = splitDefault(p.description);
        out.push({
            path,
            type: typeText(p, schema),
            required: required.includes(name),
            takesOutput: !p.plain && !(p.items?.plain ?? false),
            eachTakesOutput: Boolean(p.plain) && ((p.items !== undefined && !p.items.plain && !p.items.$ref) || (p.additionalProperties !== undefined && !p.additionalProperties.plain && !p.additionalProperties.$ref)),
            property: p,
            default: dflt,
            description: text + (p.secret ? " Marked secret: the SDKs encrypt it in state." : ""),
        });
        const ref = p.$ref ?? p.items?.$ref ?? p.additionalProperties?.$ref;
        const nested = ref ? schema.types[`${PACKAGE}:index:${typeName(ref)}`] : undefined;
        if (nested?.properties && !seen.has(ref!)) {
            const childPrefix = `${path}${p.type === "array" ? "[]" : ""}${p.type === "object" ? "{}" : ""}.`;
            out.push(...rows(nested.properties, nested.required ?? [], schema, childPrefix, new Set([...seen, ref!])));
        }
    }
    return out;
}

function inputTable(resource: Resource, schema: Schema): string {
    const lines = [
        "| Argument | Type | Required | Output accepted | Default | Description |",
        "| --- | --- | --- | --- | --- | --- |",
    ];
    for (const r of rows(resource.inputProperties, resource.requiredInputs ?? [], schema, "", new Set())) {
        lines.push(`| \`${r.path}\` | ${cell(r.type)} | ${r.required ? "yes" : "no"} | ${r.takesOutput ? "yes" : r.eachTakesOutput ? `each ${r.property.additionalProperties ? "value" : "item"}` : "plain value"} | ${cell(r.default ?? "")} | ${cell(r.description)} |`);
    }
    return lines.join("\n");
}

/** Every plain argument, grouped by why it is plain, in the order the reasons first appear. */
function plainSection(component: string, resource: Resource, schema: Schema, reasonOf: PlainReason): string {
    const groups = new Map<string, string[]>();
    for (const r of rows(resource.inputProperties, resource.requiredInputs ?? [], schema, "", new Set())) {
        if (r.takesOutput) continue;
        const reason = reasonOf(schema, `${PACKAGE}:index:${component}`, r.path, r.property);
        groups.set(reason, [...(groups.get(reason) ?? []), r.path]);
    }
    return [...groups]
        .map(([reason, paths]) => `- ${reason.charAt(0).toUpperCase()}${reason.slice(1)}: ${paths.map((p) => `\`${p}\``).join(", ")}.`)
        .join("\n");
}

function outputTable(resource: Resource, schema: Schema): string {
    const lines = ["| Output | Type | Always present | Description |", "| --- | --- | --- | --- |"];
    const required = resource.required ?? [];
    for (const name of Object.keys(resource.properties ?? {}).sort()) {
        const p = resource.properties![name];
        lines.push(`| \`${name}\` | ${cell(typeText(p, schema))} | ${required.includes(name) ? "yes" : "no"} | ${cell(splitDefault(p.description).text)} |`);
    }
    return lines.join("\n");
}

export function exampleSource(component: string, language: (typeof EXAMPLE_LANGUAGES)[number], root: string = REPO_ROOT): string {
    const file = join(exampleDir(component, language.key, root), language.file);
    if (!existsSync(file)) throw new Error(`the reference example ${file} is missing`);
    let text = readFileSync(file, "utf8");
    if (language.key === "yaml") {
        // The test harness's plugin path is not what users write: show the released package instead.
        const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
        text = text.replace(/plugins:\n  providers:\n    - name: rampart\n      path: [^\n]+\n/, `packages:\n  rampart: https://github.com/rampart-iac/pulumi-rampart@v${version}\n`);
    }
    return text.trimEnd();
}

/**
 * The component's example in the form the Pulumi Registry and the SDK generators read from a schema description
 * (`{{% examples %}}`): each SDK's docstring gets its own language, the Registry a language chooser.
 */
export function registryExamples(component: string, root = REPO_ROOT): string {
    const blocks = EXAMPLE_LANGUAGES.map((l) => `\`\`\`${l.key === "ts" ? "typescript" : l.fence}\n${exampleSource(component, l, root)}\n\`\`\``).join("\n");
    return `{{% examples %}}\n## Example Usage\n\n{{% example %}}\n### The reference example\n\n${blocks}\n{{% /example %}}\n{{% /examples %}}`;
}

const withoutExamples = (description: string) => description.replace(/\{\{% examples %\}\}[\s\S]*\{\{% \/examples %\}\}/, "");

export function renderPage(component: string, schema: Schema, root = REPO_ROOT): string {
    const resource = schema.resources[`${PACKAGE}:index:${component}`];
    const examples = EXAMPLE_LANGUAGES.map((l) => `### ${l.title}\n\n\`\`\`${l.fence}\n${exampleSource(component, l, root)}\n\`\`\``).join("\n\n");
    return `<!-- Generated by \`npm run reference\` from schema.json and tests/e2e/programs/reference-${pageName(component)}-*; do not edit. -->
# ${component}

${withoutExamples(resource.description ?? "").replace(/\s*\n\s*/g, " ").trim()}

Type token: \`${PACKAGE}:index:${component}\`. The same program in four languages follows; \`tests/e2e/reference.test.ts\`
deploys each of them through the Pulumi engine.

## Example

${examples}

## Inputs

Paths read as in rampart's error messages: \`a.b\` is a field of an object, \`a[].b\` a field of each list item,
\`a{}.b\` a field of each map value. Defaults that differ by \`profile\` name both. "Output accepted: plain value"
marks an argument rampart reads while it plans its resources; [Plain arguments](#plain-arguments) says why for each.

${inputTable(resource, schema)}

### Plain arguments

A plain argument takes a value known when the program runs: written in the program, read from config, or the output
of a stack reference (the plugin resolves such an Output before rampart plans). An Output whose value is still unknown
at preview (a resource the same program creates on its first deployment) is refused with the reason below, as is a
secret. A stack reference output that does not exist (a misspelt name, or a stack that was destroyed) arrives as no
value: the error then says \`nothing was given\` or \`got null\`. The
arguments marked "yes" take any Output; rampart checks their values at preview when they are known and when they
resolve otherwise. Python and YAML programs can pass a known Output itself. TypeScript and Go type a plain argument
as a value (\`string\`, \`number\`; Go \`string\`, \`*float64\`), so read a stack reference's output for it with
\`(await ref.getOutputDetails("stage")).value\` or, in Go, \`details, err := ref.GetOutputDetails("stage")\` then
\`details.Value.(string)\` (\`SecretValue\` for a secret output;
https://www.pulumi.com/blog/stack-reference-output-details/).

${plainSection(component, resource, schema, plainReasonFromBuild(root))}

## Outputs

Outputs that are not always present say when they are.

${outputTable(resource, schema)}
`;
}

export function components(schema: Schema): string[] {
    return Object.keys(schema.resources)
        .map((token) => token.replace(`${PACKAGE}:index:`, ""))
        .sort();
}

export function referencePages(root = REPO_ROOT): Record<string, string> {
    const schema = JSON.parse(readFileSync(join(root, "schema.json"), "utf8")) as Schema;
    return Object.fromEntries(components(schema).map((c) => [join("docs", "reference", `${pageName(c)}.md`), renderPage(c, schema, root)]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const pages = referencePages();
    const stale: string[] = [];
    for (const [relative, text] of Object.entries(pages)) {
        const target = join(REPO_ROOT, relative);
        if (process.argv.includes("--check")) {
            if (!existsSync(target) || readFileSync(target, "utf8") !== text) stale.push(relative);
        } else {
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, text);
            console.log(`wrote ${relative}`);
        }
    }
    if (process.argv.includes("--check")) {
        const dir = join(REPO_ROOT, "docs", "reference");
        const extra = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".md") && !(join("docs", "reference", f) in pages)) : [];
        if (stale.length || extra.length) {
            console.error(`docs/reference is stale; run \`npm run reference\`: ${[...stale, ...extra.map((f) => `docs/reference/${f} (no such component)`)].join(", ")}`);
            process.exit(1);
        }
        console.log("docs/reference is up to date");
    }
}
