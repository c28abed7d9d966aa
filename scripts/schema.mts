// Generates schema.json from the TypeScript sources with @pulumi/pulumi's analyzer, at build time,
// so the plugin never runs the analyzer. `--check` fails when the committed schema.json is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { registryExamples } from "./reference.mts";

const require = createRequire(import.meta.url);
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const PACKAGE_NAME = "rampart";
const ENTRY_POINT = "provider/src/index.ts";

/** Component class names, read from the compiled entry point (the same list the plugin host serves). */
export function componentNames(root: string): string[] {
    const { getPulumiComponents } = require("@pulumi/pulumi/provider/experimental/provider.js");
    const entry = require(join(root, "bin", "index.js"));
    return getPulumiComponents(entry).map((c: { name: string }) => c.name).sort();
}

export function buildSchema(root: string = REPO_ROOT, names: string[] = componentNames(root)): Record<string, unknown> {
    const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer.js");
    const { generateSchema } = require("@pulumi/pulumi/provider/experimental/schema.js");
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    // The analyzer finds the entry point through package.json; point it at the TypeScript source
    // (the published "exports" name compiled JavaScript).
    const analyzer = new Analyzer(root, PACKAGE_NAME, { ...pkg, exports: undefined, main: ENTRY_POINT }, new Set(names));
    const { components, typeDefinitions, dependencies } = analyzer.analyze();
    const generated = generateSchema(PACKAGE_NAME, pkg.version, pkg.description, components, typeDefinitions, dependencies);
    if (generated.dependencies?.length) {
        throw new Error(`schema refers to other packages (${JSON.stringify(generated.dependencies)}); expose ids, ARNs and names as strings instead`);
    }
    for (const [name, definition] of Object.entries<{ description?: string }>(typeDefinitions)) {
        const type = generated.types[`${PACKAGE_NAME}:index:${name}`];
        if (type && definition.description) type.description = definition.description;
    }
    markSecretInputs(generated.types);
    for (const name of names) {
        const resource = generated.resources[`${PACKAGE_NAME}:index:${name}`];
        if (resource) resource.description = `${resource.description ?? ""}\n\n${registryExamples(name, root)}`;
    }
    const repositoryUrl = `https://github.com/${pkg.repository.url.replace(/^git\+https:\/\/github\.com\//, "").replace(/\.git$/, "")}`;
    return sortDeep({
        name: PACKAGE_NAME,
        displayName: "rampart",
        version: pkg.version,
        description: pkg.description,
        publisher: "rampart",
        homepage: pkg.homepage,
        repository: repositoryUrl,
        license: pkg.license,
        keywords: pkg.keywords,
        // Where the engine fetches the plugin when an SDK user has not installed it: the GitHub
        // release of the version (pulumi-resource-rampart-vX.Y.Z-<os>-<arch>.tar.gz, scripts/dist.sh).
        // A `plugins: providers: path` entry in Pulumi.yaml and an installed plugin take precedence.
        pluginDownloadURL: "github://api.github.com/rampart-iac/pulumi-rampart",
        resources: generated.resources,
        types: generated.types,
        language: {
            nodejs: { packageName: pkg.name, respectSchemaVersion: true },
            python: { packageName: "pulumi_rampart", respectSchemaVersion: true, pyproject: { enabled: true } },
            go: {
                importBasePath: "github.com/rampart-iac/pulumi-rampart/sdk/go/rampart",
                respectSchemaVersion: true,
                generateResourceContainerTypes: true,
            },
        },
    }) as Record<string, unknown>;
}

/**
 * Inputs that carry secret material. The analyzer cannot see this in the types, so it is listed
 * here; SDKs then wrap these values as secrets before they leave the user's program.
 */
export const SECRET_INPUTS: Record<string, string[]> = {
    AuthorizerConfig: ["jwtSecret"],
    PlatformService: ["secrets"],
};

function markSecretInputs(types: Record<string, { properties?: Record<string, Record<string, unknown>> }>): void {
    for (const [typeName, properties] of Object.entries(SECRET_INPUTS)) {
        for (const property of properties) {
            const spec = types[`${PACKAGE_NAME}:index:${typeName}`]?.properties?.[property];
            if (!spec) throw new Error(`SECRET_INPUTS names ${typeName}.${property}, which the schema does not have`);
            spec.secret = true;
        }
    }
}

/** Objects get sorted keys so the output is stable; arrays keep their order except where it carries no meaning. */
export function sortDeep(value: unknown, key = ""): unknown {
    if (Array.isArray(value)) {
        const items = value.map((v) => sortDeep(v));
        return key === "required" || key === "requiredInputs" ? [...items].sort() : items;
    }
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
                .filter(([, v]) => v !== undefined)
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                .map(([k, v]) => [k, sortDeep(v, k)]),
        );
    }
    return value;
}

export function schemaText(root: string = REPO_ROOT): string {
    return `${JSON.stringify(buildSchema(root), null, 2)}\n`;
}

/** Returns the paths of the first differences between two schema texts (empty when equal). */
export function schemaDrift(committed: string, fresh: string): string[] {
    if (committed === fresh) return [];
    const a = committed.split("\n");
    const b = fresh.split("\n");
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length) && out.length < 5; i++) {
        if (a[i] !== b[i]) out.push(`line ${i + 1}: committed ${JSON.stringify(a[i] ?? "")} / generated ${JSON.stringify(b[i] ?? "")}`);
    }
    return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const target = join(REPO_ROOT, "schema.json");
    const fresh = schemaText();
    if (process.argv.includes("--check")) {
        const drift = schemaDrift(readFileSync(target, "utf8"), fresh);
        if (drift.length) {
            console.error(`schema.json is stale; run \`npm run schema\`:\n  ${drift.join("\n  ")}`);
            process.exit(1);
        }
        console.log("schema.json is up to date");
    } else {
        writeFileSync(target, fresh);
        console.log(`wrote ${target}`);
    }
}
