// Deep imports on purpose: the root of @pulumi/pulumi loads the automation API and the TypeScript
// compiler (about 0.5 s), which GetSchema does not need.
import type * as pulumi from "@pulumi/pulumi";
import type { ConstructResult, Provider } from "@pulumi/pulumi/provider";
import { ComponentResource } from "@pulumi/pulumi/resource";
import { InputPropertiesError, RunError } from "@pulumi/pulumi/errors";
import { ComponentValidationError, ValidationProblem } from "../shared/validation";
import { overlaps, withoutPaths } from "./argumentPaths";
import { checkableInputs } from "./checkableInputs";
import { resourcesBehind, settlePlainInputs } from "./plainInputs";
import { checkInputs, PackageSchema } from "./typeCheck";

type ComponentConstructor = new (name: string, args: any, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;

/** Loads the package's entry point; called on the first Construct only, so GetSchema never pays for it. */
export type EntryPointLoader = () => Record<string, unknown>;

interface SchemaResource {
    isComponent?: boolean;
    properties?: Record<string, unknown>;
}

/**
 * The rampart plugin: serves the schema generated at build time and constructs components from the
 * compiled entry point. Unlike the stock component host it never runs the TypeScript analyzer.
 */
export class RampartProvider implements Provider {
    readonly version: string;
    private readonly packageName: string;
    private readonly outputNames: ReadonlyMap<string, readonly string[]>;
    private readonly packageSchema: PackageSchema;
    private components?: ReadonlyMap<string, ComponentConstructor>;
    /** Checked once: the Node.js this plugin runs on does not change. */
    private readonly nodeProblem = nodeVersionProblem(process.versions.node, process.execPath);

    constructor(
        private readonly schemaText: string,
        private readonly loadEntryPoint: EntryPointLoader,
    ) {
        const schema = JSON.parse(schemaText) as PackageSchema & { name: string; version: string; resources: Record<string, SchemaResource> };
        this.packageSchema = schema;
        this.packageName = schema.name;
        this.version = schema.version;
        this.outputNames = new Map(
            Object.entries(schema.resources)
                .filter(([, r]) => r.isComponent)
                .map(([token, r]) => [token, Object.keys(r.properties ?? {})]),
        );
    }

    async getSchema(): Promise<string> {
        return this.schemaText;
    }

    async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<ConstructResult> {
        const outputs = this.outputNames.get(type);
        if (!outputs) {
            throw new Error(`${this.packageName} has no component "${type}"; it has ${[...this.outputNames.keys()].join(", ")}`);
        }
        const className = type.split(":")[2];
        // One line, as the engine prints a validation error: no stack trace, no dump.
        if (this.nodeProblem) throw new InputPropertiesError({ message: `${className} "${name}": ${this.nodeProblem}`, errors: [] });
        const Component = this.componentConstructors().get(className);
        if (!Component) {
            throw new Error(`schema.json lists ${type} but the entry point exports no component class named ${className}; rebuild the package`);
        }
        try {
            // Arguments from Python, Go and YAML have not met a type checker: check them against the schema
            // first, all problems in one error, so that the component's own validation gets typed values.
            // Plain arguments given as Outputs: the known ones become their values, the rest are refused with why.
            const checkable = await checkableInputs(inputs);
            const settled = settlePlainInputs(this.packageSchema, type, inputs, checkable);
            const problems = [...checkInputs(this.packageSchema, type, checkable), ...settled.problems];
            if (problems.length > 0) {
                throw new ComponentValidationError(className, name, [...problems, ...componentProblemsBesides(Component, name, settled.inputs, problems)]);
            }
            const dependsOn = await resourcesBehind(settled.replaced);
            const componentOptions = dependsOn.length > 0 ? { ...options, dependsOn: withDependencies(options.dependsOn, dependsOn) } : options;
            const instance = new Component(name, settled.inputs, componentOptions) as pulumi.ComponentResource & Record<string, unknown>;
            return {
                urn: instance.urn,
                state: Object.fromEntries(outputs.map((key) => [key, instance[key]])),
            };
        } catch (e) {
            throw forTheEngine(e);
        }
    }

    private componentConstructors(): ReadonlyMap<string, ComponentConstructor> {
        if (!this.components) {
            const entry = this.loadEntryPoint();
            this.components = new Map(
                Object.values(entry)
                    .filter(isComponentConstructor)
                    .map((c) => [c.name, c]),
            );
        }
        return this.components;
    }
}

/** The oldest Node.js major version the plugin supports (package.json "engines"; `@pulumi/pulumi` 3.270 needs it). */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * Why the plugin will not construct on this Node.js, or undefined when it will. The plugin still
 * starts on an older Node (it loads and answers GetSchema on Node 20), so the engine gets this as one
 * clean Construct error instead of a plugin that exited before its handshake, which the engine prints
 * under "This is *always* a bug in the provider" with the plugin's output dumped.
 */
export function nodeVersionProblem(version: string, execPath: string): string | undefined {
    const major = Number(version.split(".")[0]);
    if (Number.isInteger(major) && major >= MINIMUM_NODE_MAJOR) return undefined;
    return `Node.js ${MINIMUM_NODE_MAJOR} or newer is required where the rampart plugin runs; found v${version} at ${execPath} (put Node.js ${MINIMUM_NODE_MAJOR}+ first on PATH: https://nodejs.org)`;
}

/**
 * The component's own problems with the arguments the type check let through, so that one preview reports all of
 * them: the component class's `validateArguments` (pure, creates nothing) runs on the arguments without the refused
 * values, and its problems at or inside a refused path are dropped (the type check said it better).
 */
function componentProblemsBesides(Component: ComponentConstructor, name: string, inputs: Record<string, unknown>, refused: readonly ValidationProblem[]): ValidationProblem[] {
    const validate = (Component as unknown as { validateArguments?: (name: string, args: unknown) => void }).validateArguments;
    if (typeof validate !== "function") return [];
    try {
        validate(name, withoutPaths(inputs, refused.map((p) => p.path)));
        return [];
    } catch (e) {
        const problems = (e as { name?: string; problems?: ValidationProblem[] }).problems;
        if ((e as { name?: string }).name !== "ComponentValidationError" || !Array.isArray(problems)) return [];
        return problems.filter((p) => !refused.some((r) => overlaps(r.path, p.path)));
    }
}

/** The component's `dependsOn` (as the engine sends it: a list, one resource or none) and these resources. */
function withDependencies(given: pulumi.ComponentResourceOptions["dependsOn"], more: pulumi.Resource[]): pulumi.Input<pulumi.Resource>[] {
    if (given === undefined) return more;
    return [...(Array.isArray(given) ? given : [given as pulumi.Input<pulumi.Resource>]), ...more];
}

function isComponentConstructor(value: unknown): value is ComponentConstructor {
    return typeof value === "function" && value.prototype instanceof ComponentResource;
}

/**
 * What the engine gets when a Construct fails. A ComponentValidationError becomes an
 * InputPropertiesError (status InvalidArgument) with its message and no property errors: the engine
 * prints an InputPropertiesError's message and then one line per property error ("- property
 * services[0].public with value "false" has a problem: ..."), and the message already lists every
 * problem in the project's format, so property errors would show each problem twice. Any other
 * error passes unchanged.
 */
export function forTheEngine(error: unknown): unknown {
    const isValidationError = error instanceof ComponentValidationError || (RunError.isInstance(error) && error.name === "ComponentValidationError");
    if (!isValidationError) return error;
    return new InputPropertiesError({ message: error.message, errors: [] });
}
