// Type checking at the plugin boundary. Python, Go and YAML programs (and anything else that
// constructs a component through the plugin) send their arguments as protobuf values that no
// compiler has checked against the component's TypeScript types: `public="false"` arrives as a
// string, `memroy=2048` as a key nobody reads. checkInputs compares the arguments with the package's
// schema.json before the component sees them and returns every problem, so the host can report them
// all in the project's one-error format (ComponentValidationError) before the component's own
// validation runs on values of the right types.
//
// A walker over the Pulumi package schema rather than a JSON-Schema library: schema.json is not a
// JSON Schema (objects are `#/types/<token>` references, enums are `{ name, value }` lists,
// properties are optional unless listed in `required`/`requiredInputs`), so a library would need a
// translation layer as big as this file, and messages have to speak the language of the program
// (`write false, not "false"`, `did you mean "memory"?`) with Pulumi argument paths.

import type { ValidationProblem } from "../shared/validation";

/** A value that is known only at deployment (an unknown Output, or a computed value during preview): never checked. */
export const UNKNOWN: unique symbol = Symbol("rampart.unknown");

/** A secret argument: its value is checked, but never shown in a message. */
export class SecretValue {
    constructor(readonly value: unknown) {}
}

/** A property (or array element, or map value) in a Pulumi package schema. */
export interface SchemaProperty {
    type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    description?: string;
    secret?: boolean;
    /** Not an Output in the SDKs: the component reads the value while it plans its resources. */
    plain?: boolean;
}

/** An entry of `types` in a Pulumi package schema: an object type or a string/number enum. */
export interface SchemaType {
    type: "object" | "string" | "number" | "integer" | "boolean";
    properties?: Record<string, SchemaProperty>;
    required?: string[];
    enum?: { name?: string; value: unknown }[];
}

/** What checkInputs reads from schema.json. */
export interface PackageSchema {
    types?: Record<string, SchemaType>;
    resources: Record<string, { inputProperties?: Record<string, SchemaProperty>; requiredInputs?: string[] }>;
}

/**
 * Every problem with a component's arguments against the schema: wrong types (nested objects,
 * lists, maps), values outside an enum, missing required arguments and arguments the component
 * does not have, each with its argument path (`services[0].public`). Values that are UNKNOWN are
 * skipped; SecretValue is unwrapped for the check and never rendered. Pure: no Outputs, no I/O.
 */
export function checkInputs(schema: PackageSchema, token: string, inputs: Record<string, unknown>): ValidationProblem[] {
    const resource = schema.resources[token];
    if (!resource) throw new Error(`the schema has no resource ${token}`);
    const problems: ValidationProblem[] = [];
    const checker = new Checker(schema, problems);
    checker.checkObject("", token.split(":").pop()!, resource.inputProperties ?? {}, resource.requiredInputs ?? [], inputs);
    return problems;
}

class Checker {
    constructor(
        private readonly schema: PackageSchema,
        private readonly problems: ValidationProblem[],
    ) {}

    checkObject(path: string, typeName: string, properties: Record<string, SchemaProperty>, required: readonly string[], value: Record<string, unknown>): void {
        for (const name of required) {
            const given = value[name];
            // Go sends a required string it was not given as "" (its zero value): that is missing too.
            const empty = given === "" && properties[name]?.type === "string";
            if (given === undefined || given === null || empty) {
                this.problems.push({ path: join(path, name), given: empty ? 'got "" (an empty string, as Go sends a field it was not given)' : "nothing was given", allowed: empty ? "expected a non-empty string; it is required" : `expected ${this.describe(properties[name])}; it is required` });
            }
        }
        for (const [name, given] of Object.entries(value)) {
            const property = properties[name];
            if (property === undefined) {
                this.problems.push({ path: join(path, name), given: render(given), allowed: unknownArgument(typeName, name, Object.keys(properties)) });
                continue;
            }
            if (given === undefined || given === null || (given === "" && required.includes(name))) continue; // absent; required ones are reported above
            this.check(join(path, name), property, given);
        }
    }

    check(path: string, property: SchemaProperty, given: unknown): void {
        if (given === UNKNOWN) return;
        const value = given instanceof SecretValue ? given.value : given;
        if (value === UNKNOWN) return;
        if (value === null || value === undefined) {
            this.problems.push({ path, given: "got null", allowed: `expected ${this.describe(property)} or no value` });
            return;
        }
        if (property.$ref) {
            const typeName = refName(property.$ref);
            const type = this.schema.types?.[refToken(property.$ref)];
            if (!type) throw new Error(`schema.json refers to ${property.$ref}, which it does not define`);
            if (type.enum) {
                if (!type.enum.some((e) => e.value === value)) {
                    this.problems.push({ path, given: render(given), allowed: `expected one of ${type.enum.map((e) => JSON.stringify(e.value)).join(", ")}` });
                }
                return;
            }
            if (type.type === "object") {
                if (!isPlainObject(value)) {
                    this.problems.push({ path, given: render(given), allowed: `expected ${this.describe(property)}` });
                    return;
                }
                this.checkObject(path, typeName, type.properties ?? {}, type.required ?? [], value);
                return;
            }
            this.checkPrimitive(path, type.type, given, value, property);
            return;
        }
        switch (property.type) {
            case "array":
                if (!Array.isArray(value)) {
                    this.problems.push({ path, given: render(given), allowed: `expected ${this.describe(property)}` });
                    return;
                }
                value.forEach((element, i) => {
                    if (element === undefined || element === null) {
                        this.problems.push({ path: `${path}[${i}]`, given: "got null", allowed: `expected ${this.describe(property.items)}` });
                    } else if (property.items) {
                        this.check(`${path}[${i}]`, property.items, element);
                    }
                });
                return;
            case "object":
                if (!isPlainObject(value)) {
                    this.problems.push({ path, given: render(given), allowed: `expected ${this.describe(property)}` });
                    return;
                }
                for (const [key, element] of Object.entries(value)) {
                    if (element === undefined || element === null) {
                        this.problems.push({ path: join(path, key), given: "got null", allowed: `expected ${this.describe(property.additionalProperties)}` });
                    } else if (property.additionalProperties) {
                        this.check(join(path, key), property.additionalProperties, element);
                    }
                }
                return;
            case undefined:
                return; // any
            default:
                this.checkPrimitive(path, property.type, given, value, property);
        }
    }

    private checkPrimitive(path: string, type: string, given: unknown, value: unknown, property: SchemaProperty): void {
        const ok =
            type === "string"
                ? typeof value === "string"
                : type === "boolean"
                  ? typeof value === "boolean"
                  : type === "number"
                    ? typeof value === "number" && Number.isFinite(value)
                    : type === "integer"
                      ? typeof value === "number" && Number.isInteger(value)
                      : true;
        if (ok) return;
        let allowed = `expected ${this.describe(property)}`;
        // The usual slip from YAML, config and untyped code: the right value in quotes.
        if (typeof value === "string" && !(given instanceof SecretValue)) {
            const trimmed = value.trim();
            if (type === "boolean" && (trimmed === "true" || trimmed === "false")) allowed += ` (write ${trimmed}, not "${value}")`;
            if ((type === "number" || type === "integer") && trimmed !== "" && Number.isFinite(Number(trimmed))) allowed += ` (write ${Number(trimmed)}, not "${value}")`;
        }
        this.problems.push({ path, given: render(given), allowed });
    }

    /** "a boolean", "a list of strings", "a map of strings to numbers", "a PlatformService object", "one of ...". */
    describe(property: SchemaProperty | undefined): string {
        if (!property) return "a value";
        if (property.$ref) {
            const type = this.schema.types?.[refToken(property.$ref)];
            if (type?.enum) return `one of ${type.enum.map((e) => JSON.stringify(e.value)).join(", ")}`;
            if (type?.type === "object") return `a ${refName(property.$ref)} object`;
            return withArticle(type?.type ?? "value");
        }
        switch (property.type) {
            case "array":
                return `a list of ${plural(this.describe(property.items))}`;
            case "object":
                return property.additionalProperties ? `a map of names to ${plural(this.describe(property.additionalProperties))}` : "an object";
            case undefined:
                return "a value";
            default:
                return withArticle(property.type);
        }
    }
}

/** `services[0].public`, `environment["MY-VAR"]`: an argument path as errors print it. */
export function join(path: string, name: string): string {
    if (path === "") return name;
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function refToken(ref: string): string {
    return ref.replace(/^#\/types\//, "");
}

function refName(ref: string): string {
    return refToken(ref).split(":").pop()!;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof SecretValue);
}

function withArticle(type: string): string {
    return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

/** "a string" -> "strings", "a PlatformService object" -> "PlatformService objects", "one of ..." stays. */
function plural(description: string): string {
    const m = /^an? (.+)$/.exec(description);
    if (!m) return `values that are ${description}`;
    return m[1].endsWith("s") ? m[1] : `${m[1]}s`;
}

/** The kind of a given value, as a Python, Go or YAML user would recognise it. */
function kindOf(value: unknown): string {
    if (Array.isArray(value)) return "a list";
    if (value === null) return "null";
    switch (typeof value) {
        case "string":
            return "a string";
        case "number":
            return "a number";
        case "boolean":
            return "a boolean";
        case "object":
            return "an object";
        default:
            return `a ${typeof value}`;
    }
}

/** `got "false" (a string)`; a secret is named, never shown. */
export function render(given: unknown): string {
    if (given instanceof SecretValue) return `got a secret (${kindOf(given.value)})`;
    if (given === null || given === undefined) return "got null";
    if (given === UNKNOWN) return "got a value known only at deployment";
    let text: string;
    try {
        text = JSON.stringify(given, (_k, v) => (v instanceof SecretValue ? "[secret]" : v === UNKNOWN ? "[unknown]" : v)) ?? String(given);
    } catch {
        text = String(given);
    }
    if (text.length > 80) text = `${text.slice(0, 77)}...`;
    return `got ${text} (${kindOf(given)})`;
}

function unknownArgument(typeName: string, name: string, known: readonly string[]): string {
    const suggestion = closest(name, known);
    const hint = suggestion ? `did you mean "${suggestion}"?` : `its arguments are ${[...known].sort().join(", ")}`;
    return `${typeName} has no argument "${name}"; ${hint}`;
}

/** The known name a misspelt (or snake_case) name most likely meant, if any is close enough. */
export function closest(name: string, known: readonly string[]): string | undefined {
    const normal = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
    const exact = known.find((k) => normal(k) === normal(name));
    if (exact) return exact;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of known) {
        const d = editDistance(normal(name), normal(k));
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}
