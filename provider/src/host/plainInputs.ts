// Plain arguments from Python, Go and YAML (issue 16 item 2). A property the schema marks `plain` is one the component
// reads while it plans its resources (names, counts, which children exist), so it needs the value itself, not an
// Output. The SDKs still let an Output through (Python and YAML have no way to refuse one), so the host settles them
// before the component sees them:
// - an Output whose value the engine already sent (a stack reference, config, an existing resource's output) is
//   replaced by that value, so the component plans with it as if it had been written in the program;
// - an Output known only at deployment (a resource created in the same program, during preview) is refused, with the
//   reason the argument must be known while planning;
// - a secret is refused: a plain argument ends up in resource names, tags and the state in plain text.
import { isUnknown, Output } from "@pulumi/pulumi/output";
import type { Resource } from "@pulumi/pulumi/resource";
import type { ValidationProblem } from "../shared/validation";
import { plainReason } from "./plainReasons";
import { join, PackageSchema, SchemaProperty, SecretValue, UNKNOWN } from "./typeCheck";

export interface SettledInputs {
    /** The arguments for the component: known Outputs in plain positions replaced by their values. */
    inputs: Record<string, unknown>;
    problems: ValidationProblem[];
    /** The Outputs replaced by their values: the component still depends on the resources behind them. */
    replaced: unknown[];
}

/**
 * Settles the plain positions of a component's arguments. `raw` are the arguments as the Construct request gave them
 * (Outputs and all); `checkable` the same arguments resolved by checkableInputs (UNKNOWN and SecretValue markers).
 * Pure apart from reading the two trees.
 */
export function settlePlainInputs(schema: PackageSchema, token: string, raw: Record<string, unknown>, checkable: Record<string, unknown>): SettledInputs {
    const resource = schema.resources[token];
    if (!resource) throw new Error(`the schema has no resource ${token}`);
    const problems: ValidationProblem[] = [];
    const replaced: unknown[] = [];
    const settler = new Settler(schema, token, problems, replaced);
    const inputs = settler.settleObject("", resource.inputProperties ?? {}, raw, checkable);
    return { inputs, problems, replaced };
}

class Settler {
    constructor(
        private readonly schema: PackageSchema,
        private readonly token: string,
        private readonly problems: ValidationProblem[],
        private readonly replaced: unknown[],
    ) {}

    settleObject(path: string, properties: Record<string, SchemaProperty>, raw: Record<string, unknown>, checkable: unknown): Record<string, unknown> {
        const known = isRecord(checkable) ? checkable : {};
        const out: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(raw)) {
            const property = properties[name];
            out[name] = property ? this.settle(join(path, name), property, value, known[name]) : value;
        }
        return out;
    }

    settle(path: string, property: SchemaProperty, raw: unknown, checkable: unknown): unknown {
        if (raw === undefined || raw === null) return raw;
        let value: unknown = raw;
        if (isDeferred(raw)) {
            if (!property.plain) return raw;
            if (containsMarker(checkable, (v) => v === UNKNOWN)) {
                this.problems.push({
                    path,
                    given: "got an Output whose value is known only at deployment",
                    allowed: `expected a value known when the program runs (written in the program, from config or a stack reference): ${plainReason(this.schema, this.token, path, property)}`,
                });
                return raw;
            }
            if (containsMarker(checkable, (v) => v instanceof SecretValue)) {
                this.problems.push({
                    path,
                    given: "got a secret",
                    allowed: "expected a value that is not secret: this argument is kept in plain text in resource names, tags and the state",
                });
                return raw;
            }
            value = checkable;
            this.replaced.push(raw);
        }
        return this.settleInside(path, property, value, checkable);
    }

    private settleInside(path: string, property: SchemaProperty, value: unknown, checkable: unknown): unknown {
        if (property.$ref) {
            const type = this.schema.types?.[property.$ref.replace(/^#\/types\//, "")];
            if (type?.type === "object" && isRecord(value)) return this.settleObject(path, type.properties ?? {}, value, checkable);
            return value;
        }
        if (property.type === "array" && property.items && Array.isArray(value)) {
            const known = Array.isArray(checkable) ? checkable : [];
            return value.map((element, i) => this.settle(`${path}[${i}]`, property.items!, element, known[i]));
        }
        if (property.type === "object" && property.additionalProperties && isRecord(value)) {
            const known = isRecord(checkable) ? checkable : {};
            return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, this.settle(join(path, key), property.additionalProperties!, element, known[key])]));
        }
        return value;
    }
}

function isDeferred(value: unknown): boolean {
    return isUnknown(value) || Output.isInstance(value) || value instanceof Promise;
}

function containsMarker(value: unknown, marker: (v: unknown) => boolean): boolean {
    if (marker(value)) return true;
    if (Array.isArray(value)) return value.some((v) => containsMarker(v, marker));
    if (isRecord(value)) return Object.values(value).some((v) => containsMarker(v, marker));
    return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof SecretValue) && !Output.isInstance(value);
}

/** The resources behind the replaced Outputs (and Promises of Outputs), for the component's `dependsOn`. */
export async function resourcesBehind(replaced: readonly unknown[]): Promise<Resource[]> {
    const found = new Set<Resource>();
    for (const value of replaced) {
        const output = value instanceof Promise ? await value : value;
        if (!Output.isInstance(output)) continue;
        // Internal to the SDK's Output (output.ts): every resource the value came from, through applies.
        const internals = output as unknown as { resources(): Set<Resource>; allResources?: () => Promise<Set<Resource>> };
        for (const resource of internals.allResources ? await internals.allResources() : internals.resources()) found.add(resource);
    }
    return [...found];
}
